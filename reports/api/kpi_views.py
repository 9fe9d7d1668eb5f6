"""The managers' delivery, stock and purchasing figures over REST, for managers and
administrators only: on-time delivery (totals and months; customers paged), stock value and
inventory turns by item kind, purchase lead time by supplier. Periods: ?year= or
?from=&to= (default this year to date); Decimals as strings."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.permissions import role_permission
from erp.roles import Role
from reports.exports import Period
from reports.kpi import delivery, inventory, purchasing
from reports.kpi.periods import bounded
from reports.profit.amounts import money_text
from reports.profit.periods import parse_period

MANAGERS = [IsAuthenticated, role_permission(Role.MANAGER.value)]
PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="A calendar year."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
]


def _text(value) -> str | None:
    """An exact Decimal without trailing zeros (as the profit reports write them)."""
    return None if value is None else money_text(value)


def request_period(request) -> Period:
    params = request.query_params
    period = parse_period(year=params.get("year"), start=params.get("from"), end=params.get("to"))
    return bounded(period)


class PeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared below under its JSON name.
    to = serializers.DateField()


PeriodSerializer._declared_fields["from"] = serializers.DateField()


def _period_data(period: Period) -> dict:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


class OnTimeSerializer(serializers.Serializer):
    lines = serializers.IntegerField(help_text="Order lines measured (decided).")
    on_time = serializers.IntegerField(help_text="Shipped in full by the promised date.")
    late_shipped = serializers.IntegerField()
    late_open = serializers.IntegerField(help_text="Past the promised date, not shipped in full.")
    rate = serializers.CharField(allow_null=True, help_text="on_time / lines; null when 0.")


class OnTimeMonthSerializer(OnTimeSerializer):
    month = serializers.CharField(help_text="Month of the promised date, YYYY-MM.")


class OnTimeCustomerSerializer(OnTimeSerializer):
    customer = serializers.CharField()
    name = serializers.CharField()


class OnTimeReportSerializer(serializers.Serializer):
    period = PeriodSerializer()
    total = OnTimeSerializer()
    months = OnTimeMonthSerializer(many=True)


def _on_time(row: delivery.OnTime) -> dict:
    return {
        "lines": row.lines,
        "on_time": row.on_time,
        "late_shipped": row.late_shipped,
        "late_open": row.late_open,
        "rate": _text(row.rate),
    }


class OnTimeDeliveryView(APIView):
    """On-time delivery over the period: order lines shipped in full by their promised date
    (the due date after change notices), in total and by month of the promised date."""

    permission_classes = MANAGERS

    @extend_schema(
        operation_id="report_on_time_delivery",
        parameters=PERIOD_PARAMETERS,
        responses=OnTimeReportSerializer,
    )
    def get(self, request):
        period = request_period(request)
        return Response(
            {
                "period": _period_data(period),
                "total": _on_time(delivery.on_time_total(period=period)),
                "months": [
                    {"month": m.label, **_on_time(m)}
                    for m in delivery.on_time_by_month(period=period)
                ],
            }
        )


class OnTimeByCustomerView(ListAPIView):
    """On-time delivery per customer over the period, the most late lines first (paged)."""

    permission_classes = MANAGERS
    serializer_class = OnTimeCustomerSerializer
    filter_backends: list = []

    def get_queryset(self):
        return delivery.on_time_by_customer(period=request_period(self.request))

    @extend_schema(operation_id="report_on_time_delivery_customers", parameters=PERIOD_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [{"customer": r.code, "name": r.name, **_on_time(r)} for r in delivery.as_rows(page)]
        return self.get_paginated_response(rows)


class StockTurnsSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="raw, semi, finished; empty for the total.")
    stock_value = serializers.CharField()
    average_value = serializers.CharField()
    issued = serializers.CharField()
    turns = serializers.CharField(allow_null=True)
    annual_turns = serializers.CharField(allow_null=True)
    days_of_stock = serializers.CharField(allow_null=True)


class InventoryReportSerializer(serializers.Serializer):
    period = PeriodSerializer()
    total = StockTurnsSerializer()
    kinds = StockTurnsSerializer(many=True)


def _turns(row: inventory.StockTurns) -> dict:
    return {
        "kind": row.kind,
        "stock_value": _text(row.value_now),
        "average_value": _text(row.average_value),
        "issued": _text(row.issued),
        "turns": _text(row.turns),
        "annual_turns": _text(row.annual_turns),
        "days_of_stock": _text(row.days_of_stock),
    }


class InventoryTurnsView(APIView):
    """Stock value now and inventory turns over the period (issued at cost / average stock
    value), per item kind and in total."""

    permission_classes = MANAGERS

    @extend_schema(
        operation_id="report_inventory_turns",
        parameters=PERIOD_PARAMETERS,
        responses=InventoryReportSerializer,
    )
    def get(self, request):
        report = inventory.inventory_turns(period=request_period(request))
        return Response(
            {
                "period": _period_data(report.period),
                "total": _turns(report.total),
                "kinds": [_turns(row) for row in report.kinds],
            }
        )


class LeadTimeSerializer(serializers.Serializer):
    receipts = serializers.IntegerField()
    average_days = serializers.CharField(allow_null=True)
    shortest_days = serializers.CharField(allow_null=True)
    longest_days = serializers.CharField(allow_null=True)
    late = serializers.IntegerField(help_text="Receipts after the line's due date.")


class SupplierLeadTimeSerializer(LeadTimeSerializer):
    supplier = serializers.CharField()
    name = serializers.CharField()


class LeadTimeReportSerializer(serializers.Serializer):
    period = PeriodSerializer()
    total = LeadTimeSerializer()
    suppliers = SupplierLeadTimeSerializer(many=True)


def _lead(row: purchasing.LeadTime) -> dict:
    return {
        "receipts": row.receipts,
        "average_days": _text(row.average_days),
        "shortest_days": _text(row.shortest_days),
        "longest_days": _text(row.longest_days),
        "late": row.late,
    }


class PurchaseLeadTimeView(APIView):
    """Days from the purchase order to each goods receipt of the period, on average and per
    supplier (the slowest first)."""

    permission_classes = MANAGERS

    @extend_schema(
        operation_id="report_purchase_lead_time",
        parameters=PERIOD_PARAMETERS,
        responses=LeadTimeReportSerializer,
    )
    def get(self, request):
        period = request_period(request)
        suppliers = purchasing.as_rows(purchasing.lead_time_by_supplier(period=period))
        return Response(
            {
                "period": _period_data(period),
                "total": _lead(purchasing.lead_time_total(period=period)),
                "suppliers": [{"supplier": s.code, "name": s.name, **_lead(s)} for s in suppliers],
            }
        )
