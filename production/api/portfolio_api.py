"""REST of the key-customer monthly portfolio:

- GET/POST /api/v1/portfolios/                  list; POST {"month": "2026-03"} builds one
- POST /api/v1/portfolios/{id}/resolve|submit|approve|reject/
- GET  /api/v1/portfolios/{id}/plan-vs-actual/
- GET/PATCH /api/v1/portfolio-lines/            PATCH {"request": "include"|"exclude"|""}
- GET  /api/v1/never-produced/?older_than=60    old accepted order lines never produced
  (escalations and the disposal of old orders: production.api.portfolio_cases_api)

Reads need the view permission; writes go through production.services.portfolio. Income
figures (`total_income`, `marginal_income`, `income_per_hour`) and sorting by them are
only for those production.services.portfolio.sees_income allows; others get the rest."""

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.idempotency import idempotent
from erp.api.serializers import HiddenCostsMixin
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.api.input_errors import invalid_input
from production.api.plan_views import may_view
from production.models import Portfolio, PortfolioLine
from production.planning.portfolio_data import NEVER_PRODUCED_DAYS, never_produced, plan_vs_actual
from production.services import portfolio as services


def _decimal(**kwargs):
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, read_only=True, **kwargs
    )


INCOME_HELP = (
    "Only managers, administrators and the people who build or approve the portfolio "
    "(production planning, the production head) see it; omitted for everyone else."
)


class HiddenIncomeMixin(HiddenCostsMixin):
    """Income figures give the standard cost away (price and quantity are on the order), so
    they are omitted for users production.services.portfolio.sees_income refuses."""

    cost_fields = services.INCOME_FIELDS
    costs_refused_message = (
        "Only managers, administrators and the people who build or approve the portfolio "
        "see income figures ({fields})."
    )

    def sees_costs(self) -> bool:
        if getattr(self.context.get("view"), "swagger_fake_view", False):
            return True  # building the OpenAPI schema: document every field
        request = self.context.get("request")
        return request is not None and services.sees_income(request.user)


class PortfolioSerializer(HiddenIncomeMixin, serializers.ModelSerializer):
    """A key-customer monthly portfolio and where it is on the approval route."""

    bottleneck = serializers.CharField(source="bottleneck.code", read_only=True, default=None)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Portfolio
        fields = [
            "id",
            "number",
            "month",
            "status",
            "level",
            "level_since",
            "escalated_to",
            "escalated_at",
            "bottleneck",
            "solver",
            "solve_seconds",
            "total_income",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields
        extra_kwargs = {"total_income": {"help_text": INCOME_HELP}}


class PortfolioLineSerializer(HiddenIncomeMixin, serializers.ModelSerializer):
    """A candidate order line: flags, in or out (and why), the salesperson's request."""

    order_no = serializers.CharField(source="order_line.order.order_no", read_only=True)
    line = serializers.IntegerField(source="order_line.line", read_only=True)
    customer = serializers.CharField(source="order_line.order.customer.code", read_only=True)
    item = serializers.CharField(source="order_line.item.code", read_only=True)
    salesperson = serializers.SlugRelatedField(slug_field="username", read_only=True)
    load = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = PortfolioLine
        fields = [
            "id",
            "portfolio",
            "order_no",
            "line",
            "customer",
            "salesperson",
            "key_account",
            "item",
            "quantity",
            "due_date",
            "marginal_income",
            "bottleneck_hours",
            "income_per_hour",
            "load",
            "included",
            "reason",
            "conflict",
            "request",
            "request_note",
        ]
        read_only_fields = [f for f in fields if f not in ("request", "request_note")]
        extra_kwargs = {
            "marginal_income": {"help_text": INCOME_HELP},
            "income_per_hour": {"help_text": "Marginal income per bottleneck hour. " + INCOME_HELP},
        }


class BuildSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ActualSerializer(serializers.Serializer):
    order_no = serializers.CharField(source="line.order_line.order.order_no")
    line = serializers.IntegerField(source="line.order_line.line")
    planned = _decimal(source="line.quantity")
    finished = _decimal()
    shipped = _decimal()
    attainment = _decimal(allow_null=True)


class NeverProducedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The order line's id (for dispose/).")
    order_no = serializers.CharField(source="order.order_no")
    line = serializers.IntegerField()
    order_date = serializers.DateField(source="order.order_date")
    customer = serializers.CharField(source="order.customer.code")
    item = serializers.CharField(source="item.code")
    quantity = _decimal()
    due_date = serializers.DateField()


class NeverProducedQuery(serializers.Serializer):
    older_than = serializers.IntegerField(min_value=1, max_value=3650, default=NEVER_PRODUCED_DAYS)


class PortfolioViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Key-customer monthly portfolios. POST builds the month's with the optimizer."""

    serializer_class = PortfolioSerializer
    permission_classes = [may_view("production.view_portfolio")]
    filterset_fields = ["status", "month"]
    ordering_fields = ["month", "number"]
    ordering = ["-month", "-number"]
    search_fields = ["number"]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return Portfolio.objects.select_related("bottleneck", "created_by")

    def _answer(self, portfolio, code=status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=portfolio.pk)).data, status=code
        )

    @extend_schema(request=BuildSerializer, responses={201: PortfolioSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = BuildSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        portfolio = services.portfolio_build(user=request.user, month=body.validated_data["month"])
        return self._answer(portfolio, status.HTTP_201_CREATED)

    def _act(self, request, service) -> Response:
        return self._answer(service(user=request.user, portfolio=self.get_object()))

    @extend_schema(request=None, responses=PortfolioSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def resolve(self, request, pk=None):
        """Solve again with the salespeople's requests."""
        portfolio = self.get_object()
        services.portfolio_resolve(user=request.user, portfolio=portfolio)
        return self._answer(portfolio)

    @extend_schema(request=None, responses=PortfolioSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        """Send the draft up the approval route (production planner first)."""
        return self._act(request, services.portfolio_submit)

    @extend_schema(request=None, responses=PortfolioSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Approve at the step it waits for; the manager's approval agrees it."""
        return self._act(request, services.portfolio_approve)

    @extend_schema(request=RejectSerializer, responses=PortfolioSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        """Send it back to draft with the reason."""
        body = RejectSerializer(data=request.data)
        if not body.is_valid():
            return invalid_input(body.errors)
        portfolio = services.portfolio_reject(
            user=request.user, portfolio=self.get_object(), reason=body.validated_data["reason"]
        )
        return self._answer(portfolio)

    @extend_schema(responses=ActualSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="plan-vs-actual")
    def plan_vs_actual(self, request, pk=None):
        """Planned quantity of every line in, against finished and shipped this month."""
        return Response(
            ActualSerializer(plan_vs_actual(portfolio=self.get_object()), many=True).data
        )


class PortfolioLineFilter(filters.FilterSet):
    portfolio = filters.NumberFilter(field_name="portfolio_id")
    salesperson = filters.CharFilter(field_name="salesperson__username")

    class Meta:
        model = PortfolioLine
        fields = ["portfolio", "included", "conflict", "key_account", "salesperson"]


class PortfolioLineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Portfolio lines; a salesperson PATCHes `request` on his own orders."""

    serializer_class = PortfolioLineSerializer
    permission_classes = [may_view("production.view_portfolio")]
    filterset_class = PortfolioLineFilter
    ordering = ["portfolio", "-included", "-key_account", "due_date", "id"]
    search_fields = ["order_line__order__order_no"]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "head", "options"]

    @property
    def ordering_fields(self) -> list[str]:
        # Sorted by income, the lines would rank the costs of those who may not see them.
        request = getattr(self, "request", None)
        if getattr(self, "swagger_fake_view", False) or (
            request is not None and services.sees_income(request.user)
        ):
            return ["due_date", "marginal_income", "income_per_hour"]
        return ["due_date"]

    def get_queryset(self):
        return PortfolioLine.objects.select_related(
            "portfolio", "order_line__order__customer", "order_line__item", "salesperson"
        )

    def partial_update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=True)
        if not serializer.is_valid():
            return invalid_input(serializer.errors)
        data = serializer.validated_data
        services.portfolio_request(
            user=request.user,
            line=line,
            request=data.get("request", line.request),
            note=data.get("request_note", line.request_note),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)


class NeverProducedView(APIView):
    """Old accepted order lines never produced: nothing shipped, reported or received."""

    permission_classes = [may_view("production.view_portfolio")]

    @extend_schema(parameters=[NeverProducedQuery], responses=NeverProducedSerializer(many=True))
    def get(self, request):
        query = NeverProducedQuery(data=request.query_params)
        if not query.is_valid():
            return invalid_input(query.errors)
        lines = never_produced(older_than_days=query.validated_data["older_than"])
        return Response(NeverProducedSerializer(lines, many=True).data)
