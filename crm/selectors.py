"""Reads of the crm app for the API: customers with their numbers and contacts in a fixed
number of queries, and the lookup by phone number."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from customers.models import Contact, Customer, CustomerPhone, phone_digits


def customer_list(*, with_contacts: bool = True) -> QuerySet[Customer]:
    """Customers with salesperson, and (`with_contacts`) numbers and contacts: three queries
    for any page."""
    customers = Customer.objects.select_related("salesperson", "updated_by")
    if not with_contacts:
        return customers
    return customers.prefetch_related(
        Prefetch("phones", queryset=CustomerPhone.objects.order_by("position", "id")),
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")),
    )


def customers_with_phone(customers: QuerySet[Customer], *, phone: str) -> QuerySet[Customer]:
    """Customers one of whose numbers contains the digits of `phone` ("138-0000" finds
    +86 138 0000 1234); nothing when `phone` has no digits."""
    digits = phone_digits(phone)
    if not digits:
        return customers.none()
    return customers.filter(
        Exists(CustomerPhone.objects.filter(customer=OuterRef("pk"), digits__contains=digits))
    )
