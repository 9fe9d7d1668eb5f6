"""`/api/v1/stock/` (CONTRACT.md section 7), `/api/v1/stock-moves/` (the ledger) and
`/api/v1/stock-adjustments/` (a count asked by the warehouse, decided by a manager)."""

import django_filters as filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from erp.api.filters import SearchFilter
from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from erp.errors import DomainError
from materials import selectors_stock as selectors
from materials.api import stock_serializers as s
from materials.api.input_errors import invalid_input
from materials.models import (
    Item,
    LocationKind,
    MoveKind,
    StockAdjustment,
    StockBalance,
    StockMove,
)
from materials.services.adjustments import (
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
    may_approve,
)


class StockFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", help_text="Exact item code.")
    warehouse = filters.CharFilter(
        field_name="location__warehouse__code", help_text="Exact warehouse code."
    )
    nonzero = filters.BooleanFilter(
        method="filter_nonzero", help_text="true: only rows with usable or quarantine stock."
    )

    class Meta:
        model = StockBalance
        fields = ["item", "warehouse", "nonzero"]

    def filter_nonzero(self, queryset, name, value):
        if value:
            return queryset.filter(Q(usable__gt=0) | Q(quarantine__gt=0) | Q(inspection__gt=0))
        return queryset


class StockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Usable and quarantine stock per item and warehouse, ordered by item then warehouse."""

    serializer_class = s.StockRowSerializer
    permission_classes = [ModelPermissions]
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = StockFilter
    search_fields = ["item__code", "item__name"]

    def get_queryset(self):
        return selectors.stock_rows()


class StockMoveFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", help_text="Exact item code.")
    warehouse = filters.CharFilter(
        field_name="location__warehouse__code", help_text="Exact warehouse code."
    )
    location = filters.ChoiceFilter(field_name="location__kind", choices=LocationKind.choices)
    kind = filters.ChoiceFilter(choices=MoveKind.choices)
    document_number = filters.CharFilter(help_text="The slip, receipt or delivery number.")
    created_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = StockMove
        fields = [
            "item",
            "warehouse",
            "location",
            "kind",
            "document_type",
            "document_number",
            "created_from",
            "created_to",
        ]


class StockMoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The stock ledger, newest first: every move with the document behind it."""

    serializer_class = s.StockMoveSerializer
    permission_classes = [ModelPermissions]
    filterset_class = StockMoveFilter
    search_fields = ["document_number", "item__code"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return StockMove.objects.select_related("item", "location__warehouse", "created_by")


class MayApprove(BasePermission):
    message = "Only a manager may approve or reject a stock adjustment."

    def has_permission(self, request, view) -> bool:
        return may_approve(request.user)


class AdjustmentFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", help_text="Exact item code.")
    warehouse = filters.CharFilter(
        field_name="location__warehouse__code", help_text="Exact warehouse code."
    )

    class Meta:
        model = StockAdjustment
        fields = ["item", "warehouse", "status"]


class StockAdjustmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Stock-count adjustments: the warehouse POSTs a count with a reason; a manager
    approves it (the count becomes the balance, even if the books moved since) or rejects
    it with a reason."""

    serializer_class = s.AdjustmentSerializer
    permission_classes = [ModelPermissions]
    filterset_class = AdjustmentFilter
    search_fields = ["number", "item__code", "reason"]
    ordering_fields = ["created_at", "number"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.adjustment_list()

    def get_permissions(self):
        if self.action in ("approve", "reject"):
            return [MayApprove()]
        return super().get_permissions()

    @extend_schema(request=s.AdjustmentCreateSerializer, responses={201: s.AdjustmentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.AdjustmentCreateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        data = body.validated_data
        item = Item.objects.filter(code=data["item"]).first()
        if item is None:
            raise DomainError(f"There is no item {data['item']}.", field="item")
        adjustment = adjustment_request(
            user=request.user,
            item=item,
            warehouse_code=data["warehouse"],
            location_kind=data["location"],
            counted_quantity=data["counted_quantity"],
            reason=data["reason"],
        )
        return self._answer(adjustment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.AdjustmentSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Apply the count: it becomes the balance; `decision_note` says what moved."""
        adjustment = adjustment_approve(user=request.user, adjustment=self.get_object())
        return self._answer(adjustment, status.HTTP_200_OK)

    @extend_schema(request=s.AdjustmentRejectSerializer, responses={200: s.AdjustmentSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        """Refuse the count with a reason; the stock stays as it is."""
        body = s.AdjustmentRejectSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        adjustment = adjustment_reject(
            user=request.user, adjustment=self.get_object(), reason=body.validated_data["reason"]
        )
        return self._answer(adjustment, status.HTTP_200_OK)

    def _answer(self, adjustment, code: int) -> Response:
        fresh = self.get_queryset().get(pk=adjustment.pk)
        return Response(self.get_serializer(fresh).data, status=code)
