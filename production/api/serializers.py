"""Finished-goods receipts (成品入库) in and out of the API."""

from rest_framework import serializers

from orders.api.slip_serializers import MAX_LINE_NO, quantity_field
from production.models import FinishedGoodsReceipt


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
        ]
