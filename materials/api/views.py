"""Master-data endpoints: items, BOM lines, the defect-control table, machines, routings,
suppliers and warehouses. Reads through selectors, writes through services."""

from erp.api.viewsets import MasterDataViewSet, Writes
from materials import filters, selectors
from materials.api import serializers
from materials.services import bom, master


class ItemViewSet(MasterDataViewSet):
    """Items: raw material, semi-finished and finished products."""

    serializer_class = serializers.ItemSerializer
    filterset_class = filters.ItemFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "kind", "lead_time_days", "updated_at"]
    ordering = ["code"]
    writes = Writes(master.item_create, master.item_update, master.item_delete, "item")

    def get_queryset(self):
        return selectors.item_list()


class BomLineViewSet(MasterDataViewSet):
    """BOM lines: `quantity` of `component` per one unit of `parent`, consumed at `process`."""

    serializer_class = serializers.BomLineSerializer
    filterset_class = filters.BomLineFilter
    search_fields = ["parent__code", "component__code"]
    ordering_fields = ["id", "parent__code", "component__code", "quantity"]
    ordering = ["parent__code", "component__code"]
    writes = Writes(bom.bom_line_create, bom.bom_line_update, bom.bom_line_delete, "bom_line")

    def get_queryset(self):
        return selectors.bom_line_list()


class ProcessViewSet(MasterDataViewSet):
    """Processes and their defect rates: the defect-control table (不良控制比例)."""

    serializer_class = serializers.ProcessSerializer
    filterset_class = filters.ProcessFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "defect_rate"]
    ordering = ["code"]
    writes = Writes(master.process_create, master.process_update, master.process_delete, "process")

    def get_queryset(self):
        return selectors.process_list()


class WorkCenterViewSet(MasterDataViewSet):
    """Machines (机台) and their capacity."""

    serializer_class = serializers.WorkCenterSerializer
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "hours_per_day"]
    ordering = ["code"]
    writes = Writes(
        master.work_center_create,
        master.work_center_update,
        master.work_center_delete,
        "work_center",
    )

    def get_queryset(self):
        return selectors.work_center_list()


class RoutingViewSet(MasterDataViewSet):
    """Routing steps: which process on which machine, in what order, how long."""

    serializer_class = serializers.RoutingSerializer
    filterset_class = filters.RoutingFilter
    search_fields = ["item__code"]
    ordering_fields = ["id", "item__code", "seq"]
    ordering = ["item__code", "seq"]
    writes = Writes(master.routing_create, master.routing_update, master.routing_delete, "routing")

    def get_queryset(self):
        return selectors.routing_list()


class SupplierViewSet(MasterDataViewSet):
    serializer_class = serializers.SupplierSerializer
    lookup_field = "code"
    search_fields = ["code", "name", "phone"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    writes = Writes(
        master.supplier_create, master.supplier_update, master.supplier_delete, "supplier"
    )

    def get_queryset(self):
        return selectors.supplier_list()


class WarehouseViewSet(MasterDataViewSet):
    """Warehouses; each has a usable and a quarantine location, created with it."""

    serializer_class = serializers.WarehouseSerializer
    filterset_class = filters.WarehouseFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    writes = Writes(
        master.warehouse_create, master.warehouse_update, master.warehouse_delete, "warehouse"
    )

    def get_queryset(self):
        return selectors.warehouse_list()
