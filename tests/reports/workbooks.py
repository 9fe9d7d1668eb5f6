"""Test workbooks built in code: a small complete factory, cells changed by Excel row number."""

import copy
import datetime as dt
import io

import openpyxl

from customers.models import Customer, CustomerPhone
from materials.models import (
    BomLine,
    Item,
    Location,
    Process,
    PurchaseOrder,
    PurchaseOrderLine,
    Routing,
    StockBalance,
    StockMove,
    Supplier,
    Warehouse,
    WorkCenter,
)
from orders.models import SalesOrder, SalesOrderLine, Shipment
from production.models import WorkOrder

SALESPERSON = "seller"

BASE = {
    "Warehouses": [["code", "name"], ["WH2", "Second warehouse"]],
    "WorkCenters": [
        ["code", "name", "hours_per_day", "days_per_week"],
        ["LASER", "Laser cutter", 16, 6],
        ["PRESS", "Press", None, None],
    ],
    "Processes": [
        ["code", "name", "defect_rate", "work_center"],
        ["CUT", "Cutting", 0.02, "LASER"],
        ["BEND", "Bending", None, None],
    ],
    "Items": [
        [
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
        ],
        ["F", "Frame", "finished", "pcs", 0, 100, 150, 2, 10, 0, 0],
        ["S", "Sub-assembly", "semi", None, None, 20, None, 1, None, None, None],
        ["R", "Steel strip", "raw", "kg", 3, "4.5", None, 5, None, 50, None],
    ],
    "BOM": [
        ["parent", "component", "quantity", "process"],
        ["F", "S", 2, "CUT"],
        ["S", "R", 0.4, "BEND"],
    ],
    "Routing": [
        ["item", "seq", "process", "work_center", "minutes_per_unit", "setup_minutes"],
        ["F", 10, "CUT", "LASER", 1.5, 30],
        ["F", 20, "BEND", "PRESS", None, None],
    ],
    "Customers": [
        ["code", "name", "phone", "industry", "region", "salesperson", "key_account"],
        ["C1", "Acme Pipes", "138 0000 0001; 021-5555 6666", "Energy", "East", SALESPERSON, "yes"],
        ["C2", "Beta Racks", None, None, None, None, None],
    ],
    "Suppliers": [["code", "name", "phone"], ["S1", "Steel Co", "021-1234"]],
    "Stock": [
        ["item", "warehouse", "quantity", "unit_cost"],
        ["R", None, 20.5, 4.2],
        ["F", "WH2", 10, None],
    ],
    "SalesOrders": [
        [
            "order_no",
            "line",
            "customer",
            "order_date",
            "due_date",
            "item",
            "quantity",
            "unit_price",
            "status",
        ],
        ["SO1", 1, "C1", dt.date(2026, 3, 1), dt.date(2026, 3, 10), "F", 60, 150, None],
        ["SO1", 2, "C1", "2026-03-01", "2026-03-20", "F", 5, 150, "open"],
        ["SO2", None, "C2", "2026-02-01", "2026-02-15", "F", 10, "140.5", "closed"],
    ],
    "Shipments": [
        ["order_no", "line", "ship_date", "quantity", "unit_cost"],
        ["SO1", 1, "2026-03-05", 20, None],
        ["SO2", 1, dt.date(2026, 2, 14), 10, 95],
    ],
    "PurchaseOrders": [
        [
            "po_no",
            "line",
            "supplier",
            "item",
            "quantity",
            "due_date",
            "received_quantity",
            "unit_price",
        ],
        ["PO1", 1, "S1", "R", 100.5, "2026-03-07", None, 4.4],
        ["PO1", 2, "S1", "R", 50, "2026-03-20", 50, 4.4],
    ],
    "WorkOrders": [
        ["wo_no", "item", "quantity", "due_date", "completed_quantity", "order_no"],
        ["WO1", "F", 50, "2026-03-08", 10, "SO1"],
        ["WO2", "S", 100, "2026-03-07", None, None],
    ],
}


def base_sheets() -> dict[str, list[list]]:
    return copy.deepcopy(BASE)


def set_cell(sheets: dict, sheet: str, row: int, column: str, value) -> dict:
    """Change one cell; `row` is the Excel row number (header = 1)."""
    header = sheets[sheet][0]
    sheets[sheet][row - 1][header.index(column)] = value
    return sheets


def add_row(sheets: dict, sheet: str, **values) -> int:
    """Append a row; returns its Excel row number."""
    header = sheets[sheet][0]
    sheets[sheet].append([values.get(h) for h in header])
    return len(sheets[sheet])


def xlsx(sheets: dict[str, list[list]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def read_xlsx(data) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


MODELS = [
    Warehouse,
    Location,
    WorkCenter,
    Process,
    Item,
    BomLine,
    Routing,
    Customer,
    CustomerPhone,
    Supplier,
    StockBalance,
    StockMove,
    SalesOrder,
    SalesOrderLine,
    Shipment,
    PurchaseOrder,
    PurchaseOrderLine,
    WorkOrder,
]


def table_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def data_snapshot() -> dict[str, list]:
    """Every imported value, by natural keys (no ids, no audit times)."""
    return {
        "items": list(
            Item.objects.order_by("code").values_list(
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
            )
        ),
        "warehouses": list(Warehouse.objects.order_by("code").values_list("code", "name")),
        "locations": list(
            Location.objects.order_by("warehouse__code", "kind").values_list(
                "warehouse__code", "kind"
            )
        ),
        "work_centers": list(
            WorkCenter.objects.order_by("code").values_list(
                "code", "name", "hours_per_day", "days_per_week"
            )
        ),
        "processes": list(
            Process.objects.order_by("code").values_list(
                "code", "name", "defect_rate", "work_center__code"
            )
        ),
        "bom": list(
            BomLine.objects.order_by("parent__code", "component__code").values_list(
                "parent__code", "component__code", "quantity", "process__code"
            )
        ),
        "routing": list(
            Routing.objects.order_by("item__code", "seq").values_list(
                "item__code",
                "seq",
                "process__code",
                "work_center__code",
                "minutes_per_unit",
                "setup_minutes",
            )
        ),
        "customers": list(
            Customer.objects.order_by("code").values_list(
                "code", "name", "industry", "region", "salesperson__username", "key_account"
            )
        ),
        "phones": list(
            CustomerPhone.objects.order_by("customer__code", "position").values_list(
                "customer__code", "number", "digits", "position"
            )
        ),
        "suppliers": list(Supplier.objects.order_by("code").values_list("code", "name", "phone")),
        "stock": list(
            StockBalance.objects.order_by(
                "item__code", "location__warehouse__code", "location__kind"
            ).values_list(
                "item__code", "location__warehouse__code", "location__kind", "quantity", "unit_cost"
            )
        ),
        "orders": list(
            SalesOrder.objects.order_by("order_no").values_list(
                "order_no", "customer__code", "order_date", "status"
            )
        ),
        "lines": list(
            SalesOrderLine.objects.order_by("order__order_no", "line").values_list(
                "order__order_no",
                "line",
                "item__code",
                "quantity",
                "unit_price",
                "due_date",
                "status",
                "shipped_quantity",
            )
        ),
        "shipments": list(
            Shipment.objects.order_by("number").values_list(
                "number",
                "order_line__order__order_no",
                "order_line__line",
                "ship_date",
                "quantity",
                "unit_cost",
            )
        ),
        "purchase_orders": list(
            PurchaseOrder.objects.order_by("po_no").values_list(
                "po_no", "supplier__code", "order_date", "status"
            )
        ),
        "po_lines": list(
            PurchaseOrderLine.objects.order_by("purchase_order__po_no", "line").values_list(
                "purchase_order__po_no",
                "line",
                "item__code",
                "quantity",
                "due_date",
                "received_quantity",
                "unit_price",
            )
        ),
        "work_orders": list(
            WorkOrder.objects.order_by("wo_no").values_list(
                "wo_no",
                "item__code",
                "quantity",
                "due_date",
                "completed_quantity",
                "sales_order__order_no",
                "status",
            )
        ),
    }
