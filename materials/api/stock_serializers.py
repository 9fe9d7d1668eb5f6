"""Stock balances, the ledger of moves and stock-count adjustments in and out of the API.
Decimals are strings; costs only for managers."""

from rest_framework import serializers

from erp.api.serializers import HiddenCostsMixin
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import LocationKind, StockAdjustment, StockMove


def _decimal(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class StockRowSerializer(serializers.Serializer):
    """An item's stock in one warehouse: usable, quarantine (returned defective or rejected,
    never issued) and inspection (on inspection hold until quality decides)."""

    item = serializers.CharField(source="item_code")
    item_name = serializers.CharField()
    uom = serializers.CharField()
    warehouse = serializers.CharField(source="warehouse_code")
    usable = _decimal()
    quarantine = _decimal()
    inspection = _decimal()


class StockMoveSerializer(HiddenCostsMixin, serializers.ModelSerializer):
    """One ledger row: a signed quantity into or out of a location, and the document
    behind it."""

    cost_fields = ("unit_cost",)
    item = serializers.CharField(source="item.code", read_only=True)
    warehouse = serializers.CharField(source="location.warehouse.code", read_only=True)
    location = serializers.CharField(source="location.kind", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StockMove
        fields = [
            "id",
            "item",
            "warehouse",
            "location",
            "kind",
            "quantity",
            "balance_after",
            "unit_cost",
            "document_type",
            "document_id",
            "document_number",
            "reason",
            "created_at",
            "created_by",
        ]
        extra_kwargs = {
            "quantity": {"help_text": "Signed: + in, - out."},
            "balance_after": {"help_text": "The location's balance after this move."},
            "unit_cost": {"help_text": "Only managers and administrators see it."},
        }


class AdjustmentCreateSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40, help_text="Item code.")
    warehouse = serializers.CharField(max_length=40, required=False, default="MAIN")
    location = serializers.ChoiceField(
        choices=LocationKind.choices, required=False, default=LocationKind.USABLE
    )
    counted_quantity = _decimal(help_text="What was counted; 0 or more.")
    reason = serializers.CharField(max_length=300, help_text="Why the count differs.")


class AdjustmentRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the count is rejected.")


class AdjustmentSerializer(serializers.ModelSerializer):
    """A stock count that differs from the books; applied when a manager approves it."""

    item = serializers.CharField(source="item.code", read_only=True)
    warehouse = serializers.CharField(source="location.warehouse.code", read_only=True)
    location = serializers.CharField(source="location.kind", read_only=True)
    difference = _decimal(read_only=True, help_text="Counted - books when counted.")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StockAdjustment
        fields = [
            "id",
            "number",
            "item",
            "warehouse",
            "location",
            "book_quantity",
            "counted_quantity",
            "difference",
            "reason",
            "status",
            "created_at",
            "created_by",
            "decided_at",
            "decided_by",
            "decision_note",
        ]
