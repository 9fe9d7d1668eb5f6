"""Customer endpoints: the list with filters and phone lookup, one customer with its
numbers and contacts. Reads through selectors, writes through crm.services."""

from crm import filters, selectors, services
from crm.access import sees_customer_contacts
from crm.api import serializers
from erp.api.viewsets import MasterDataViewSet, Writes


class CustomerViewSet(MasterDataViewSet):
    """Customers. `?phone=` finds a caller by (part of) their number. Phone numbers, contacts
    and notes only for sales follow-up, quality, managers and administrators."""

    serializer_class = serializers.CustomerSerializer
    filterset_class = filters.CustomerFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "region", "industry", "updated_at"]
    ordering = ["code"]
    writes = Writes(
        services.customer_create, services.customer_update, services.customer_delete, "customer"
    )

    def get_queryset(self):
        user = getattr(self.request, "user", None)
        return selectors.customer_list(with_contacts=sees_customer_contacts(user))
