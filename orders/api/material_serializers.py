"""The material requirement of an order (CONTRACT.md sections 3 and 7) and its availability
(section 3b): per order line and item, decimals as strings in the item's unit."""

from rest_framework import serializers

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.numbers import quantity_text
from orders.availability.read import AvailabilityRow, RequirementRow
from orders.models import MaterialStatus

REQUIREMENT_FIELDS = (
    "requirement",
    "picked",
    "returned_surplus",
    "returned_defective",
    "replenished",
    "pick_remaining",
    "replenish_remaining",
)
AVAILABILITY_FIELDS = ("need", "from_stock", "to_make", "on_order", "short")


def _quantity(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        read_only=True,
        help_text=help_text,
    )


class RequirementSerializer(serializers.Serializer):
    """One item of one order line's BOM tree: the requirement with allowances (领料上限) and
    what was issued against it (CONTRACT.md section 3)."""

    line = serializers.IntegerField(read_only=True, help_text="Order line number.")
    item = serializers.CharField(read_only=True, help_text="Item code.")
    requirement = _quantity("Order quantity exploded with allowances, rounded up once.")
    picked = _quantity()
    returned_surplus = _quantity()
    returned_defective = _quantity()
    replenished = _quantity()
    pick_remaining = _quantity("requirement - (picked - returned_surplus), never below 0.")
    replenish_remaining = _quantity("returned_defective - replenished.")

    def to_representation(self, row: RequirementRow) -> dict:
        data: dict = {"line": row.order_line.line, "item": row.item.code}
        for name in REQUIREMENT_FIELDS:
            data[name] = quantity_text(getattr(row, name), row.item.decimals)
        return data


class AvailabilityRowSerializer(serializers.Serializer):
    """One (line, item) of CONTRACT.md section 3b, decimals in the item's unit."""

    line = serializers.IntegerField(read_only=True, help_text="Order line number.")
    item = serializers.CharField(read_only=True, help_text="Item code.")
    made = serializers.BooleanField(read_only=True, help_text="Made in-house (has a BOM).")
    level = serializers.IntegerField(read_only=True, help_text="0: the line's own item.")
    need = _quantity("What the line still needs of the item now.")
    from_stock = _quantity("Taken from usable stock (due first takes first).")
    to_make = _quantity("Made items: need - from_stock, passed on to the components.")
    on_order = _quantity("Bought items: taken from open purchase orders.")
    short = _quantity("Bought items: what is missing and must be bought.")
    status = serializers.ChoiceField(
        choices=[MaterialStatus.COVERED, MaterialStatus.PARTLY, MaterialStatus.SHORT],
        read_only=True,
    )

    def to_representation(self, row: AvailabilityRow) -> dict:
        data: dict = {
            "line": row.order_line.line,
            "item": row.item.code,
            "made": row.made,
            "level": row.depth,
        }
        for name in AVAILABILITY_FIELDS:
            data[name] = quantity_text(getattr(row, name), row.item.decimals)
        data["status"] = row.status
        return data


class OrderMaterialSerializer(serializers.Serializer):
    """CONTRACT.md section 3b: the order's material status and its rows."""

    order_no = serializers.CharField(read_only=True)
    material_status = serializers.ChoiceField(choices=MaterialStatus.choices, read_only=True)
    computed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the figures were computed."
    )
    stale = serializers.BooleanField(
        read_only=True,
        help_text="True while a large factory's refresh is under way: figures as of computed_at.",
    )
    rows = AvailabilityRowSerializer(many=True, read_only=True)


class ShortfallPickSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    item = serializers.CharField(max_length=40)


class ShortfallRequisitionSerializer(serializers.Serializer):
    """Raise one purchase requisition for the shortfall of these (line, item) pairs."""

    lines = ShortfallPickSerializer(many=True, allow_empty=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
