"""Query-string filters of the customer list (`?region=East&key_account=true&phone=1380`)."""

import django_filters as filters
from rest_framework.exceptions import PermissionDenied

from crm.selectors import customers_with_phone
from customers.access import CONTACTS_REFUSED, sees_customer_contacts
from customers.models import Customer


class CustomerFilter(filters.FilterSet):
    salesperson = filters.CharFilter(
        field_name="salesperson__username", help_text="Username of the salesperson."
    )
    phone = filters.CharFilter(
        method="filter_phone",
        help_text="Digits of a phone number, or part of one: '138-0000' finds +86 138 0000 1234. "
        "Only sales follow-up, quality, managers and administrators (403 for others).",
    )

    class Meta:
        model = Customer
        fields = ["region", "industry", "salesperson", "key_account", "is_active", "phone"]

    def filter_phone(self, queryset, name, value):
        if not sees_customer_contacts(getattr(self.request, "user", None)):
            # A match would tell whose number it is.
            raise PermissionDenied(
                CONTACTS_REFUSED.format(doing="look a customer up by phone number")
            )
        return customers_with_phone(queryset, phone=value)
