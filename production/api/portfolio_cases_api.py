"""REST of escalated portfolio requests and of old accepted orders' disposal:

- POST /api/v1/portfolio-lines/{id}/escalate/    {case, figures: {label: amount}} 201
      the salesperson escalates his refused request (asked to include, left out)
- GET  /api/v1/portfolio-cases/                  escalations (?portfolio=, ?status=)
- POST /api/v1/portfolio-cases/{id}/decide/      {grant: true|false, note} (manager)
- POST /api/v1/never-produced/{order_line_id}/dispose/  {decision: cancel|keep, reason} 201
      cancel: an order change notice cancels the line; keep: the reason is recorded

Writes go through production.services.portfolio_route and production.services.stale_deals
(403 / 400 with the field / 409 in words). POSTs honour Idempotency-Key."""

import django_filters as filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from materials.api.input_errors import invalid_input
from orders.models import SalesOrderLine
from production.api.plan_views import may_view
from production.models import PortfolioCase, PortfolioLine, StaleDealDecision
from production.services.portfolio_route import portfolio_case_decide, portfolio_case_raise
from production.services.stale_deals import stale_deal_dispose

VIEW = "production.view_portfolio"


class PortfolioCaseSerializer(serializers.ModelSerializer):
    """A salesperson's escalation of a refused request with the financial case."""

    portfolio = serializers.IntegerField(source="line.portfolio_id", read_only=True)
    order_no = serializers.CharField(source="line.order_line.order.order_no", read_only=True)
    order_line = serializers.IntegerField(source="line.order_line.line", read_only=True)
    figures = serializers.DictField(child=serializers.CharField(), read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PortfolioCase
        fields = [
            "id",
            "line",
            "portfolio",
            "order_no",
            "order_line",
            "case",
            "figures",
            "status",
            "created_at",
            "created_by",
            "decided_at",
            "decided_by",
            "decision_note",
        ]
        read_only_fields = fields


class EscalateSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=2000, help_text="Why it must be made this month.")
    figures = serializers.DictField(
        child=serializers.CharField(max_length=40),
        help_text='Label -> amount, e.g. {"order value": "120000", "penalty if late": "5000"}.',
    )


class DecideSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DisposeSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=StaleDealDecision.Decision.choices)
    reason = serializers.CharField(max_length=2000)


class StaleDealDecisionSerializer(serializers.ModelSerializer):
    order_no = serializers.CharField(source="order_line.order.order_no", read_only=True)
    line = serializers.IntegerField(source="order_line.line", read_only=True)
    order_change = serializers.CharField(source="order_change.number", read_only=True, default=None)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StaleDealDecision
        fields = [
            "id",
            "order_line",
            "order_no",
            "line",
            "decision",
            "reason",
            "order_change",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


def _case_queryset():
    return PortfolioCase.objects.select_related(
        "line__order_line__order", "created_by", "decided_by"
    )


class PortfolioLineEscalateView(APIView):
    """The salesperson escalates his refused request to the manager with the case."""

    permission_classes = [may_view(VIEW)]

    @extend_schema(request=EscalateSerializer, responses={201: PortfolioCaseSerializer})
    @idempotent
    def post(self, request, pk: int):
        line = get_object_or_404(PortfolioLine, pk=pk)
        body = EscalateSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        case = portfolio_case_raise(
            user=request.user,
            line=line,
            case=body.validated_data["case"],
            figures=body.validated_data["figures"],
        )
        return Response(
            PortfolioCaseSerializer(_case_queryset().get(pk=case.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class PortfolioCaseFilter(filters.FilterSet):
    portfolio = filters.NumberFilter(field_name="line__portfolio_id")

    class Meta:
        model = PortfolioCase
        fields = ["portfolio", "status"]


class PortfolioCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Escalated portfolio requests; the manager decides them."""

    serializer_class = PortfolioCaseSerializer
    permission_classes = [may_view(VIEW)]
    filterset_class = PortfolioCaseFilter
    ordering = ["-created_at", "-id"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return _case_queryset()

    @extend_schema(request=DecideSerializer, responses=PortfolioCaseSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request, pk=None):
        """Grant (the order is included) or refuse (the note says why)."""
        body = DecideSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        case = portfolio_case_decide(
            user=request.user,
            case=self.get_object(),
            grant=body.validated_data["grant"],
            note=body.validated_data["note"],
        )
        return Response(PortfolioCaseSerializer(_case_queryset().get(pk=case.pk)).data)


class NeverProducedDisposeView(APIView):
    """Cancel (by an order change notice) or keep (with the reason) an old order line."""

    permission_classes = [may_view(VIEW)]

    @extend_schema(request=DisposeSerializer, responses={201: StaleDealDecisionSerializer})
    @idempotent
    def post(self, request, pk: int):
        line = get_object_or_404(SalesOrderLine, pk=pk)
        body = DisposeSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        record = stale_deal_dispose(
            user=request.user,
            order_line=line,
            decision=body.validated_data["decision"],
            reason=body.validated_data["reason"],
        )
        answer = StaleDealDecision.objects.select_related(
            "order_line__order", "order_change", "created_by"
        ).get(pk=record.pk)
        return Response(StaleDealDecisionSerializer(answer).data, status=status.HTTP_201_CREATED)
