"""Warehouse slips and shipments in and out of the API. Input serializers check only the
shape of the body (types, sizes); the rules are the services'. Decimals are strings."""

from decimal import Decimal

from rest_framework import serializers

from erp.api.serializers import HiddenCostsMixin
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.models import MaterialSlip, MaterialSlipLine, ReturnReason, Shipment, SlipKind

MAX_LINES = 500
MAX_LINE_NO = 2_147_483_647
SMALLEST = Decimal(1).scaleb(-QUANTITY_PLACES)


def quantity_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        min_value=SMALLEST,
        help_text='A decimal string ("1.5") or number, greater than 0.',
        **kwargs,
    )


class SlipLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LINE_NO,
        required=False,
        help_text="The order line's number (with `order_no`; a work order's lines have none).",
    )
    item = serializers.CharField(max_length=40, help_text="Code of the item issued or returned.")
    quantity = quantity_field()
    reason = serializers.ChoiceField(
        choices=ReturnReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Returns only: defective (to quarantine) or surplus (back to usable stock).",
    )


class SlipCreateSerializer(serializers.Serializer):
    """A slip names a customer order (`order_no`, lines with `line`) or a work order
    (`work_order`, lines without `line`), never both."""

    kind = serializers.ChoiceField(choices=SlipKind.choices)
    order_no = serializers.CharField(max_length=40, required=False)
    work_order = serializers.CharField(
        max_length=40,
        required=False,
        help_text='A work order number ("WO-..."), instead of order_no.',
    )
    warehouse = serializers.CharField(max_length=40, required=False, default="MAIN")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lines = SlipLineInputSerializer(many=True, allow_empty=False, max_length=MAX_LINES)

    def validate(self, data):
        if ("order_no" in data) == ("work_order" in data):
            both = "order_no" in data
            message = (
                "Name either a customer order or a work order, not both."
                if both
                else "Name a customer order (order_no) or a work order (work_order)."
            )
            raise serializers.ValidationError({"order_no": [message], "work_order": [message]})
        if "order_no" in data:
            wrong = {
                n: {"line": ["A slip against a customer order needs the order line's number."]}
                for n, line in enumerate(data["lines"])
                if "line" not in line
            }
        else:
            wrong = {
                n: {"line": ["A work order's slip lines have no line number; leave it out."]}
                for n, line in enumerate(data["lines"])
                if "line" in line
            }
        if wrong:
            raise serializers.ValidationError({"lines": wrong})
        return data


class SlipLineSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(
        source="order_line.line",
        read_only=True,
        allow_null=True,
        help_text="null on a work order's slip.",
    )
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    uom = serializers.CharField(source="item.uom", read_only=True)

    class Meta:
        model = MaterialSlipLine
        fields = ["line", "item", "item_name", "quantity", "uom", "reason"]


class SlipSerializer(serializers.ModelSerializer):
    """A pick (领料单), return (退料单) or replenish (补料单) slip."""

    # A plain string here: one enum component for the slip kinds (the request's).
    kind = serializers.CharField(read_only=True, help_text="pick, return or replenish.")
    order_no = serializers.CharField(source="order.order_no", read_only=True, allow_null=True)
    work_order = serializers.CharField(
        source="work_order.wo_no", read_only=True, allow_null=True, help_text="Or the work order."
    )
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lines = SlipLineSerializer(many=True, read_only=True)

    class Meta:
        model = MaterialSlip
        fields = [
            "id",
            "number",
            "kind",
            "order_no",
            "work_order",
            "warehouse",
            "note",
            "lines",
            "created_at",
            "created_by",
        ]


class ShipmentLineInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        min_value=1, max_value=MAX_LINE_NO, help_text="The order line's number."
    )
    quantity = quantity_field()


class ShipmentCreateSerializer(serializers.Serializer):
    order_no = serializers.CharField(max_length=40)
    warehouse = serializers.CharField(max_length=40, required=False, default="MAIN")
    ship_date = serializers.DateField(required=False, allow_null=True, default=None)
    lines = ShipmentLineInputSerializer(many=True, allow_empty=False, max_length=MAX_LINES)


class ShipmentSerializer(HiddenCostsMixin, serializers.ModelSerializer):
    """One order line shipped (出货); `unit_cost` (managers only) fixes its profit."""

    cost_fields = ("unit_cost",)
    order_no = serializers.CharField(source="order_line.order.order_no", read_only=True)
    customer = serializers.CharField(source="order_line.order.customer.code", read_only=True)
    line = serializers.IntegerField(source="order_line.line", read_only=True)
    item = serializers.CharField(source="order_line.item.code", read_only=True)
    warehouse = serializers.CharField(source="warehouse.code", read_only=True, default=None)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "id",
            "number",
            "delivery_no",
            "order_no",
            "customer",
            "line",
            "item",
            "quantity",
            "unit_cost",
            "ship_date",
            "warehouse",
            "created_at",
            "created_by",
        ]
        extra_kwargs = {"unit_cost": {"help_text": "Only managers and administrators see it."}}


class DeliverySerializer(serializers.Serializer):
    """One delivery (出货单): the shipments written by one POST."""

    delivery_no = serializers.CharField()
    order_no = serializers.CharField()
    warehouse = serializers.CharField()
    ship_date = serializers.DateField()
    shipments = ShipmentSerializer(many=True)
