"""MRP results and runs in and out of the API."""

from decimal import Decimal

from rest_framework import serializers

from production.models import MrpRun, PlannedOrder


class PlannedOrderSerializer(serializers.ModelSerializer):
    """A planned order of the latest run: the fields of `export_report mrp-planned-orders`
    (CONTRACT.md section 6), plus id, run and supplier."""

    item = serializers.CharField(source="item.code", read_only=True)
    quantity = serializers.SerializerMethodField()
    pegging = serializers.ListField(child=serializers.CharField(), read_only=True)
    supplier = serializers.CharField(source="supplier.code", read_only=True, default=None)

    class Meta:
        model = PlannedOrder
        fields = [
            "id",
            "run",
            "item",
            "kind",
            "quantity",
            "due_date",
            "release_date",
            "late",
            "pegging",
            "supplier",
        ]

    def get_quantity(self, order: PlannedOrder) -> str:
        """Exact, with as many decimals as the item's unit counts (50.000 kg, 102 pcs)."""
        return f"{order.quantity.quantize(Decimal(1).scaleb(-order.item.decimals)):f}"


class MrpRunSerializer(serializers.ModelSerializer):
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MrpRun
        fields = [
            "id",
            "as_of",
            "trigger",
            "started_by",
            "started_at",
            "finished_at",
            "status",
            "counts",
            "error",
        ]
        read_only_fields = fields


class MrpRunRequestSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Plan as of (default today)."
    )
