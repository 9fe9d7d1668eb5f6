"""`/api/v1/work-orders/` (list, filterable by status and item; paginated) and
`/api/v1/work-orders/{wo_no}/` (one work order with its routing steps, material picked,
daily output, finished-goods receipts and the orders it serves). Read-only here: work
orders come from approved plans and from MRP (`/api/v1/mrp/planned-orders/release/`)."""

import django_filters as filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from erp.api.permissions import ModelPermissions
from production import work_order_selectors as selectors
from production.api.work_order_serializers import (
    WorkOrderDetailSchemaSerializer,
    WorkOrderDetailSerializer,
    WorkOrderSerializer,
)
from production.models import WorkOrder


class WorkOrderFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=WorkOrder.Status.choices)
    item = filters.CharFilter(field_name="item__code", help_text="Item code.")
    sales_order = filters.CharFilter(
        field_name="sales_order__order_no", help_text="Customer order no."
    )

    class Meta:
        model = WorkOrder
        fields = ["status", "item", "sales_order"]


class WorkOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work orders, by due date."""

    serializer_class = WorkOrderSerializer
    permission_classes = [ModelPermissions]
    filterset_class = WorkOrderFilter
    search_fields = ["wo_no", "item__code", "sales_order__order_no"]
    ordering_fields = ["due_date", "wo_no", "created_at"]
    ordering = ["due_date", "wo_no"]
    lookup_field = "wo_no"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.work_orders()

    @extend_schema(responses=WorkOrderDetailSchemaSerializer)
    def retrieve(self, request, *args, **kwargs):
        try:
            wo = selectors.work_order(wo_no=kwargs["wo_no"])
        except WorkOrder.DoesNotExist as missing:
            raise Http404 from missing
        return Response(WorkOrderDetailSerializer(selectors.work_order_view(wo=wo)).data)
