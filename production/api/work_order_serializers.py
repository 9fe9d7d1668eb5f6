"""Work orders out of the API (list and detail), and the body releasing MRP planned
production as work orders. Decimals are strings."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from production.models import WorkOrder
from production.services.release import MAX_RELEASE


class WorkOrderSerializer(serializers.ModelSerializer):
    """A work order: what it makes, how many, by when, how far it is, whom it serves."""

    item = serializers.CharField(source="item.code", read_only=True)
    item_kind = serializers.CharField(source="item.kind", read_only=True)
    open_quantity = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    sales_order = serializers.CharField(source="sales_order.order_no", read_only=True, default=None)
    pegging = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WorkOrder
        fields = [
            "wo_no",
            "status",
            "item",
            "item_kind",
            "quantity",
            "completed_quantity",
            "open_quantity",
            "due_date",
            "sales_order",
            "pegging",
            "mrp_planned_order",
            "created_at",
        ]
        read_only_fields = fields


class RoutingStepSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    process = serializers.CharField(source="process.code")
    machine = serializers.CharField(source="work_center.code")
    minutes_per_unit = serializers.DecimalField(max_digits=20, decimal_places=6)
    setup_minutes = serializers.DecimalField(max_digits=20, decimal_places=6)


class MaterialRowSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    requirement = serializers.DecimalField(max_digits=20, decimal_places=6)
    picked = serializers.DecimalField(max_digits=20, decimal_places=6)
    returned_surplus = serializers.DecimalField(max_digits=20, decimal_places=6)
    returned_defective = serializers.DecimalField(max_digits=20, decimal_places=6)
    replenished = serializers.DecimalField(max_digits=20, decimal_places=6)


class DailyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    machine = serializers.CharField(source="work_center.code")
    process = serializers.CharField(source="process.code")
    order_no = serializers.CharField(source="order_line.order.order_no", default=None)
    line = serializers.IntegerField(source="order_line.line", default=None)
    good_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    defect_quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    hours = serializers.DecimalField(max_digits=20, decimal_places=6)
    operator = serializers.CharField()


class ReceiptRowSerializer(serializers.Serializer):
    number = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=20, decimal_places=6)
    warehouse = serializers.CharField(source="warehouse.code")
    created_at = serializers.DateTimeField()
    reversed_by = serializers.SerializerMethodField()

    def get_reversed_by(self, receipt) -> str | None:
        return receipt.reversal.number if hasattr(receipt, "reversal") else None


class WorkOrderDetailSerializer(serializers.Serializer):
    """One work order with its routing, material, daily output, receipts and orders."""

    work_order = WorkOrderSerializer()
    steps = RoutingStepSerializer(many=True)
    material = MaterialRowSerializer(many=True)
    daily = DailyOutputSerializer(many=True)
    daily_count = serializers.IntegerField()
    good = serializers.DecimalField(max_digits=20, decimal_places=6)
    defects = serializers.DecimalField(max_digits=20, decimal_places=6)
    hours = serializers.DecimalField(max_digits=20, decimal_places=6)
    receipts = ReceiptRowSerializer(many=True)
    received = serializers.DecimalField(max_digits=20, decimal_places=6)
    customer_orders = serializers.SerializerMethodField()
    work_orders = serializers.SerializerMethodField()

    def get_customer_orders(self, view) -> list[str]:
        return [so.order_no for so in view.customer_orders]

    def get_work_orders(self, view) -> list[str]:
        return [wo.wo_no for wo in view.work_orders]

    def to_representation(self, view):
        data = super().to_representation(view)
        body = data.pop("work_order")
        return {**body, **data}


@extend_schema_serializer(component_name="WorkOrderDetail")
class WorkOrderDetailSchemaSerializer(WorkOrderSerializer):
    """One work order with its routing, material, daily output, receipts and orders."""

    # What WorkOrderDetailSerializer answers, for the schema: the work order's own fields
    # flattened beside the rest. Never used to serialize.
    steps = RoutingStepSerializer(many=True, read_only=True)
    material = MaterialRowSerializer(many=True, read_only=True)
    daily = DailyOutputSerializer(many=True, read_only=True)
    daily_count = serializers.IntegerField(read_only=True)
    good = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    defects = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    hours = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    receipts = ReceiptRowSerializer(many=True, read_only=True)
    received = serializers.DecimalField(max_digits=20, decimal_places=6, read_only=True)
    customer_orders = serializers.ListField(child=serializers.CharField(), read_only=True)
    work_orders = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [
            *WorkOrderSerializer.Meta.fields,
            *(name for name in WorkOrderDetailSerializer._declared_fields if name != "work_order"),
        ]
        read_only_fields = fields


class ReleaseRequestSerializer(serializers.Serializer):
    planned_orders = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=MAX_RELEASE,
        help_text="Ids of planned production orders of the latest MRP run.",
    )
