"""Reads behind the customer pages: the list with its filters, and one customer with its
contacts, phones and recent orders. No writes."""

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)

from customers.models import Contact, Customer, CustomerPhone, phone_digits
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.models import SalesOrder

# Fewer digits than this look like part of a code, not a phone number.
MIN_PHONE_DIGITS = 3


def customer_list(
    *,
    search: str = "",
    region: str = "",
    salesperson_id: int | None = None,
    key_account: bool | None = None,
    with_phones: bool = True,
) -> QuerySet[Customer]:
    """Customers whose code or name contains `search`, or (`with_phones`) one of whose phone
    numbers contains its digits ("138-0000" finds 13800001234), narrowed by the filters.
    `with_phones` also fetches the numbers; without it, numbers are neither read nor
    searched (customers.access.sees_customer_contacts)."""
    customers = Customer.objects.select_related("salesperson")
    if with_phones:
        customers = customers.prefetch_related(
            Prefetch("phones", queryset=CustomerPhone.objects.order_by("position", "id"))
        )
    search = search.strip()
    if search:
        match = Q(code__icontains=search) | Q(name__icontains=search)
        digits = phone_digits(search)
        if with_phones and len(digits) >= MIN_PHONE_DIGITS:
            match |= Exists(
                CustomerPhone.objects.filter(customer=OuterRef("pk"), digits__contains=digits)
            )
        customers = customers.filter(match)
    if region:
        customers = customers.filter(region=region)
    if salesperson_id:
        customers = customers.filter(salesperson_id=salesperson_id)
    if key_account is not None:
        customers = customers.filter(key_account=key_account)
    return customers.order_by("code")


def customer_regions() -> list[str]:
    return list(
        Customer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def salespeople() -> QuerySet:
    """Users who look after at least one customer."""
    return (
        get_user_model()
        .objects.filter(Exists(Customer.objects.filter(salesperson=OuterRef("pk"))))
        .order_by("username")
    )


def customer_by_code(*, code: str) -> Customer:
    return Customer.objects.select_related("salesperson").get(code=code)


def contacts_of(*, customer: Customer) -> QuerySet[Contact]:
    return Contact.objects.filter(customer=customer).prefetch_related("phones").order_by("name")


def phones_of(*, customer: Customer) -> QuerySet[CustomerPhone]:
    return (
        CustomerPhone.objects.filter(customer=customer)
        .select_related("contact")
        .order_by("position", "id")
    )


def recent_orders(*, customer: Customer, limit: int = 20) -> QuerySet[SalesOrder]:
    """The customer's latest orders with their line count and amount."""
    amount = ExpressionWrapper(
        F("lines__quantity") * F("lines__unit_price"),
        output_field=DecimalField(max_digits=QUANTITY_DIGITS * 2, decimal_places=QUANTITY_PLACES),
    )
    return (
        SalesOrder.objects.filter(customer=customer)
        .annotate(line_count=Count("lines"), amount=Sum(amount))
        .order_by("-order_date", "-id")[:limit]
    )
