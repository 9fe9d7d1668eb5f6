"""`/api/v1/inspections/` (品管课: 执行检验) and `/api/v1/supplier-returns/`: what waits on
inspection hold, quality's decisions (`decide/`) and returns of rejected purchased goods
(`return-to-supplier/`). Refusals: 400 (bad input) or 409 (more than is on hold, decided
already) with `detail`; nothing written."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.permissions import ModelPermissions
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.api.input_errors import invalid_input
from materials.api.purchasing_views import ActionPermissionsMixin, requires
from materials.models import InspectionDecision, InspectionLot, SupplierReturn
from materials.selectors_quality import inspection_lots
from materials.services.inspection import decide_inspection, return_to_supplier


def _quantity(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, min_value=Decimal(0), **kwargs
    )


class DecisionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InspectionDecision
        fields = [
            "sample_size",
            "defective_in_sample",
            "accepted",
            "rejected",
            "defect_reason",
            "notes",
            "created_at",
            "created_by",
        ]


class SupplierReturnSerializer(serializers.ModelSerializer):
    supplier = serializers.CharField(source="supplier.code", read_only=True)
    item = serializers.CharField(source="item.code", read_only=True)
    po_no = serializers.CharField(source="purchase_line.purchase_order.po_no", read_only=True)
    lot = serializers.CharField(source="lot.number", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SupplierReturn
        fields = ["number", "supplier", "po_no", "item", "quantity", "lot", "reason"]
        fields += ["created_at", "created_by"]


class InspectionLotSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    supplier = serializers.CharField(source="supplier.code", read_only=True, allow_null=True)
    on_hold = serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, read_only=True
    )
    decisions = DecisionSerializer(many=True, read_only=True)
    supplier_returns = SupplierReturnSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionLot
        fields = [
            "number",
            "kind",
            "status",
            "item",
            "warehouse",
            "supplier",
            "source_number",
            "quantity",
            "on_hold",
            "accepted",
            "rejected",
            "decisions",
            "supplier_returns",
            "created_at",
        ]


class InspectionDecideSerializer(serializers.Serializer):
    accepted = _quantity(required=False, default=Decimal(0))
    rejected = _quantity(required=False, default=Decimal(0))
    sample_size = _quantity(required=False, default=Decimal(0))
    defective_in_sample = _quantity(required=False, default=Decimal(0))
    defect_reason = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SupplierReturnInputSerializer(serializers.Serializer):
    quantity = _quantity()
    reason = serializers.CharField(max_length=200)


class InspectionViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InspectionLotSerializer
    permission_classes = [ModelPermissions]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["status", "kind"]
    search_fields = ["number", "item__code", "source_number", "supplier__code"]
    ordering = ["-created_at", "-id"]
    action_permissions = {
        "decide": requires("materials.add_inspectiondecision"),
        "return_to_supplier": requires("materials.add_supplierreturn"),
    }

    def get_queryset(self):
        return inspection_lots()

    def _answer(self, lot, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=lot.pk)).data, status=code)

    @extend_schema(request=InspectionDecideSerializer, responses={201: InspectionLotSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, number=None):
        lot = self.get_object()
        body = InspectionDecideSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        decide_inspection(user=request.user, lot=lot, **body.validated_data)
        return self._answer(lot, status.HTTP_201_CREATED)

    @extend_schema(request=SupplierReturnInputSerializer, responses={201: SupplierReturnSerializer})
    @action(detail=True, methods=["post"], url_path="return-to-supplier")
    def return_to_supplier(self, request, number=None):
        lot = self.get_object()
        body = SupplierReturnInputSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        back = return_to_supplier(user=request.user, lot=lot, **body.validated_data)
        return Response(SupplierReturnSerializer(back).data, status=status.HTTP_201_CREATED)


class SupplierReturnViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = SupplierReturnSerializer
    permission_classes = [ModelPermissions]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    search_fields = ["number", "supplier__code", "item__code"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return SupplierReturn.objects.select_related(
            "supplier", "item", "purchase_line__purchase_order", "lot", "created_by"
        )


router = SimpleRouter(trailing_slash=True)
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("supplier-returns", SupplierReturnViewSet, basename="supplier-return")
urlpatterns = router.urls
