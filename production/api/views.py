"""`/api/v1/finished-receipts/`: finished goods into the warehouse (成品入库) through
production.services; refusals 400/409 with `detail`; an `Idempotency-Key` applies a
retried POST once."""

import django_filters as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from erp.errors import DomainError
from materials.api.input_errors import invalid_input
from orders.models import SalesOrderLine
from production.api.serializers import (
    FinishedGoodsReceiptCreateSerializer,
    FinishedGoodsReceiptSerializer,
    ReceiptReversalRequestSerializer,
    ReceiptReversalSerializer,
)
from production.models import FinishedGoodsReceipt, WorkOrder
from production.services import finished_goods_receipt
from production.services.receipt_reversal import finished_goods_receipt_reverse


class FinishedGoodsReceiptFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", help_text="Item code.")
    work_order = filters.CharFilter(field_name="work_order__wo_no", help_text="Work order no.")
    order_no = filters.CharFilter(
        field_name="order_line__order__order_no", help_text="Customer order no."
    )
    warehouse = filters.CharFilter(field_name="warehouse__code", help_text="Warehouse code.")

    class Meta:
        model = FinishedGoodsReceipt
        fields = ["item", "work_order", "order_no", "warehouse"]


class FinishedGoodsReceiptViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Finished-goods receipts (成品入库) against a work order or a customer order line."""

    serializer_class = FinishedGoodsReceiptSerializer
    permission_classes = [ModelPermissions]
    filterset_class = FinishedGoodsReceiptFilter
    search_fields = ["number", "item__code"]
    ordering_fields = ["created_at", "number"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return FinishedGoodsReceipt.objects.select_related(
            "item", "warehouse", "work_order", "order_line__order", "created_by", "reversal"
        )

    @extend_schema(
        request=FinishedGoodsReceiptCreateSerializer,
        responses={201: FinishedGoodsReceiptSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = FinishedGoodsReceiptCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        work_order = order_line = None
        if data["work_order"]:
            work_order = WorkOrder.objects.filter(wo_no=data["work_order"]).first()
            if work_order is None:
                raise DomainError(
                    f"There is no work order {data['work_order']}.", field="work_order"
                )
        if data["order_no"]:
            order_line = SalesOrderLine.objects.filter(
                order__order_no=data["order_no"], line=data["line"]
            ).first()
            if order_line is None:
                raise DomainError(
                    f"Order {data['order_no']} has no line {data['line']}.", field="order_no"
                )
        receipt = finished_goods_receipt(
            user=request.user,
            quantity=data["quantity"],
            warehouse_code=data["warehouse"],
            work_order=work_order,
            order_line=order_line,
        )
        answer = self.get_serializer(self.get_queryset().get(pk=receipt.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReceiptReversalRequestSerializer,
        responses={
            201: ReceiptReversalSerializer,
            409: OpenApiResponse(description="Reversed already, or the goods are gone."),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reverse(self, request, pk=None):
        """Take the receipt back out of stock by a reversal document (a compensating ledger
        row); 409 if it was reversed already or the goods are no longer there."""
        receipt = self.get_object()
        body = ReceiptReversalRequestSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        reversal = finished_goods_receipt_reverse(
            user=request.user, receipt=receipt, reason=body.validated_data["reason"]
        )
        return Response(ReceiptReversalSerializer(reversal).data, status=status.HTTP_201_CREATED)
