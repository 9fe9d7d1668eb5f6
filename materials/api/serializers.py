"""Master data in and out: foreign keys by code, decimals as strings, costs only for people
who may see them. Rules are checked by the services, not here."""

from rest_framework import serializers

from erp.api.serializers import (
    AUDIT_FIELDS,
    AuditedModelSerializer,
    CodeRelatedField,
    HiddenCostsMixin,
)
from materials.models import BomLine, Item, Process, Routing, Supplier, Warehouse, WorkCenter


class ItemSerializer(HiddenCostsMixin, AuditedModelSerializer):
    """An item: raw material, semi-finished or finished product."""

    cost_fields = ("standard_cost",)

    class Meta:
        model = Item
        fields = [
            "code",
            "name",
            "kind",
            "uom",
            "decimals",
            "standard_cost",
            "list_price",
            "lead_time_days",
            "safety_stock",
            "min_order_qty",
            "order_multiple",
            "inspect_on_receipt",
            "is_active",
            *AUDIT_FIELDS,
        ]
        extra_kwargs = {
            "standard_cost": {"help_text": "Only managers and administrators see or set it."},
            "decimals": {"help_text": "Decimals of the unit: 0 for pieces, 3 for kg."},
            "order_multiple": {"help_text": "Planned orders are multiples of this; 0 = none."},
            "inspect_on_receipt": {
                "help_text": "Receipts wait on inspection hold until quality accepts them."
            },
        }


class BomLineSerializer(AuditedModelSerializer):
    """`quantity` of `component` per one unit of `parent`, consumed at `process`."""

    parent = CodeRelatedField(queryset=Item.objects.all())
    component = CodeRelatedField(queryset=Item.objects.all())
    process = CodeRelatedField(
        queryset=Process.objects.all(),
        allow_null=True,
        required=False,
        help_text="Process where the component is consumed; its defect rate is the allowance.",
    )

    class Meta:
        model = BomLine
        fields = ["id", "parent", "component", "quantity", "process", *AUDIT_FIELDS]
        extra_kwargs = {"quantity": {"required": True, "help_text": "Per one unit of parent."}}
        validators = []  # one line per parent and component: checked by the service


class ProcessSerializer(AuditedModelSerializer):
    """A process (工序) and its row of the defect-control table."""

    work_center = CodeRelatedField(
        queryset=WorkCenter.objects.all(), allow_null=True, required=False
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Why the defect rate changes: kept in the table's history.",
    )

    class Meta:
        model = Process
        fields = ["code", "name", "defect_rate", "work_center", "reason", *AUDIT_FIELDS]
        extra_kwargs = {"defect_rate": {"help_text": "Fraction, 0 <= r < 1: 0.02 for 2%."}}


class WorkCenterSerializer(AuditedModelSerializer):
    """A machine (机台) and its capacity."""

    class Meta:
        model = WorkCenter
        fields = ["code", "name", "hours_per_day", "days_per_week", *AUDIT_FIELDS]


class RoutingSerializer(AuditedModelSerializer):
    """One step of an item's routing."""

    item = CodeRelatedField(queryset=Item.objects.all())
    process = CodeRelatedField(queryset=Process.objects.all())
    work_center = CodeRelatedField(queryset=WorkCenter.objects.all())

    class Meta:
        model = Routing
        fields = [
            "id",
            "item",
            "seq",
            "process",
            "work_center",
            "minutes_per_unit",
            "setup_minutes",
            *AUDIT_FIELDS,
        ]
        validators = []  # one step number per item: checked by the service


class SupplierSerializer(AuditedModelSerializer):
    """A supplier."""

    class Meta:
        model = Supplier
        fields = ["code", "name", "phone", *AUDIT_FIELDS]


class WarehouseSerializer(AuditedModelSerializer):
    """A warehouse; `locations` are the kinds of its locations."""

    locations = serializers.SerializerMethodField()

    class Meta:
        model = Warehouse
        fields = ["code", "name", "is_active", "locations", *AUDIT_FIELDS]

    def get_locations(self, warehouse: Warehouse) -> list[str]:
        return [location.kind for location in warehouse.locations.all()]
