"""REST endpoints of the credit approvals (订单审核), CONTRACT.md section 8.

GET /api/v1/credit-approvals/ (paginated; ?decision=pending|approved|rejected, ?customer=CODE,
?order=NO): managers and administrators read all, a salesperson the approvals of its own
orders (entered by it or of its customers). POST /api/v1/credit-approvals/{id}/approve/
{"reason": "..."} (optional) and /reject/ {"reason": "..."} (required): managers and
administrators only (403 otherwise); deciding twice, or an order no longer on hold, is 409.
POST /api/v1/orders/{order_no}/confirm/ answers 202 with the order in status credit_hold
when the credit check stops it.
"""

import django_filters as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions, role_permission
from erp.models import QUANTITY_DIGITS
from erp.roles import Role
from orders.receivables import credit, credit_queue
from orders.receivables.models import CreditApproval, CreditDecision


def _money(**kwargs) -> serializers.DecimalField:
    """An amount as a string with 2 decimals ("706.25")."""
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=2, read_only=True, **kwargs
    )


class CreditApprovalSerializer(serializers.ModelSerializer):
    """An order stopped at confirmation by the credit check, with the figures of the check
    and the decision. Amounts are decimals as strings."""

    order = serializers.SlugRelatedField(slug_field="order_no", read_only=True)
    order_status = serializers.CharField(source="order.status", read_only=True)
    customer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    salesperson = serializers.SlugRelatedField(
        source="customer.salesperson", slug_field="username", read_only=True
    )
    requested_by = serializers.SlugRelatedField(
        source="created_by", slug_field="username", read_only=True
    )
    requested_at = serializers.DateTimeField(source="created_at", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    order_value = _money(help_text="Open lines x unit price x (1 + VAT rate).")
    exposure = _money(help_text="The customer's credit exposure before this order.")
    credit_limit = _money(help_text="0 = no limit.")
    # Plain text in the schema: other decisions (quality, plans) use the same field name.
    decision = serializers.CharField(read_only=True, help_text="pending, approved or rejected.")
    open_invoices = serializers.IntegerField(read_only=True)
    overdue_invoices = serializers.IntegerField(read_only=True)

    class Meta:
        model = CreditApproval
        fields = [
            "id",
            "order",
            "order_status",
            "customer",
            "salesperson",
            "order_value",
            "exposure",
            "credit_limit",
            "overdue_days",
            "over_limit",
            "overdue",
            "open_invoices",
            "overdue_invoices",
            "decision",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class CreditDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Why; required to reject, optional to approve.",
    )


class CreditApprovalFilter(filters.FilterSet):
    decision = filters.ChoiceFilter(choices=CreditDecision.choices)
    customer = filters.CharFilter(field_name="customer__code", help_text="Customer code.")
    order = filters.CharFilter(field_name="order__order_no", help_text="Order number.")

    class Meta:
        model = CreditApproval
        fields = ["decision", "customer", "order"]


class CreditApprovalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Credit approvals (订单审核), newest first."""

    serializer_class = CreditApprovalSerializer
    permission_classes = [ModelPermissions]
    filterset_class = CreditApprovalFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return CreditApproval.objects.none()
        return credit_queue.approvals(user=self.request.user)

    def get_permissions(self):
        if getattr(self, "action", None) in ("approve", "reject"):
            return [role_permission(Role.MANAGER.value)()]
        return super().get_permissions()

    def _answer(self, approval: CreditApproval) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=approval.pk)).data)

    def _reason(self, request) -> str:
        body = CreditDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data.get("reason", "")

    @extend_schema(request=CreditDecisionSerializer, responses=CreditApprovalSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """The order is confirmed; the salesperson is told."""
        approval = credit.approve_credit(
            approval=self.get_object(), by=request.user, reason=self._reason(request)
        )
        return self._answer(approval)

    @extend_schema(request=CreditDecisionSerializer, responses=CreditApprovalSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request, pk=None):
        """The order goes back to draft; the salesperson is told the reason."""
        approval = credit.reject_credit(
            approval=self.get_object(), by=request.user, reason=self._reason(request)
        )
        return self._answer(approval)


router = SimpleRouter(trailing_slash=True)
router.register("credit-approvals", CreditApprovalViewSet, basename="credit-approval")
urlpatterns = router.urls
