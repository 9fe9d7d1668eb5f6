"""The material requirement of an order (CONTRACT.md section 7): per order line and item,
decimals as strings in the item's unit ("42.840", "102"), plus availability."""

from rest_framework import serializers

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.numbers import quantity_text
from orders.models import MaterialStatus
from orders.selectors.material import MaterialRow

REQUIREMENT_FIELDS = (
    "requirement",
    "picked",
    "returned_surplus",
    "returned_defective",
    "replenished",
    "pick_remaining",
    "replenish_remaining",
)
AVAILABILITY_FIELDS = ("still_needed", "usable", "claimed_by_others", "on_order", "shortfall")


def _quantity(help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        read_only=True,
        help_text=help_text,
    )


class RequirementSerializer(serializers.Serializer):
    """One item of one order line's BOM tree: the requirement with allowances (领料上限) and
    what was issued against it, with the item's availability."""

    line = serializers.IntegerField(read_only=True, help_text="Order line number.")
    item = serializers.CharField(read_only=True, help_text="Item code.")
    requirement = _quantity("Order quantity exploded with allowances, rounded up once.")
    picked = _quantity()
    returned_surplus = _quantity()
    returned_defective = _quantity()
    replenished = _quantity()
    pick_remaining = _quantity("requirement - (picked - returned_surplus), never below 0.")
    replenish_remaining = _quantity("returned_defective - replenished.")
    still_needed = _quantity("What the line still has to take; 0 for a closed line.")
    usable = _quantity("Usable stock of every warehouse (quarantine excluded).")
    claimed_by_others = _quantity("What every other open order line still has to take.")
    on_order = _quantity("Open purchase order lines: quantity - received.")
    shortfall = _quantity("still_needed - max(0, usable - claimed_by_others) - on_order.")
    status = serializers.ChoiceField(
        choices=[MaterialStatus.COVERED, MaterialStatus.PARTLY, MaterialStatus.SHORT],
        read_only=True,
    )

    def to_representation(self, row: MaterialRow) -> dict:
        data: dict = {"line": row.order_line.line, "item": row.item.code}
        for name in (*REQUIREMENT_FIELDS, *AVAILABILITY_FIELDS):
            data[name] = quantity_text(getattr(row, name), row.item.decimals)
        data["status"] = row.status
        return data


class OrderMaterialSerializer(serializers.Serializer):
    """The order's material status (computed now) and its rows."""

    order_no = serializers.CharField(read_only=True)
    material_status = serializers.ChoiceField(choices=MaterialStatus.choices, read_only=True)
    stored_material_status = serializers.CharField(
        read_only=True,
        help_text="What the order list shows (unknown, covered, partly or short), as of "
        "material_checked_at.",
    )
    material_checked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rows = RequirementSerializer(many=True, read_only=True)


class ShortfallPickSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    item = serializers.CharField(max_length=40)


class ShortfallRequisitionSerializer(serializers.Serializer):
    """Raise one purchase requisition for the shortfall of these (line, item) pairs."""

    lines = ShortfallPickSerializer(many=True, allow_empty=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
