"""REST endpoints of payments (收款) and allocations (核销), CONTRACT.md section 8.

POST /api/v1/payments/ {"customer", "date", "amount"[, "method", "reference", "notes",
"allocations": [{"invoice", "amount"}]]} records a payment and allocates it (201); without
"allocations" the customer's open invoices earliest due first. Over-allocating (more than
an invoice's open amount or the payment's unallocated amount, or a paid invoice) is a 409;
other bad input a 400 with field messages. Reads through payment_selectors, writes through
payments; every POST honours Idempotency-Key."""

import django_filters as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from erp.api.idempotency import idempotent
from erp.api.permissions import ModelPermissions
from orders.receivables import payment_selectors as selectors
from orders.receivables import payments as services
from orders.receivables.models import Allocation, Payment, PaymentStatus
from orders.receivables.payments import money_text

MAX_ALLOCATIONS = 500


@extend_schema_field(OpenApiTypes.STR)
class Money(serializers.Field):
    """Money as a string with 2 decimals ("1000.00")."""

    def to_representation(self, value) -> str:
        return money_text(value)


class AllocationSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.invoice_no")
    payment = serializers.SerializerMethodField()
    credit_note = serializers.SerializerMethodField()
    reversal = serializers.SerializerMethodField()
    amount = Money()

    class Meta:
        model = Allocation
        fields = ["id", "invoice", "payment", "credit_note", "reversal", "date", "amount"]

    def get_payment(self, row) -> str | None:
        return row.payment.payment_no if row.payment_id else None

    def get_credit_note(self, row) -> str | None:
        return row.credit_note.credit_note_no if row.credit_note_id else None

    def get_reversal(self, row) -> str | None:
        return row.reversal.reversal_no if row.reversal_id else None


class PaymentAllocationSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.invoice_no")
    reversal = serializers.SerializerMethodField()
    amount = Money()

    class Meta:
        model = Allocation
        fields = ["invoice", "date", "amount", "reversal"]

    def get_reversal(self, row) -> str | None:
        return row.reversal.reversal_no if row.reversal_id else None


class ReversalSerializer(serializers.Serializer):
    reversal_no = serializers.CharField()
    date = serializers.DateField()
    reason = serializers.CharField()


class PaymentSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.code")
    customer_name = serializers.CharField(source="customer.name")
    amount = Money()
    allocated_amount = Money()
    unallocated_amount = Money()
    allocations = PaymentAllocationSerializer(many=True)
    reversal = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "payment_no",
            "customer",
            "customer_name",
            "date",
            "amount",
            "allocated_amount",
            "unallocated_amount",
            "method",
            "reference",
            "notes",
            "status",
            "allocations",
            "reversal",
            "created_by",
            "created_at",
        ]

    @extend_schema_field(ReversalSerializer(allow_null=True))
    def get_reversal(self, payment) -> dict | None:
        reversal = getattr(payment, "reversal", None)
        return ReversalSerializer(reversal).data if reversal else None

    def get_created_by(self, payment) -> str | None:
        return payment.created_by.username if payment.created_by_id else None


class AllocationInput(serializers.Serializer):
    invoice = serializers.CharField(max_length=40)
    amount = serializers.CharField(max_length=40, help_text='Decimal string, e.g. "250.00".')


class PaymentInput(serializers.Serializer):
    customer = serializers.CharField(max_length=40, help_text="Customer code.")
    date = serializers.DateField()
    amount = serializers.CharField(
        max_length=40, help_text='Decimal string > 0 with at most 2 places, e.g. "1000.00".'
    )
    method = serializers.CharField(max_length=40, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    allocations = AllocationInput(
        many=True,
        required=False,
        max_length=MAX_ALLOCATIONS,
        help_text="Chosen allocations; without them the open invoices earliest due first.",
    )


class AllocateInput(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Allocation date (today).")
    allocations = AllocationInput(
        many=True,
        required=False,
        max_length=MAX_ALLOCATIONS,
        help_text="Chosen allocations; without them the open invoices earliest due first.",
    )


class ReverseInput(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200)


def _pairs(rows) -> list[tuple[str, str]] | None:
    return None if rows is None else [(row["invoice"], row["amount"]) for row in rows]


class PaymentFilter(filters.FilterSet):
    customer = filters.CharFilter(field_name="customer__code", help_text="Customer code.")
    date = filters.DateFilter(field_name="date")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    status = filters.ChoiceFilter(choices=PaymentStatus.choices)

    class Meta:
        model = Payment
        fields = ["customer", "date", "status"]


class PaymentPermissions(ModelPermissions):
    """Reading needs view_payment; allocating needs add_allocation, reversing
    add_paymentreversal (managers and administrators)."""

    needs = {"allocate": "orders.add_allocation", "reverse": "orders.add_paymentreversal"}

    def has_permission(self, request, view) -> bool:
        needed = self.needs.get(getattr(view, "action", None))
        if needed:
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(needed))
        return super().has_permission(request, view)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customer payments with their allocations. Recorded, allocated later by hand, or
    reversed; never edited."""

    serializer_class = PaymentSerializer
    permission_classes = [PaymentPermissions]
    filterset_class = PaymentFilter
    filter_backends = [DjangoFilterBackend]
    lookup_field = "payment_no"
    lookup_value_regex = "[^/]+"
    queryset = Payment.objects.none()  # for the schema; get_queryset answers

    def get_queryset(self):
        return selectors.payments_for(user=self.request.user, with_allocations=True)

    def _answer(self, payment: Payment, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.payment_by_no(user=self.request.user, payment_no=payment.payment_no)
        return Response(PaymentSerializer(fresh or payment).data, status=code)

    @extend_schema(request=PaymentInput, responses={201: PaymentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._valid(PaymentInput, request)
        payment = services.record_payment(
            customer=data["customer"],
            date=data["date"],
            amount=data["amount"],
            method=data.get("method", ""),
            reference=data.get("reference", ""),
            notes=data.get("notes", ""),
            allocations=_pairs(data.get("allocations")),
            by=request.user,
        )
        return self._answer(payment, status.HTTP_201_CREATED)

    @extend_schema(request=AllocateInput, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def allocate(self, request, payment_no=None):
        """Allocate the payment's unallocated amount: chosen, or earliest due first."""
        payment = self.get_object()
        data = self._valid(AllocateInput, request)
        services.allocate_payment(
            payment=payment,
            allocations=_pairs(data.get("allocations")),
            on=data.get("date"),
            by=request.user,
        )
        return self._answer(payment)

    @extend_schema(request=ReverseInput, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reverse(self, request, payment_no=None):
        """Reverse the payment (a reversal document undoes its allocations); once only."""
        payment = self.get_object()
        data = self._valid(ReverseInput, request)
        services.reverse_payment(
            payment=payment, date=data["date"], reason=data["reason"], by=request.user
        )
        return self._answer(payment)

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AllocationFilter(filters.FilterSet):
    invoice = filters.CharFilter(field_name="invoice__invoice_no", help_text="Invoice number.")
    payment = filters.CharFilter(field_name="payment__payment_no", help_text="Payment number.")
    customer = filters.CharFilter(field_name="invoice__customer__code", help_text="Customer code.")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Allocation
        fields = ["invoice", "payment", "customer"]


class AllocationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every allocation row (payments' and credit notes'; a reversal's are negative)."""

    serializer_class = AllocationSerializer
    permission_classes = [ModelPermissions]
    filterset_class = AllocationFilter
    filter_backends = [DjangoFilterBackend]
    queryset = Allocation.objects.none()

    def get_queryset(self):
        return selectors.allocations_for(user=self.request.user)


router = SimpleRouter(trailing_slash=True)
router.register("payments", PaymentViewSet, basename="payment")
router.register("allocations", AllocationViewSet, basename="allocation")
urlpatterns = router.urls
