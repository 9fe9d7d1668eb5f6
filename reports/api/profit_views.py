"""Profit and tier endpoints, for managers and administrators only: the three reports of
CONTRACT.md section 6 (the same rows as `export_report`, also as `?format=csv|xlsx`), the
tier thresholds, manual overrides and the log of tier changes."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer
from erp.api.permissions import role_permission
from erp.roles import Role
from reports.api import profit_serializers as shapes
from reports.api.profit_renderers import CsvRenderer, XlsxRenderer
from reports.exports import report_rows
from reports.models import TierChange, TierOverride, TierSettings
from reports.profit import services
from reports.profit.periods import parse_period, period_slug

MANAGERS = [IsAuthenticated, role_permission(Role.MANAGER.value)]

PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="A calendar year."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First ship date (inclusive)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last ship date (inclusive)."),
    OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
]
AS_OF_PARAMETERS = [
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description="Tiers from the last full calendar year before this date (default today).",
    ),
    OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
]


class ReportView(APIView):
    """One report of CONTRACT.md section 6; the rows are not paginated (a report is read
    whole, like the command's output)."""

    permission_classes = MANAGERS
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]
    report_name = ""

    def get(self, request):
        params = request.query_params
        self.period = parse_period(
            year=params.get("year"),
            start=params.get("from"),
            end=params.get("to"),
            as_of=params.get("as_of"),
        )
        _report, rows = report_rows(self.report_name, self.period)
        return Response(rows)

    def download_name(self) -> str:
        if self.report_name == "customer-tiers":
            return f"{self.report_name}-{self.period.as_of or 'today'}"
        return f"{self.report_name}-{period_slug(self.period)}"


@extend_schema_view(
    get=extend_schema(
        operation_id="report_customer_profit",
        parameters=PERIOD_PARAMETERS,
        responses=shapes.CustomerProfitRowSerializer(many=True),
    )
)
class CustomerProfitView(ReportView):
    """Customer profit contribution over a period, ranked."""

    report_name = "customer-profit"


@extend_schema_view(
    get=extend_schema(
        operation_id="report_product_profit",
        parameters=PERIOD_PARAMETERS,
        responses=shapes.ProductProfitRowSerializer(many=True),
    )
)
class ProductProfitView(ReportView):
    """The product profit table (成本利润分析表) over a period."""

    report_name = "product-profit"


@extend_schema_view(
    get=extend_schema(
        operation_id="report_customer_tiers",
        parameters=AS_OF_PARAMETERS,
        responses=shapes.CustomerTierRowSerializer(many=True),
    )
)
class CustomerTiersView(ReportView):
    """Every customer's tier as of a date."""

    report_name = "customer-tiers"


class TierSettingsView(APIView):
    """The tier thresholds a manager may change."""

    permission_classes = MANAGERS

    def _current(self) -> TierSettings:
        return TierSettings.objects.select_related("updated_by").filter(pk=1).first() or (
            TierSettings()
        )

    @extend_schema(responses=shapes.TierSettingsSerializer)
    def get(self, request):
        return Response(shapes.TierSettingsSerializer(self._current()).data)

    @extend_schema(request=shapes.TierSettingsSerializer, responses=shapes.TierSettingsSerializer)
    def put(self, request):
        return self._write(request, partial=False)

    @extend_schema(request=shapes.TierSettingsSerializer, responses=shapes.TierSettingsSerializer)
    def patch(self, request):
        return self._write(request, partial=True)

    def _write(self, request, *, partial: bool):
        current = self._current()
        serializer = shapes.TierSettingsSerializer(current, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = services.tier_settings_update(
            user=request.user,
            vip_share=data.get("vip_share", current.vip_share),
            important_share=data.get("important_share", current.important_share),
            migrating_drop=data.get("migrating_drop"),
        )
        return Response(shapes.TierSettingsSerializer(saved).data)


def _overrides():
    return TierOverride.objects.select_related("customer", "updated_by", "created_by").order_by(
        "customer__code"
    )


class TierOverrideListView(generics.ListAPIView):
    """Manual tier overrides; POST sets (or replaces) one customer's override."""

    permission_classes = MANAGERS
    serializer_class = shapes.TierOverrideSerializer
    queryset = TierOverride.objects.none()

    def get_queryset(self):
        return _overrides()

    @extend_schema(request=shapes.TierOverrideSerializer, responses=shapes.TierOverrideSerializer)
    def post(self, request):
        serializer = shapes.TierOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        override = services.tier_override_set(
            customer=data["customer"], user=request.user, tier=data["tier"], reason=data["reason"]
        )
        return Response(
            shapes.TierOverrideSerializer(override).data, status=status.HTTP_201_CREATED
        )


class TierOverrideDetailView(APIView):
    """One customer's override: read, replace (PUT {tier, reason}) or remove (DELETE,
    `?reason=` optional) to give the customer back to the rule."""

    permission_classes = MANAGERS

    def _customer(self, code: str) -> Customer:
        return get_object_or_404(Customer, code=code.replace("\x00", ""))

    @extend_schema(responses=shapes.TierOverrideSerializer)
    def get(self, request, code: str):
        override = get_object_or_404(_overrides(), customer__code=code.replace("\x00", ""))
        return Response(shapes.TierOverrideSerializer(override).data)

    @extend_schema(
        request=shapes.TierOverrideChangeSerializer, responses=shapes.TierOverrideSerializer
    )
    def put(self, request, code: str):
        customer = self._customer(code)
        serializer = shapes.TierOverrideChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        override = services.tier_override_set(
            customer=customer, user=request.user, **serializer.validated_data
        )
        return Response(shapes.TierOverrideSerializer(override).data)

    @extend_schema(
        parameters=[OpenApiParameter("reason", str, description="Why the override ends.")],
        responses={204: None},
    )
    def delete(self, request, code: str):
        services.tier_override_remove(
            customer=self._customer(code),
            user=request.user,
            reason=request.query_params.get("reason", "").replace("\x00", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[OpenApiParameter("customer", str, description="Only this customer's changes.")]
)
class TierChangeListView(generics.ListAPIView):
    """Every tier change, newest first: overrides set and removed, moves by the nightly run."""

    permission_classes = MANAGERS
    serializer_class = shapes.TierChangeSerializer
    queryset = TierChange.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        changes = TierChange.objects.select_related("customer", "changed_by")
        code = self.request.query_params.get("customer")
        if code:
            changes = changes.filter(customer__code=code.replace("\x00", ""))
        return changes.order_by("-changed_at", "-id")
