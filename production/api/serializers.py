"""Finished-goods receipts (成品入库) in and out of the API."""

from rest_framework import serializers

from orders.api.slip_serializers import MAX_LINE_NO, quantity_field
from production.models import FinishedGoodsReceipt, FinishedGoodsReceiptReversal


class FinishedGoodsReceiptCreateSerializer(serializers.Serializer):
    quantity = quantity_field()
    warehouse = serializers.CharField(max_length=40, required=False, default="MAIN")
    work_order = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Work order no."
    )
    order_no = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Customer order no."
    )
    line = serializers.IntegerField(
        min_value=1, max_value=MAX_LINE_NO, required=False, default=1, help_text="Order line."
    )

    def validate(self, attrs):
        if not attrs["work_order"] and not attrs["order_no"]:
            raise serializers.ValidationError(
                "Give the work_order, or the order_no (and line) the goods are for."
            )
        return attrs


class FinishedGoodsReceiptSerializer(serializers.ModelSerializer):
    """Finished goods received into a warehouse, against a work order or an order line."""

    item = serializers.CharField(source="item.code", read_only=True)
    warehouse = serializers.CharField(source="warehouse.code", read_only=True)
    work_order = serializers.CharField(source="work_order.wo_no", read_only=True, default=None)
    order_no = serializers.CharField(
        source="order_line.order.order_no", read_only=True, default=None
    )
    line = serializers.IntegerField(source="order_line.line", read_only=True, default=None)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = FinishedGoodsReceipt
        fields = [
            "id",
            "number",
            "item",
            "quantity",
            "warehouse",
            "work_order",
            "order_no",
            "line",
            "created_at",
            "created_by",
            "reversed_by",
        ]

    def get_reversed_by(self, receipt: FinishedGoodsReceipt) -> str | None:
        """The number of the reversal that took it back out, if any."""
        return receipt.reversal.number if hasattr(receipt, "reversal") else None


class ReceiptReversalRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the receipt is reversed.")


class ReceiptReversalSerializer(serializers.ModelSerializer):
    """A reversal: the receipt it takes back out, why, who and when."""

    receipt = serializers.CharField(source="receipt.number", read_only=True)
    item = serializers.CharField(source="receipt.item.code", read_only=True)
    quantity = serializers.DecimalField(
        source="receipt.quantity", max_digits=20, decimal_places=6, read_only=True
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FinishedGoodsReceiptReversal
        fields = [
            "id",
            "number",
            "receipt",
            "item",
            "quantity",
            "reason",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields
