"""`/api/v1/mrp/planned-orders/` (the latest run's planned orders, as `export_report
mrp-planned-orders`) and `/api/v1/mrp/runs/` (the runs; POST starts one: 201 with the run,
202 when queued for a worker, 409 while one is in progress)."""

import django_filters as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from erp.api.idempotency import idempotent
from erp.roles import has_role
from materials.api.input_errors import invalid_input
from production.api.mrp_serializers import (
    MrpRunRequestSerializer,
    MrpRunSerializer,
    PlannedOrderSerializer,
)
from production.api.work_order_serializers import ReleaseRequestSerializer, WorkOrderSerializer
from production.models import MrpRun, PlannedOrder
from production.mrp.access import RUN_ROLES, VIEW_ROLES
from production.mrp.pages import api_rows
from production.mrp.selectors import planned_orders
from production.mrp.services import start_run
from production.services.release import release_planned_orders


class MrpPermission(BasePermission):
    """Read: purchasing, managers, warehouse, production. Start a run: purchasing and
    managers. Administrators: both."""

    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = VIEW_ROLES if request.method in ("GET", "HEAD", "OPTIONS") else RUN_ROLES
        return has_role(user, *roles)


class MayReleasePermission(BasePermission):
    """Releasing planned production as work orders: production (and administrators)."""

    message = "Only production may release work orders."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("production.add_workorder"))


class PlannedOrderFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PlannedOrder.Kind.choices)
    item = filters.CharFilter(field_name="item__code", help_text="Item code.")
    late = filters.BooleanFilter()
    supplier = filters.CharFilter(field_name="supplier__code", help_text="Supplier code.")

    class Meta:
        model = PlannedOrder
        fields = ["kind", "item", "late", "supplier"]


class PlannedOrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Planned orders of the latest succeeded MRP run, with their pegging (the customer
    orders and work orders they serve, through every BOM level)."""

    serializer_class = PlannedOrderSerializer
    permission_classes = [MrpPermission]
    filterset_class = PlannedOrderFilter
    search_fields = ["item__code"]
    ordering_fields = ["release_date", "due_date"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is being built
            return PlannedOrder.objects.none()
        return planned_orders().select_related("item", "supplier")

    def paginate_queryset(self, queryset):
        # A page of ids sorted first, then its rows; the count the run recorded if unfiltered.
        return super().paginate_queryset(api_rows(queryset, params=self.request.query_params))

    def get_permissions(self):
        if self.action == "release":
            return [MayReleasePermission()]
        return super().get_permissions()

    @extend_schema(
        request=ReleaseRequestSerializer,
        responses={
            201: WorkOrderSerializer(many=True),
            409: OpenApiResponse(description="A planned order was released already."),
        },
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def release(self, request):
        """Release planned production orders of the latest run as work orders (all or
        none): 201 with the work orders; 409 if one was released before."""
        body = ReleaseRequestSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        released = release_planned_orders(
            user=request.user, planned_order_ids=body.validated_data["planned_orders"]
        )
        data = WorkOrderSerializer(released, many=True).data
        return Response(data, status=status.HTTP_201_CREATED)


class MrpRunViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """MRP runs, latest first: who or what started each, as of when, outcome and counts."""

    serializer_class = MrpRunSerializer
    permission_classes = [MrpPermission]
    filterset_fields = ["status"]
    ordering_fields = ["started_at"]

    def get_queryset(self):
        return MrpRun.objects.select_related("started_by").order_by("-started_at", "-id")

    @extend_schema(
        request=MrpRunRequestSerializer,
        responses={
            201: MrpRunSerializer,
            202: OpenApiResponse(description="Queued for a worker."),
            409: OpenApiResponse(description="A run is in progress."),
        },
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = MrpRunRequestSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        run = start_run(user=request.user, as_of=body.validated_data["as_of"])
        if run is None:
            return Response(
                {"detail": "MRP run queued; GET /api/v1/mrp/runs/ shows it when it starts."},
                status=status.HTTP_202_ACCEPTED,
            )
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)
