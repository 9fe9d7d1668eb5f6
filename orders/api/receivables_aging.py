"""Receivables reads over the API (CONTRACT.md section 8): the aging report (the same rows as
`export_report receivables-aging`, also `?format=csv|xlsx`) and a customer's statement.
Sales follow-up, managers and administrators."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer
from erp.api.permissions import role_permission
from erp.errors import DomainError
from erp.roles import Role
from orders.receivables.statement import statement
from reports.api.profit_views import ReportView
from reports.profit.periods import parse_period

READERS = [IsAuthenticated, role_permission(Role.SALES.value, Role.MANAGER.value)]


def default_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """A statement's period: to defaults to today, from to the first day of to's month."""
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    if end < start:
        raise DomainError("The to date is before the from date.", field="to")
    return start, end


class ReceivablesAgingRowSerializer(serializers.Serializer):
    customer = serializers.CharField(help_text="Customer code.")
    current = serializers.CharField(help_text="Not yet due (as of <= due date); 2 places.")
    d1_30 = serializers.CharField(help_text="1-30 days past due.")
    d31_60 = serializers.CharField(help_text="31-60 days past due.")
    d61_90 = serializers.CharField(help_text="61-90 days past due.")
    over_90 = serializers.CharField(help_text="More than 90 days past due.")
    total = serializers.CharField(help_text="Open amount as of the date.")


@extend_schema_view(
    get=extend_schema(
        operation_id="report_receivables_aging",
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="Aging as of this date (default today)."
            ),
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
        ],
        responses=ReceivablesAgingRowSerializer(many=True),
    )
)
class ReceivablesAgingView(ReportView):
    """Open receivables per customer as of a date, in the buckets current, 1-30, 31-60,
    61-90 and over 90 days past due; by total descending, then customer code."""

    permission_classes = READERS
    report_name = "receivables-aging"

    def download_name(self) -> str:
        return f"{self.report_name}-{self.period.as_of or timezone.localdate()}"


class CustomerStatementLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="invoice, credit_note, payment or reversal.")
    number = serializers.CharField()
    date = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    debit = serializers.DecimalField(max_digits=20, decimal_places=2)
    credit = serializers.DecimalField(max_digits=20, decimal_places=2)
    reference = serializers.CharField()
    balance = serializers.DecimalField(max_digits=20, decimal_places=2)


class CustomerStatementSerializer(serializers.Serializer):
    customer = serializers.CharField(source="customer.code")
    customer_name = serializers.CharField(source="customer.name")
    locals()["from"] = serializers.DateField(source="start")
    locals()["to"] = serializers.DateField(source="end")
    opening_balance = serializers.DecimalField(max_digits=20, decimal_places=2)
    lines = CustomerStatementLineSerializer(many=True)
    closing_balance = serializers.DecimalField(max_digits=20, decimal_places=2)
    unallocated_credit = serializers.DecimalField(max_digits=20, decimal_places=2)


class CustomerStatementView(APIView):
    """A customer's statement (对账单) for [from, to]: opening balance, the invoices, credit
    notes, payments and reversals in date order with the running balance, closing balance,
    unallocated credit. `to` defaults to today, `from` to the first day of its month."""

    permission_classes = READERS

    @extend_schema(
        operation_id="customer_statement",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
        ],
        responses=CustomerStatementSerializer,
    )
    def get(self, request, code: str):
        customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
        period = parse_period(
            start=request.query_params.get("from"), end=request.query_params.get("to")
        )
        start, end = default_period(period.start, period.end)
        return Response(CustomerStatementSerializer(statement(customer, start=start, end=end)).data)
