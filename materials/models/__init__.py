"""The materials app's models: the factory's master data, its stock and its purchasing."""

from .catalog import BomLine, DefectRateChange, Item, ItemKind, Process, Routing, WorkCenter
from .purchasing import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
)
from .quality import (
    InspectionDecision,
    InspectionKind,
    InspectionLot,
    InspectionStatus,
    SupplierReturn,
)
from .stock import (
    Location,
    LocationKind,
    MoveKind,
    StockAdjustment,
    StockBalance,
    StockMove,
    Warehouse,
)

__all__ = [
    "InspectionDecision",
    "InspectionKind",
    "InspectionLot",
    "InspectionStatus",
    "SupplierReturn",
    "BomLine",
    "DefectRateChange",
    "GoodsReceipt",
    "Item",
    "ItemKind",
    "Location",
    "LocationKind",
    "MoveKind",
    "Process",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequisition",
    "RequisitionLine",
    "Routing",
    "StockAdjustment",
    "StockBalance",
    "StockMove",
    "Supplier",
    "Warehouse",
    "WorkCenter",
]
