"""Customer orders and change notices in and out: customers and items by code, decimals as
strings, lines nested. The rules are checked by orders.services, not here."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import Customer
from erp.api.serializers import AUDIT_FIELDS, AuditedModelSerializer, CodeRelatedField
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Item
from orders.models import ChangeKind, OrderChange, SalesOrder, SalesOrderLine
from orders.pricing import below_margin_floor, margin_floors


class OrderLineSerializer(serializers.ModelSerializer):
    """One order line. On a PATCH of a draft, a line with a `line` number updates that
    line; one without is added; a line left out is removed."""

    line = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Line number (1, 2 ...)."
    )
    item = CodeRelatedField(queryset=Item.objects.all())
    # Plain text in the schema: the same choice set is used elsewhere under other names.
    status = serializers.CharField(read_only=True, help_text="open, cancelled or closed.")
    open_quantity = serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, read_only=True
    )
    below_margin_floor = serializers.SerializerMethodField(
        help_text="A warning, not a refusal: the unit price is below the margin floor a "
        "manager set for the item (cost and margin are not shown)."
    )

    class Meta:
        model = SalesOrderLine
        fields = [
            "line",
            "item",
            "quantity",
            "unit_price",
            "due_date",
            "specification",
            "status",
            "shipped_quantity",
            "open_quantity",
            "below_margin_floor",
        ]
        read_only_fields = ["shipped_quantity"]
        extra_kwargs = {
            "quantity": {"help_text": "In the item's unit, no more decimals than it has."},
            "due_date": {"required": True},
        }

    @extend_schema_field(bool)
    def get_below_margin_floor(self, line: SalesOrderLine) -> bool:
        if line.status != "open":
            return False
        floors = self.context.get("margin_floors")
        if floors is None:  # once per request: the floors table holds few rows
            floors = self.context["margin_floors"] = margin_floors()
        return below_margin_floor(line.item, line.unit_price, floors=floors)


class OrderSerializer(AuditedModelSerializer):
    """A customer order (客户订单) with its lines. Created as a draft; confirmed with
    POST /orders/{order_no}/confirm/; changed after that only by an order change notice."""

    order_no = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Leave out for the next number (SO-YYYY-NNNNNN, the order date's year).",
    )
    customer = CodeRelatedField(queryset=Customer.objects.all())
    salesperson = serializers.SlugRelatedField(
        source="customer.salesperson", slug_field="username", read_only=True
    )
    lines = OrderLineSerializer(many=True, required=False)
    material_status = serializers.CharField(
        read_only=True, help_text="unknown (not checked), covered, partly or short."
    )

    class Meta:
        model = SalesOrder
        fields = [
            "order_no",
            "customer",
            "salesperson",
            "order_date",
            "customer_po",
            "notes",
            "status",
            "material_status",
            "material_checked_at",
            "replan_needed",
            "confirmed_at",
            "lines",
            *AUDIT_FIELDS,
        ]
        read_only_fields = [
            "status",
            "material_checked_at",
            "replan_needed",
            "confirmed_at",
        ]
        validators: list = []  # a taken order number is refused by the service


class OrderChangeSerializer(AuditedModelSerializer):
    """An order change notice (订单变更通知单); creating one applies it."""

    order = CodeRelatedField(slug_field="order_no", queryset=SalesOrder.objects.all())
    line = serializers.IntegerField(
        source="order_line.line",
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The order line changed; leave out to cancel the whole order.",
    )
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = OrderChange
        fields = [
            "number",
            "order",
            "line",
            "kind",
            "reason",
            "new_due_date",
            "new_quantity",
            "new_specification",
            "before",
            "outcome",
            "created_at",
            "created_by",
            *AUDIT_FIELDS,
        ]
        read_only_fields = ["number", "before", "outcome", "created_at"]
        extra_kwargs = {
            "reason": {"help_text": "Why the order changes (required)."},
            "new_due_date": {"help_text": "For kind due_date."},
            "new_quantity": {"help_text": "For kind quantity; never below what is shipped."},
            "new_specification": {"help_text": "For kind specification."},
            "before": {"help_text": "What the order said before the change."},
            "outcome": {"help_text": "Lines closed at their shipped quantity, returns due."},
        }
