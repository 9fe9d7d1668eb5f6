"""`/api/v1/ncrs/` (不合格品报告) and `/api/v1/in-process-checks/` (巡检): quality's records.
An NCR's `cost` is for managers and administrators only; `dispose/` decides it once (409
after). Bad input: 400 with field messages; nothing written."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.permissions import ModelPermissions
from erp.api.serializers import HiddenCostsMixin
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.api.input_errors import invalid_input
from materials.api.purchasing_views import ActionPermissionsMixin, requires
from materials.models import Item, Process, Supplier
from production.models import Disposition, InProcessCheck, NcrSource, Nonconformance, WorkOrder
from production.selectors_quality import checks, nonconformances
from production.services import quality

# The customer complaint an NCR answers lives in the relationship layer (crm), above
# production: it is reached through the NCR's own link, not imported.
Complaint = Nonconformance._meta.get_field("complaint").related_model


def _quantity(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


def _code(model, field: str, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field=field, queryset=model.objects.all(), **kwargs)


class NcrSerializer(HiddenCostsMixin, serializers.ModelSerializer):
    cost_fields = ("cost",)
    item = serializers.CharField(source="item.code", read_only=True)
    supplier = serializers.CharField(source="supplier.code", read_only=True, allow_null=True)
    work_order = serializers.CharField(source="work_order.wo_no", read_only=True, allow_null=True)
    process = serializers.CharField(source="process.code", read_only=True, allow_null=True)
    complaint = serializers.CharField(source="complaint.number", read_only=True, allow_null=True)
    inspection = serializers.CharField(
        source="inspection_lot.number", read_only=True, allow_null=True
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    disposed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Nonconformance
        fields = [
            "number",
            "source",
            "status",
            "item",
            "quantity",
            "defect_reason",
            "description",
            "cost",
            "inspection",
            "supplier",
            "work_order",
            "process",
            "complaint",
            "disposition",
            "disposition_note",
            "disposed_at",
            "disposed_by",
            "created_at",
            "created_by",
        ]


class NcrCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=NcrSource.choices)
    item = _code(Item, "code")
    quantity = _quantity(min_value=Decimal("0.000001"))
    defect_reason = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    work_order = _code(WorkOrder, "wo_no", required=False, allow_null=True)
    process = _code(Process, "code", required=False, allow_null=True)
    supplier = _code(Supplier, "code", required=False, allow_null=True)
    complaint = _code(Complaint, "number", required=False, allow_null=True)


class NcrDisposeSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CheckSerializer(serializers.ModelSerializer):
    work_order = _code(WorkOrder, "wo_no")
    process = _code(Process, "code")
    inspected = _quantity(min_value=Decimal("0.000001"))
    defective = _quantity(min_value=Decimal(0), required=False, default=Decimal(0))
    raise_ncr = serializers.BooleanField(write_only=True, required=False, default=False)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InProcessCheck
        fields = ["id", "work_order", "process", "date", "inspected", "defective"]
        fields += ["defect_reason", "notes", "raise_ncr", "created_at", "created_by"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"date": {"required": False}}


class NcrViewSet(
    ActionPermissionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NcrSerializer
    permission_classes = [ModelPermissions]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filterset_fields = ["status", "source", "disposition"]
    search_fields = ["number", "item__code", "defect_reason", "work_order__wo_no"]
    ordering = ["-created_at", "-id"]
    action_permissions = {"dispose": requires("production.change_nonconformance")}

    def get_queryset(self):
        return nonconformances()

    def _answer(self, ncr, code) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=ncr.pk)).data, status=code)

    @extend_schema(request=NcrCreateSerializer, responses={201: NcrSerializer})
    def create(self, request, *args, **kwargs):
        body = NcrCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        ncr = quality.open_ncr(user=request.user, **body.validated_data)
        return self._answer(ncr, status.HTTP_201_CREATED)

    @extend_schema(request=NcrDisposeSerializer, responses={200: NcrSerializer})
    @action(detail=True, methods=["post"])
    def dispose(self, request, number=None):
        ncr = self.get_object()
        body = NcrDisposeSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        quality.dispose_ncr(user=request.user, ncr=ncr, **body.validated_data)
        return self._answer(ncr, status.HTTP_200_OK)


class InProcessCheckViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CheckSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["process__code", "work_order__wo_no"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return checks()

    def create(self, request, *args, **kwargs):
        body = CheckSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = dict(body.validated_data)
        check = quality.record_check(user=request.user, **data)
        return Response(
            CheckSerializer(self.get_queryset().get(pk=check.pk)).data,
            status=status.HTTP_201_CREATED,
        )


router = SimpleRouter(trailing_slash=True)
router.register("ncrs", NcrViewSet, basename="ncr")
router.register("in-process-checks", InProcessCheckViewSet, basename="in-process-check")
urlpatterns = router.urls
