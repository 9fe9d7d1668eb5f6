"""Quotations (报价单) in and out: customers and items by code, people by username, decimals
as strings, lines nested. The rules are checked by crm.services.quotations, not here."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.models_quotations import Quotation, QuotationLine, QuotationStatus
from customers.models import Contact, Customer
from erp.api.serializers import AUDIT_FIELDS, AuditedModelSerializer, CodeRelatedField
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Item


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class QuotationLineSerializer(serializers.ModelSerializer):
    """One quoted line. A left-out `unit_price` takes the item's list price."""

    line = serializers.IntegerField(read_only=True)
    item = CodeRelatedField(queryset=Item.objects.all())
    quantity = _decimal(help_text="In the item's unit, no more decimals than it has.")
    unit_price = _decimal(required=False, allow_null=True)
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, help_text="0 to 99.99."
    )
    net_price = _decimal(read_only=True, help_text="unit_price less the discount.")
    amount = serializers.DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=2, read_only=True)

    class Meta:
        model = QuotationLine
        fields = [
            "line",
            "item",
            "quantity",
            "unit_price",
            "discount_percent",
            "net_price",
            "amount",
            "description",
        ]


class QuotationSerializer(AuditedModelSerializer):
    """A quotation with its lines. Created as a draft (number QT-YYYY-NNNNNN); `status` is
    `expired` when an open quotation is past `valid_until`."""

    customer = CodeRelatedField(queryset=Customer.objects.all())
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    salesperson = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.SerializerMethodField()
    quote_date = serializers.DateField(required=False)
    order = serializers.SlugRelatedField(slug_field="order_no", read_only=True)
    total = serializers.DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=2, read_only=True)
    lines = QuotationLineSerializer(many=True)

    class Meta:
        model = Quotation
        fields = [
            "number",
            "customer",
            "contact",
            "salesperson",
            "quote_date",
            "valid_until",
            "status",
            "currency",
            "delivery_days",
            "notes",
            "total",
            "order",
            "cancel_reason",
            "lines",
            "created_at",
            *AUDIT_FIELDS,
        ]
        read_only_fields = ["number", "cancel_reason", "created_at"]
        extra_kwargs = {"valid_until": {"required": True}}

    @extend_schema_field(serializers.ChoiceField(choices=QuotationStatus.choices))
    def get_status(self, quotation: Quotation) -> str:
        return quotation.shown_status(timezone.localdate())


class QuotationMoveSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Required to cancel."
    )


class QuotationConvertSerializer(serializers.Serializer):
    order_date = serializers.DateField(required=False, help_text="Default: today.")
    due_date = serializers.DateField(
        required=False, help_text="Default: the order date plus the quotation's delivery days."
    )
    customer_po = serializers.CharField(required=False, allow_blank=True, max_length=60)


class QuotationConvertedSerializer(serializers.Serializer):
    quotation = serializers.CharField(help_text="The quotation's number.")
    order_no = serializers.CharField(help_text="The new draft customer order.")
    status = serializers.CharField(help_text="Always converted.")
