"""Query-string filters of the customer list (`?region=East&key_account=true&phone=1380`)."""

import django_filters as filters

from crm.models import Customer
from crm.selectors import customers_with_phone


class CustomerFilter(filters.FilterSet):
    salesperson = filters.CharFilter(
        field_name="salesperson__username", help_text="Username of the salesperson."
    )
    phone = filters.CharFilter(
        method="filter_phone",
        help_text="Digits of a phone number, or part of one: '138-0000' finds +86 138 0000 1234.",
    )

    class Meta:
        model = Customer
        fields = ["region", "industry", "salesperson", "key_account", "is_active", "phone"]

    def filter_phone(self, queryset, name, value):
        return customers_with_phone(queryset, phone=value)
