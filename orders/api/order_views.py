"""REST endpoints of customer orders and order change notices. Reads through
orders.selectors, writes through orders.services; every POST honours Idempotency-Key."""

import django_filters as filters
from django.db.models import Exists, OuterRef
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from erp.api.filters import SearchFilter
from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from orders.api.order_serializers import OrderChangeSerializer, OrderSerializer
from orders.models import (
    ChangeKind,
    LineStatus,
    MaterialStatus,
    OrderChange,
    OrderStatus,
    SalesOrder,
    SalesOrderLine,
)
from orders.selectors import orders as selectors
from orders.services import orders as order_services
from orders.services.changes import change_apply


class OrderFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=OrderStatus.choices)
    customer = filters.CharFilter(field_name="customer__code", help_text="Customer code.")
    salesperson = filters.CharFilter(
        field_name="customer__salesperson__username", help_text="Username of the salesperson."
    )
    material_status = filters.ChoiceFilter(
        choices=MaterialStatus.choices, help_text="unknown, covered, partly or short."
    )
    due_before = filters.DateFilter(
        method="filter_due", help_text="Orders with a line due on or before this date."
    )
    due_after = filters.DateFilter(
        method="filter_due", help_text="Orders with a line due on or after this date."
    )
    order_date_from = filters.DateFilter(field_name="order_date", lookup_expr="gte")
    order_date_to = filters.DateFilter(field_name="order_date", lookup_expr="lte")

    class Meta:
        model = SalesOrder
        fields = ["status", "customer", "salesperson", "material_status", "replan_needed"]

    def filter_due(self, queryset, name, value):
        lookup = "due_date__lte" if name == "due_before" else "due_date__gte"
        lines = SalesOrderLine.objects.filter(order=OuterRef("pk"), **{lookup: value}).exclude(
            status=LineStatus.CANCELLED
        )
        return queryset.filter(Exists(lines))


class OrderPermissions(ModelPermissions):
    """Reading needs view; confirming and closing change the order."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) in ("confirm", "close"):
            user = request.user
            return bool(
                user and user.is_authenticated and user.has_perm("orders.change_salesorder")
            )
        return super().has_permission(request, view)


class OrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customer orders with their lines. Created as a draft, edited (PATCH) while a draft,
    then confirmed; after that they change only by an order change notice."""

    serializer_class = OrderSerializer
    permission_classes = [OrderPermissions]
    filterset_class = OrderFilter
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["order_no", "customer_po", "customer__code", "customer__name"]
    ordering_fields = ["order_no", "order_date", "updated_at"]
    ordering = ["-order_date", "order_no"]
    lookup_field = "order_no"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.orders_for_api()

    def _fresh(self, order: SalesOrder) -> SalesOrder:
        return selectors.orders_for_api().get(pk=order.pk)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        lines = data.pop("lines", [])
        order = order_services.order_create(user=self.request.user, lines=lines, **data)
        serializer.instance = self._fresh(order)

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        lines = data.pop("lines", None)
        data.pop("order_no", None)  # the number is the order's address; it does not change
        order = order_services.order_update(
            order=serializer.instance, user=self.request.user, lines=lines, **data
        )
        serializer.instance = self._fresh(order)

    @extend_schema(request=None, responses={200: OrderSerializer, 202: OrderSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def confirm(self, request, order_no=None):
        """Draft -> confirmed (200); refused without lines or with a line due before the order
        date. When the credit check stops it (CONTRACT 8) the answer is 202 with the order in
        status credit_hold: it waits for a manager's credit approval (GET
        /api/v1/credit-approvals/?order=NO)."""
        order = order_services.order_confirm(order=self.get_object(), user=request.user)
        held = order.status == OrderStatus.CREDIT_HOLD
        return Response(
            self.get_serializer(self._fresh(order)).data,
            status=status.HTTP_202_ACCEPTED if held else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, order_no=None):
        """Nothing more will happen to the order: its open lines are closed as they stand."""
        order = order_services.order_close(order=self.get_object(), user=request.user)
        return Response(self.get_serializer(self._fresh(order)).data)


class OrderChangeFilter(filters.FilterSet):
    order = filters.CharFilter(field_name="order__order_no", help_text="Order number.")
    customer = filters.CharFilter(field_name="order__customer__code", help_text="Customer code.")
    kind = filters.ChoiceFilter(choices=ChangeKind.choices)
    since = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")

    class Meta:
        model = OrderChange
        fields = ["order", "customer", "kind"]


class OrderChangeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Order change notices (订单变更通知单). Creating one applies it to the order at once:
    cancel (a line, or the whole order without `line`), due_date, quantity, specification."""

    serializer_class = OrderChangeSerializer
    permission_classes = [ModelPermissions]
    filterset_class = OrderChangeFilter
    search_fields = ["number", "order__order_no", "reason"]
    ordering_fields = ["number", "created_at"]
    ordering = ["-created_at"]
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.changes_for_api()

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = change_apply(
            user=request.user,
            order=data["order"],
            kind=data["kind"],
            reason=data["reason"],
            order_line=(data.get("order_line") or {}).get("line"),
            new_due_date=data.get("new_due_date"),
            new_quantity=data.get("new_quantity"),
            new_specification=data.get("new_specification", ""),
        )
        fresh = selectors.changes_for_api().get(pk=change.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
