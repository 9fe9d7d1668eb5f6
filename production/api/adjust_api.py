"""REST of production's adjustments of the approved plan, next to the plan API:

- POST /api/v1/plan-lines/{id}/move/    {quantity, from_date, to_date, work_center?, reason,
                                         late_ok?}
- POST /api/v1/plan-lines/{id}/split/   {quantity, start_date, work_center?, reason, late_ok?}
- POST /api/v1/plan-lines/{id}/push/    {start_date, reason, late_ok?}
- GET  /api/v1/plan-adjustments/        the history (?number=PP-..., ?plan=<id>, ?kind=)

Each POST answers 201 with the adjustment and the revision it made (in force at once). 403
for roles other than production and sales follow-up; 400 with the field for a missing
reason, a quantity beyond what is planned, a day in the past, a machine day without room,
or a change that makes an order late without `late_ok` (409 when the line's revision is no
longer in force). POSTs honour Idempotency-Key."""

import django_filters as filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.api.input_errors import invalid_input
from materials.models import WorkCenter
from production.api.plan_views import may_view
from production.models import PlanAdjustment, PlanLine
from production.services.adjust import plan_adjust_move, plan_adjust_push, plan_adjust_split

PLAN_VIEW = "production.view_productionplan"


def _machine():
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=WorkCenter.objects.all(),
        required=False,
        allow_null=True,
        help_text="Machine code; default the line's own.",
    )


def _quantity():
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, min_value=0
    )


class _Common(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the plan is adjusted.")
    late_ok = serializers.BooleanField(
        default=False,
        help_text="Confirm a change that makes an order finish after its due date: a "
        "contact slip is raised for sales follow-up.",
    )


class MoveSerializer(_Common):
    quantity = _quantity()
    from_date = serializers.DateField()
    to_date = serializers.DateField()
    work_center = _machine()


class SplitSerializer(_Common):
    quantity = _quantity()
    start_date = serializers.DateField()
    work_center = _machine()


class PushSerializer(_Common):
    start_date = serializers.DateField()


class PlanAdjustmentSerializer(serializers.ModelSerializer):
    """One adjustment: the revision it made, who, when, why, what changed, orders made late
    and the contact slips raised for them."""

    number = serializers.CharField(source="plan.number", read_only=True)
    revision = serializers.IntegerField(source="plan.revision", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    detail = serializers.JSONField(read_only=True)
    late = serializers.JSONField(read_only=True)

    class Meta:
        model = PlanAdjustment
        fields = [
            "id",
            "plan",
            "number",
            "revision",
            "kind",
            "reason",
            "summary",
            "detail",
            "late",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class _AdjustView(APIView):
    permission_classes = [may_view(PLAN_VIEW)]
    body: type[serializers.Serializer] = _Common

    def adjust(self, line: PlanLine, data: dict, user) -> PlanAdjustment:
        raise NotImplementedError

    def _post(self, request, pk: int) -> Response:
        line = get_object_or_404(PlanLine.objects.select_related("plan"), pk=pk)
        body = self.body(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        adjustment = self.adjust(line, body.validated_data, request.user)
        answer = PlanAdjustment.objects.select_related("plan", "created_by").get(pk=adjustment.pk)
        return Response(PlanAdjustmentSerializer(answer).data, status=status.HTTP_201_CREATED)


class PlanLineMoveView(_AdjustView):
    """Move a quantity of an approved plan's step to another day (and machine)."""

    body = MoveSerializer

    def adjust(self, line, data, user):
        return plan_adjust_move(
            user=user,
            line=line,
            quantity=data["quantity"],
            from_date=data["from_date"],
            to_date=data["to_date"],
            work_center=data.get("work_center"),
            reason=data["reason"],
            late_ok=data["late_ok"],
        )

    @extend_schema(request=MoveSerializer, responses={201: PlanAdjustmentSerializer})
    @idempotent
    def post(self, request, pk: int):
        return self._post(request, pk)


class PlanLineSplitView(_AdjustView):
    """Split part of an approved plan's step into a line of its own."""

    body = SplitSerializer

    def adjust(self, line, data, user):
        return plan_adjust_split(
            user=user,
            line=line,
            quantity=data["quantity"],
            start_date=data["start_date"],
            work_center=data.get("work_center"),
            reason=data["reason"],
            late_ok=data["late_ok"],
        )

    @extend_schema(request=SplitSerializer, responses={201: PlanAdjustmentSerializer})
    @idempotent
    def post(self, request, pk: int):
        return self._post(request, pk)


class PlanLinePushView(_AdjustView):
    """Push an approved plan's step to a new start date (later steps follow)."""

    body = PushSerializer

    def adjust(self, line, data, user):
        return plan_adjust_push(
            user=user,
            line=line,
            start_date=data["start_date"],
            reason=data["reason"],
            late_ok=data["late_ok"],
        )

    @extend_schema(request=PushSerializer, responses={201: PlanAdjustmentSerializer})
    @idempotent
    def post(self, request, pk: int):
        return self._post(request, pk)


class PlanAdjustmentFilter(filters.FilterSet):
    number = filters.CharFilter(field_name="plan__number", help_text="Plan number.")
    plan = filters.NumberFilter(field_name="plan_id", help_text="The revision made.")

    class Meta:
        model = PlanAdjustment
        fields = ["number", "plan", "kind"]


class PlanAdjustmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The adjustments of approved plans, newest first."""

    serializer_class = PlanAdjustmentSerializer
    permission_classes = [may_view(PLAN_VIEW)]
    filterset_class = PlanAdjustmentFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return PlanAdjustment.objects.select_related("plan", "created_by")
