"""Commission endpoints: a salesperson's statement for a month (their own; managers see
anyone's) and the grade thresholds and rates (managers)."""

import datetime as dt

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from erp.api.permissions import role_permission
from erp.roles import Role, has_role
from reports.models import CommissionPolicy
from reports.profit.amounts import money_text
from reports.profit.commissions import commission_policy_update, commission_statement
from reports.profit.commissions import current_policy as policy_now
from reports.views_commissions import statement_rows


class StatementLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    quantity = serializers.CharField()
    revenue = serializers.CharField()
    grade = serializers.CharField(help_text="high, medium or low.")
    margin = serializers.CharField(allow_null=True)
    rate = serializers.CharField()
    commission = serializers.CharField(help_text="revenue x rate, exact.")


class StatementSerializer(serializers.Serializer):
    salesperson = serializers.CharField()
    month = serializers.CharField()
    revenue = serializers.CharField()
    commission = serializers.CharField()
    lines = StatementLineSerializer(many=True)


class CommissionPolicySerializer(serializers.ModelSerializer):
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CommissionPolicy
        fields = [
            "high_margin",
            "medium_margin",
            "rate_high",
            "rate_medium",
            "rate_low",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = ["updated_at"]


class CommissionStatementView(APIView):
    permission_classes = [IsAuthenticated, role_permission(Role.SALES.value, Role.MANAGER.value)]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM", required=True),
            OpenApiParameter("salesperson", str, description="Username (default: you)."),
        ],
        responses=StatementSerializer,
    )
    def get(self, request):
        """One salesperson's commission for a calendar month (reports.profit.commissions
        explains grades and rates)."""
        text = request.query_params.get("month", "")
        try:
            month = dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise ValidationError({"month": ["Give the month as YYYY-MM."]}) from None
        username = request.query_params.get("salesperson", "").replace("\x00", "")
        person = request.user
        if username and username != request.user.username:
            if not has_role(request.user, Role.MANAGER.value):
                raise PermissionDenied("You may see your own statement only.")
            person = get_user_model().objects.filter(username=username).first()
            if person is None:
                raise NotFound(f"No user {username}.")
        statement = commission_statement(salesperson=person, month=month)
        return Response(
            {
                "salesperson": person.username,
                "month": f"{month:%Y-%m}",
                "revenue": money_text(statement.revenue),
                "commission": money_text(statement.commission),
                "lines": statement_rows(statement),
            }
        )


class CommissionPolicyView(APIView):
    permission_classes = [IsAuthenticated, role_permission(Role.MANAGER.value)]

    @extend_schema(responses=CommissionPolicySerializer)
    def get(self, request):
        return Response(CommissionPolicySerializer(policy_now()).data)

    @extend_schema(request=CommissionPolicySerializer, responses=CommissionPolicySerializer)
    def patch(self, request):
        body = CommissionPolicySerializer(policy_now(), data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        saved = commission_policy_update(user=request.user, **body.validated_data)
        return Response(CommissionPolicySerializer(saved).data)
