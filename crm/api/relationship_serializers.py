"""Shapes of the relationship endpoints: contacts logged (with quoted prices), follow-ups,
complaints. Customers, items and orders by their codes; people by username."""

from rest_framework import serializers

from crm.models import (
    Complaint,
    ComplaintCategory,
    ComplaintSeverity,
    ComplaintStatus,
    ContactReason,
    FollowUp,
    Interaction,
    InteractionKind,
    QuoteLine,
)
from customers.models import Contact, Customer
from erp.api.serializers import CodeRelatedField, user_by_username_field
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Item
from orders.models import SalesOrder
from orders.receivables.models import Invoice

INVOICE_HELP = (
    "The invoice number a billing complaint is about; one of the customer's invoices, only "
    "with category billing."
)


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class QuoteLineSerializer(serializers.ModelSerializer):
    item = CodeRelatedField(queryset=Item.objects.all())
    unit_price = _decimal(min_value=0)
    quantity = _decimal(required=False, allow_null=True)

    class Meta:
        model = QuoteLine
        fields = ["item", "unit_price", "quantity"]


class InteractionSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(queryset=Customer.objects.all())
    order = CodeRelatedField(
        slug_field="order_no", queryset=SalesOrder.objects.all(), required=False, allow_null=True
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=InteractionKind.choices)
    reason = serializers.ChoiceField(
        choices=ContactReason.choices,
        help_text="Why the contact happened (a code; required on a new contact).",
    )
    occurred_at = serializers.DateTimeField(required=False)
    quote_lines = QuoteLineSerializer(many=True, required=False)
    logged_by = serializers.SlugRelatedField(
        source="created_by", slug_field="username", read_only=True
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "customer",
            "kind",
            "reason",
            "occurred_at",
            "subject",
            "notes",
            "order",
            "contact",
            "quote_lines",
            "logged_by",
        ]


class FollowUpSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(queryset=Customer.objects.all())
    status = serializers.CharField(read_only=True, help_text="open, done or cancelled.")
    owner = user_by_username_field(required=False, allow_null=True)
    due_date = serializers.DateField(
        required=False, help_text="Empty: after the usual interval for the customer's tier."
    )

    class Meta:
        model = FollowUp
        fields = ["id", "customer", "owner", "due_date", "purpose", "status", "done_at", "outcome"]
        read_only_fields = ["status", "done_at", "outcome"]


class FollowUpDoneSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)
    schedule_next = serializers.BooleanField(default=True)
    next_due_date = serializers.DateField(required=False, allow_null=True)


class FollowUpCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ComplaintSerializer(serializers.ModelSerializer):
    customer = CodeRelatedField(queryset=Customer.objects.all())
    order = CodeRelatedField(
        slug_field="order_no", queryset=SalesOrder.objects.all(), required=False, allow_null=True
    )
    invoice = CodeRelatedField(
        slug_field="invoice_no",
        queryset=Invoice.objects.all(),
        required=False,
        allow_null=True,
        help_text=INVOICE_HELP,
    )
    item = CodeRelatedField(queryset=Item.objects.all(), required=False, allow_null=True)
    owner = user_by_username_field(required=False, allow_null=True)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    severity = serializers.ChoiceField(choices=ComplaintSeverity.choices)
    resolution_hours = serializers.FloatField(read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text="open, investigating, resolved or closed."
    )

    class Meta:
        model = Complaint
        fields = [
            "number",
            "customer",
            "order",
            "invoice",
            "item",
            "category",
            "severity",
            "owner",
            "status",
            "description",
            "root_cause",
            "action",
            "opened_at",
            "resolved_at",
            "closed_at",
            "resolution_hours",
            "satisfaction",
        ]
        read_only_fields = [
            "number",
            "status",
            "opened_at",
            "resolved_at",
            "closed_at",
            "satisfaction",
        ]


class ComplaintChangeSerializer(serializers.Serializer):
    """PATCH: the facts of the case (not its customer, state or satisfaction)."""

    order = CodeRelatedField(
        slug_field="order_no", queryset=SalesOrder.objects.all(), required=False, allow_null=True
    )
    invoice = CodeRelatedField(
        slug_field="invoice_no",
        queryset=Invoice.objects.all(),
        required=False,
        allow_null=True,
        help_text=INVOICE_HELP,
    )
    item = CodeRelatedField(queryset=Item.objects.all(), required=False, allow_null=True)
    owner = user_by_username_field(required=False, allow_null=True)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices, required=False)
    severity = serializers.ChoiceField(choices=ComplaintSeverity.choices, required=False)
    root_cause = serializers.CharField(required=False, allow_blank=True)
    action = serializers.CharField(required=False, allow_blank=True)


class ComplaintMoveSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="The state to move to: " + ", ".join(ComplaintStatus.values) + "."
    )
    root_cause = serializers.CharField(required=False, allow_blank=True)
    action = serializers.CharField(required=False, allow_blank=True)


class ComplaintRateSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
