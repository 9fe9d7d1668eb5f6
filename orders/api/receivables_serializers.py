"""Invoices and credit notes in and out of the API (CONTRACT.md section 8). Input
serializers check only the shape of a body; the rules are orders.receivables.invoicing's.
Money is a string with 2 decimals ("1130.00"), quantities and unit prices as stored."""

from rest_framework import serializers

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.api.slip_serializers import MAX_LINES, quantity_field
from orders.receivables.models import CreditNote, CreditNoteLine, CreditNoteReason, Invoice


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=2, read_only=True, **kwargs
    )


def exact(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, read_only=True, **kwargs
    )


class InvoiceLineInputSerializer(serializers.Serializer):
    shipment = serializers.CharField(max_length=40, help_text="The shipment's number.")
    quantity = quantity_field()


class InvoiceCreateSerializer(serializers.Serializer):
    """Either `lines` (shipments and quantities) or `all_shipped: true` (everything shipped
    to the customer and not invoiced yet)."""

    customer = serializers.CharField(max_length=40, help_text="Customer code.")
    invoice_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )
    lines = InvoiceLineInputSerializer(
        many=True, required=False, allow_empty=True, max_length=MAX_LINES
    )
    all_shipped = serializers.BooleanField(required=False, default=False)
    vat_invoice_no = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, data):
        if bool(data.get("lines")) == bool(data["all_shipped"]):
            message = (
                "Give lines or all_shipped, not both."
                if data["all_shipped"]
                else "Give the shipments to invoice (lines) or all_shipped: true."
            )
            raise serializers.ValidationError({"lines": [message]})
        return data


class InvoiceLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    shipment = serializers.CharField(source="shipment.number", read_only=True)
    delivery_no = serializers.CharField(source="shipment.delivery_no", read_only=True)
    ship_date = serializers.DateField(source="shipment.ship_date", read_only=True)
    order_no = serializers.CharField(source="shipment.order_line.order.order_no", read_only=True)
    line = serializers.IntegerField(source="shipment.order_line.line", read_only=True)
    item = serializers.CharField(source="shipment.order_line.item.code", read_only=True)
    item_name = serializers.CharField(source="shipment.order_line.item.name", read_only=True)
    uom = serializers.CharField(source="shipment.order_line.item.uom", read_only=True)
    quantity = exact()
    unit_price = exact()
    net_amount = money()
    returned = exact(help_text="Quantity credit notes returned.")


class InvoiceSerializer(serializers.ModelSerializer):
    """A sales invoice (销售发票)."""

    customer = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="open, paid or cancelled.")
    vat_rate = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True)
    net_amount = money()
    tax_amount = money()
    gross_amount = money()
    allocated_amount = money()
    open_amount = money(help_text="Gross - allocated.")
    credited = money(help_text="Gross of the invoice's credit notes.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cancelled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "invoice_no",
            "customer",
            "customer_name",
            "invoice_date",
            "due_date",
            "status",
            "vat_invoice_no",
            "vat_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "allocated_amount",
            "open_amount",
            "credited",
            "opening",
            "notes",
            "cancel_reason",
            "cancelled_at",
            "cancelled_by",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class InvoiceDetailSerializer(InvoiceSerializer):
    """A sales invoice (销售发票) with its lines."""

    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class InvoiceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the invoice is cancelled.")


class VatInvoiceNoSerializer(serializers.Serializer):
    vat_invoice_no = serializers.CharField(
        max_length=60, help_text="The number of the VAT invoice (增值税发票号) issued."
    )


class CreditLineInputSerializer(serializers.Serializer):
    shipment = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="The invoice line, by its shipment's number (empty for a free amount).",
    )
    quantity = quantity_field()
    unit_price = serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        required=False,
        allow_null=True,
        default=None,
        help_text="Return: the invoiced price when left out. Price correction: the "
        "difference per unit.",
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class CreditNoteCreateSerializer(serializers.Serializer):
    invoice = serializers.CharField(max_length=40, help_text="The invoice number.")
    date = serializers.DateField(required=False, allow_null=True, default=None)
    # Plain text in the schema (the service checks it): "reason" choice sets differ elsewhere.
    reason = serializers.CharField(
        max_length=10, help_text=f"One of {', '.join(CreditNoteReason.values)}."
    )
    lines = CreditLineInputSerializer(many=True, allow_empty=False, max_length=MAX_LINES)
    vat_invoice_no = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CreditNoteLineSerializer(serializers.ModelSerializer):
    shipment = serializers.CharField(
        source="invoice_line.shipment.number", read_only=True, default=None, allow_null=True
    )
    item = serializers.CharField(
        source="invoice_line.shipment.order_line.item.code",
        read_only=True,
        default=None,
        allow_null=True,
    )
    quantity = exact()
    unit_price = exact()
    net_amount = money()

    class Meta:
        model = CreditNoteLine
        fields = ["shipment", "item", "description", "quantity", "unit_price", "net_amount"]


class CreditNoteSerializer(serializers.ModelSerializer):
    """A credit note (红字发票) on an invoice: customer credit, allocated like a payment."""

    customer = serializers.CharField(source="customer.code", read_only=True)
    invoice = serializers.CharField(source="invoice.invoice_no", read_only=True)
    reason = serializers.CharField(read_only=True, help_text="return, price or other.")
    vat_rate = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True)
    net_amount = money()
    tax_amount = money()
    gross_amount = money()
    allocated_amount = money()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lines = CreditNoteLineSerializer(many=True, read_only=True)

    class Meta:
        model = CreditNote
        fields = [
            "credit_note_no",
            "customer",
            "invoice",
            "date",
            "reason",
            "vat_invoice_no",
            "vat_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "allocated_amount",
            "notes",
            "lines",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields
