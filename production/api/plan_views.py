"""REST of machine capacity and the production plan:

- GET  /api/v1/machine-load/            capacity vs planned hours per machine and ISO week
- CRUD /api/v1/downtimes/               planned machine downtime
- GET/POST /api/v1/plans/               plans; POST proposes a new draft for a period
- POST /api/v1/plans/{id}/submit|approve|reject|reopen|cancel|revise/
- GET  /api/v1/plans/{id}/changes/      what a revision changes against the previous one
- GET/PATCH/DELETE /api/v1/plan-lines/  the lines; PATCH moves a draft's line by hand
- POST /api/v1/plan-lines/{id}/move|split|push/, GET /api/v1/plan-adjustments/: adjusting
  the approved plan (production.api.adjust_api)

Reads need the view permission; every write goes through production.services, which says
who may (403) and refuses bad requests in words (400/409). POSTs honour Idempotency-Key."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from erp.errors import DomainError
from materials.api.input_errors import invalid_input
from orders.models import SalesOrder
from production.api.plan_serializers import (
    DowntimeSerializer,
    LoadQuerySerializer,
    MachineLoadSerializer,
    PlanChangeSerializer,
    PlanLineSerializer,
    PlanProposeSerializer,
    PlanRejectSerializer,
    PlanReviseSerializer,
    PlanSerializer,
)
from production.models import Downtime, PlanLine, PlanStatus, ProductionPlan
from production.planning.capacity import machine_load
from production.selectors import plan_diff, plan_list, with_staleness
from production.services import downtime as downtime_services
from production.services import plans as plan_services
from production.services.proposal import plan_propose, plan_revise


def may_view(permission: str):
    """Reading and asking for an action need `permission`; the service behind an action
    checks the action's own permission (403 in words)."""

    class MayView(BasePermission):
        message = "Your role may not see this."

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(permission))

    MayView.__name__ = f"MayView_{permission.replace('.', '_')}"
    return MayView


class MachineLoadView(APIView):
    """Capacity and planned hours per machine and ISO week (机台情况), overloads flagged,
    with the orders behind each week's load."""

    permission_classes = [may_view("production.view_productionplan")]

    @extend_schema(parameters=[LoadQuerySerializer], responses=MachineLoadSerializer(many=True))
    def get(self, request):
        query = LoadQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return invalid_input(query.errors)
        data = query.validated_data
        preview = None
        if data.get("plan"):
            preview = ProductionPlan.objects.filter(pk=data["plan"]).first()
            if preview is None:
                raise DomainError(f"There is no plan {data['plan']}.", field="plan")
        rows = machine_load(
            start=data.get("start") or timezone.localdate(),
            weeks=data["weeks"],
            preview=preview,
            machine_codes=[data["machine"]] if data.get("machine") else [],
        )
        return Response(MachineLoadSerializer(rows, many=True).data)


class DowntimeFilter(filters.FilterSet):
    machine = filters.CharFilter(field_name="work_center__code", help_text="Machine code.")
    since = filters.DateFilter(
        field_name="end_date", lookup_expr="gte", help_text="Ends on or after."
    )
    until = filters.DateFilter(
        field_name="start_date", lookup_expr="lte", help_text="Starts on or before."
    )

    class Meta:
        model = Downtime
        fields = ["machine", "since", "until"]


class DowntimeViewSet(viewsets.ModelViewSet):
    """Planned machine downtime (maintenance, holidays): capacity drops on those days."""

    serializer_class = DowntimeSerializer
    permission_classes = [ModelPermissions]
    filterset_class = DowntimeFilter
    ordering_fields = ["start_date", "end_date"]
    ordering = ["start_date", "id"]
    search_fields = ["reason", "work_center__code"]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Downtime.objects.select_related("work_center", "created_by")

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            return invalid_input(serializer.errors)
        downtime = downtime_services.downtime_create(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(downtime).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        if not serializer.is_valid():
            return invalid_input(serializer.errors)
        downtime = downtime_services.downtime_update(
            user=request.user, downtime=serializer.instance, **serializer.validated_data
        )
        return Response(self.get_serializer(downtime).data)

    def perform_destroy(self, instance) -> None:
        downtime_services.downtime_delete(user=self.request.user, downtime=instance)


class PlanFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=PlanStatus.choices)
    number = filters.CharFilter(field_name="number", help_text="Plan number.")
    period_from = filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_to = filters.DateFilter(field_name="period_start", lookup_expr="lte")
    stale = filters.BooleanFilter(field_name="has_stale")

    class Meta:
        model = ProductionPlan
        fields = ["status", "number", "stale"]


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Production plans (生产计划表). POST proposes a draft for a period; the actions move it
    along: submit (sales), approve or reject with a reason (production), reopen or cancel a
    rejected/draft plan, revise an approved one (a new revision)."""

    serializer_class = PlanSerializer
    permission_classes = [may_view("production.view_productionplan")]
    filterset_class = PlanFilter
    ordering_fields = ["period_start", "number", "revision", "created_at"]
    ordering = ["-period_start", "-number", "-revision"]
    search_fields = ["number", "note"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return plan_list()

    def _answer(self, plan: ProductionPlan, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(plan_list().get(pk=plan.pk)).data, status=code)

    @extend_schema(request=PlanProposeSerializer, responses={201: PlanSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = PlanProposeSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        plan = plan_propose(
            user=request.user, start=data["period_start"], end=data["period_end"], note=data["note"]
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    def _act(self, request, service) -> Response:
        plan = service(user=request.user, plan=self.get_object())
        return self._answer(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        """Draft -> submitted (sales follow-up); production is told."""
        return self._act(request, plan_services.plan_submit)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Submitted -> approved (production): the plan is in force, work orders released."""
        return self._act(request, plan_services.plan_approve)

    @extend_schema(request=PlanRejectSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        """Submitted -> rejected (production), with the reason."""
        body = PlanRejectSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        plan = plan_services.plan_reject(
            user=request.user, plan=self.get_object(), reason=body.validated_data["reason"]
        )
        return self._answer(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reopen(self, request, pk=None):
        """Rejected -> draft, to rework and submit again."""
        return self._act(request, plan_services.plan_reopen)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        """A draft or rejected plan is dropped."""
        return self._act(request, plan_services.plan_cancel)

    @extend_schema(request=PlanReviseSerializer, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def revise(self, request, pk=None):
        """A new draft revision of the approved plan: changed orders (and `replan_orders`)
        are scheduled again, the rest carried over."""
        body = PlanReviseSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        numbers = body.validated_data["replan_orders"]
        orders = dict(SalesOrder.objects.filter(order_no__in=numbers).values_list("order_no", "pk"))
        unknown = sorted(set(numbers) - set(orders))
        if unknown:
            raise DomainError(f"No order {', '.join(unknown)}.", field="replan_orders")
        revision = plan_revise(
            user=request.user,
            plan=self.get_object(),
            replan_order_ids=list(orders.values()),
            note=body.validated_data["note"],
        )
        return self._answer(revision, status.HTTP_201_CREATED)

    @extend_schema(responses=PlanChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        """What this revision changes against the previous one, per order line."""
        changes = plan_diff(plan=self.get_object())
        return Response(PlanChangeSerializer(changes, many=True).data)


class PlanLineFilter(filters.FilterSet):
    plan = filters.NumberFilter(field_name="plan_id", help_text="Plan id.")
    order_no = filters.CharFilter(field_name="order_line__order__order_no")
    machine = filters.CharFilter(field_name="work_center__code", help_text="Machine code.")
    on = filters.DateFilter(method="filter_on", help_text="Lines running on this day.")
    in_force = filters.BooleanFilter(
        method="filter_in_force", help_text="Only lines of approved plans."
    )
    stale = filters.BooleanFilter(field_name="is_stale")

    class Meta:
        model = PlanLine
        fields = ["plan", "order_no", "machine", "stale"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)

    def filter_in_force(self, queryset, name, value):
        wanted = Q(plan__status=PlanStatus.APPROVED)
        return queryset.filter(wanted) if value else queryset.exclude(wanted)


class PlanLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Plan lines. PATCH (start_date, end_date, work_center) moves a draft's line by hand;
    DELETE takes its order line out of the draft."""

    serializer_class = PlanLineSerializer
    permission_classes = [may_view("production.view_planline")]
    filterset_class = PlanLineFilter
    ordering_fields = ["priority", "start_date", "end_date"]
    ordering = ["plan", "priority", "seq", "id"]
    search_fields = ["order_line__order__order_no", "item__code"]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return with_staleness(
            PlanLine.objects.select_related(
                "order_line__order__customer", "item", "process", "work_center", "work_order"
            )
        )

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        if not serializer.is_valid():
            return invalid_input(serializer.errors)
        data = serializer.validated_data
        line = plan_services.plan_line_update(
            user=request.user,
            line=serializer.instance,
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            work_center=data.get("work_center"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    def perform_destroy(self, instance) -> None:
        plan_services.plan_line_remove(user=self.request.user, line=instance)
