"""`/api/v1/slips/` (CONTRACT.md section 7) and `/api/v1/shipments/`: lists, one record,
and POSTs that go through the services (whole or nothing; refusals 400/409 with `detail`;
an `Idempotency-Key` applies a retried POST once)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from materials.api.input_errors import invalid_input
from orders.api import slip_serializers as s
from orders.api.slip_filters import ShipmentFilter, SlipFilter
from orders.models import MaterialSlip, MaterialSlipLine
from orders.selectors_slips import shipment_list
from orders.services.shipments import ship
from orders.services.slip_actions import (
    issue_slip_and_refresh,
    issue_work_order_slip_and_refresh,
)
from orders.services.slips import SlipLineInput
from orders.services.work_order_slips import WorkOrderSlipLineInput


class SlipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Warehouse slips against a customer order (`order_no`) or a work order (`work_order`):
    pick (领料单), return (退料单), replenish (补料单). A refused slip answers 400 (bad
    input) or 409 (a limit of CONTRACT.md section 3, a closed work order, or not enough
    stock) with `detail` saying why, and writes nothing. A refusal of rows lists every
    failing row in `errors` (`row` in the request's lines, `line`, `item`, `code`:
    input, state, pick_limit, replenish_limit, return_limit or stock, `message`, and
    `left`: what the limit or the stock still allows); bad input answers 400 before a
    limit or stock conflict (409)."""

    serializer_class = s.SlipSerializer
    permission_classes = [ModelPermissions]
    filterset_class = SlipFilter
    search_fields = ["number", "order__order_no", "work_order__wo_no"]
    ordering_fields = ["created_at", "number"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return MaterialSlip.objects.select_related(
            "order", "work_order", "warehouse", "created_by"
        ).prefetch_related(
            Prefetch(
                "lines",
                queryset=MaterialSlipLine.objects.select_related("order_line", "item").order_by(
                    "id"
                ),
            )
        )

    @extend_schema(request=s.SlipCreateSerializer, responses={201: s.SlipSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.SlipCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        common = {"user": request.user, "warehouse_code": data["warehouse"], "note": data["note"]}
        if "work_order" in data:
            slip = issue_work_order_slip_and_refresh(
                kind=data["kind"],
                wo_no=data["work_order"],
                lines=[
                    WorkOrderSlipLineInput(
                        item=ln["item"], quantity=ln["quantity"], reason=ln["reason"]
                    )
                    for ln in data["lines"]
                ],
                **common,
            )
        else:
            slip = issue_slip_and_refresh(
                kind=data["kind"],
                order_no=data["order_no"],
                lines=[
                    SlipLineInput(
                        line=ln["line"],
                        item=ln["item"],
                        quantity=ln["quantity"],
                        reason=ln["reason"],
                    )
                    for ln in data["lines"]
                ],
                **common,
            )
        answer = self.get_serializer(self.get_queryset().get(pk=slip.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)


class ShipmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Shipments (出货) against order lines. A POST ships one delivery (出货单): finished
    goods leave usable stock, each line records its unit cost (visible to managers)."""

    serializer_class = s.ShipmentSerializer
    permission_classes = [ModelPermissions]
    filterset_class = ShipmentFilter
    search_fields = ["number", "delivery_no", "order_line__order__order_no"]
    ordering_fields = ["ship_date", "number", "created_at"]
    ordering = ["-ship_date", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return shipment_list()

    @extend_schema(request=s.ShipmentCreateSerializer, responses={201: s.DeliverySerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.ShipmentCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        shipments = ship(
            user=request.user,
            order_no=data["order_no"],
            lines=[(ln["line"], ln["quantity"]) for ln in data["lines"]],
            warehouse_code=data["warehouse"],
            ship_date=data["ship_date"],
        )
        rows = list(self.get_queryset().filter(pk__in=[sh.pk for sh in shipments]).order_by("id"))
        first = rows[0]
        delivery = {
            "delivery_no": first.delivery_no,
            "order_no": first.order_line.order.order_no,
            "warehouse": first.warehouse.code,
            "ship_date": first.ship_date,
            "shipments": rows,
        }
        answer = s.DeliverySerializer(delivery, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_201_CREATED)
