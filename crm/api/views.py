"""Customer endpoints: the list with filters and phone lookup, one customer with its
numbers and contacts. Reads through selectors, writes through crm.services."""

from crm import filters, selectors, services
from crm.api import serializers
from customers.access import CREDIT_TERMS_FIELDS, may_set_credit_terms, sees_customer_contacts
from erp.api.permissions import ModelPermissions
from erp.api.viewsets import MasterDataViewSet, Writes


class CustomerPermissions(ModelPermissions):
    """The role table's customer permissions, and: a manager (who does not edit customers)
    may PATCH a customer's credit terms, nothing else."""

    def has_permission(self, request, view) -> bool:
        if super().has_permission(request, view):
            return True
        if request.method != "PATCH" or not may_set_credit_terms(request.user):
            return False
        data = request.data
        return hasattr(data, "keys") and bool(data) and set(data.keys()) <= set(CREDIT_TERMS_FIELDS)


class CustomerViewSet(MasterDataViewSet):
    """Customers. `?phone=` finds a caller by (part of) their number. Phone numbers, contacts
        and notes only for sales follow-up, quality, managers and administrators. Credit limit and
    payment terms: everyone reads them; only managers and administrators change them (a
    manager by PATCH with just those two fields)."""

    serializer_class = serializers.CustomerSerializer
    permission_classes = [CustomerPermissions]
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
