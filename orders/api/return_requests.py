"""`/api/v1/return-requests/` (退料申请): production asks to return material against a
customer order or a work order; the warehouse confirms (`confirm/`, optionally with the
quantities received: a return slip is issued) or rejects (`reject/` with a reason)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.api.input_errors import invalid_input
from materials.api.purchasing_views import ActionPermissionsMixin, requires
from orders.api.slip_serializers import SlipCreateSerializer, SlipSerializer
from orders.models import ReturnRequest, ReturnRequestLine
from orders.selectors.return_requests import return_requests
from orders.services import return_requests as services
from orders.services.slips import SlipLineInput
from orders.services.work_order_slips import WorkOrderSlipLineInput


class ReturnRequestLineSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="order_line.line", read_only=True, allow_null=True)
    item = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ReturnRequestLine
        fields = ["id", "line", "item", "quantity", "reason"]


class ReturnRequestSerializer(serializers.ModelSerializer):
    order_no = serializers.CharField(source="order.order_no", read_only=True, allow_null=True)
    work_order = serializers.CharField(source="work_order.wo_no", read_only=True, allow_null=True)
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    slip = serializers.CharField(source="slip.number", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    lines = ReturnRequestLineSerializer(many=True, read_only=True)

    class Meta:
        model = ReturnRequest
        fields = [
            "number",
            "status",
            "order_no",
            "work_order",
            "warehouse",
            "note",
            "lines",
            "slip",
            "created_at",
            "created_by",
            "decided_at",
            "decided_by",
            "decision_note",
        ]


class ReturnRequestCreateSerializer(SlipCreateSerializer):
    """The lines of a return slip, each with its reason (defective or surplus)."""

    kind = None


class ReturnRequestConfirmLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="id of a line of this request")
    quantity = serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        min_value=Decimal(0),
        help_text="Quantity received (0 = nothing of this line).",
    )


class ReturnRequestConfirmSerializer(serializers.Serializer):
    lines = ReturnRequestConfirmLineSerializer(
        many=True, required=False, help_text="Quantities received; left out = as requested."
    )


class ReturnRequestRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ReturnRequestViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReturnRequestSerializer
    permission_classes = [ModelPermissions]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["status"]
    search_fields = ["number", "order__order_no", "work_order__wo_no"]
    ordering = ["-created_at", "-id"]
    action_permissions = {
        "confirm": requires("orders.add_materialslip"),
        "reject": requires("orders.add_materialslip"),
    }

    def get_queryset(self):
        return return_requests()

    def _answer(self, number: str, code=status.HTTP_200_OK) -> Response:
        found = self.get_queryset().get(number=number)
        return Response(self.get_serializer(found).data, status=code)

    @extend_schema(request=ReturnRequestCreateSerializer, responses={201: ReturnRequestSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = ReturnRequestCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        common = {"user": request.user, "warehouse_code": data["warehouse"], "note": data["note"]}
        if "work_order" in data:
            made = services.request_return(
                wo_no=data["work_order"],
                lines=[
                    WorkOrderSlipLineInput(ln["item"], ln["quantity"], ln["reason"])
                    for ln in data["lines"]
                ],
                **common,
            )
        else:
            made = services.request_return(
                order_no=data["order_no"],
                lines=[
                    SlipLineInput(ln["line"], ln["item"], ln["quantity"], ln["reason"])
                    for ln in data["lines"]
                ],
                **common,
            )
        return self._answer(made.number, status.HTTP_201_CREATED)

    @extend_schema(request=ReturnRequestConfirmSerializer, responses={201: SlipSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, number=None):
        found = self.get_object()
        body = ReturnRequestConfirmSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        quantities = {ln["id"]: ln["quantity"] for ln in body.validated_data.get("lines", [])}
        slip = services.confirm_return_request(
            request=found, user=request.user, quantities=quantities
        )
        return Response(SlipSerializer(slip).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReturnRequestRejectSerializer, responses={200: ReturnRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, number=None):
        found = self.get_object()
        body = ReturnRequestRejectSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        services.reject_return_request(
            request=found, user=request.user, reason=body.validated_data["reason"]
        )
        return self._answer(found.number)


router = SimpleRouter(trailing_slash=True)
router.register("return-requests", ReturnRequestViewSet, basename="return-request")
urlpatterns = router.urls
