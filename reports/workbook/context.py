"""What one import works with: the parsed sheets, the errors found so far, and what the
database holds already (read once per model, in chunks, never a query per row)."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer, CustomerPhone
from materials.models import (
    BomLine,
    Item,
    Process,
    PurchaseOrder,
    PurchaseOrderLine,
    Routing,
    Supplier,
    Warehouse,
    WorkCenter,
)
from orders.models import SalesOrder, SalesOrderLine, Shipment
from production.models import WorkOrder
from reports.workbook import cells
from reports.workbook.errors import WorkbookError
from reports.workbook.reader import ParsedSheet, Row

# kind -> (model, sheet that creates it, fields read besides id and code)
MASTERS = {
    "warehouse": (Warehouse, "Warehouses", ("name",)),
    "work_center": (WorkCenter, "WorkCenters", ("name", "hours_per_day", "days_per_week")),
    "process": (Process, "Processes", ("name", "defect_rate", "work_center_id")),
    "item": (
        Item,
        "Items",
        (
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
        ),
    ),
    "customer": (
        Customer,
        "Customers",
        (
            "name",
            "industry",
            "region",
            "salesperson_id",
            "key_account",
            "credit_limit",
            "payment_terms_days",
        ),
    ),
    "supplier": (Supplier, "Suppliers", ("name", "phone")),
}
UNKNOWN = {
    "warehouse": gettext_lazy("Unknown warehouse '%(code)s': add it to the Warehouses sheet."),
    "work_center": gettext_lazy("Unknown machine '%(code)s': add it to the WorkCenters sheet."),
    "process": gettext_lazy("Unknown process '%(code)s': add it to the Processes sheet."),
    "item": gettext_lazy("Unknown item '%(code)s': add it to the Items sheet."),
    "customer": gettext_lazy("Unknown customer '%(code)s': add it to the Customers sheet."),
    "supplier": gettext_lazy("Unknown supplier '%(code)s': add it to the Suppliers sheet."),
}


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def chunks(values: Iterable, size: int | None = None) -> Iterable[list]:
    values = list(values)
    size = size or min(10_000, (connection.features.max_query_params or 10_000) - 10)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def values_in(queryset, lookup: str, keys: Iterable, *fields: str) -> list[dict]:
    """`queryset.filter(lookup__in=keys).values(*fields)`, one query per chunk of keys."""
    rows: list[dict] = []
    for part in chunks(set(keys)):
        rows.extend(queryset.filter(**{f"{lookup}__in": part}).values(*fields))
    return rows


class ImportContext:
    def __init__(self, sheets: dict[str, ParsedSheet], errors: list[WorkbookError], user=None):
        self.sheets = sheets
        self.errors = errors
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.user_id = self.user.pk if self.user else None
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.counts: dict[str, SheetCounts] = {}
        self.ids: dict[str, dict] = {}  # kind -> key -> id, filled as sheets are written
        self._masters: dict[str, dict[str, dict]] = {}
        self.open_invoices: dict = {}  # invoice_no -> what the database has (open_invoices.py)

    # --- the workbook ---
    def rows(self, sheet: str) -> list[Row]:
        parsed = self.sheets.get(sheet)
        return parsed.rows if parsed else []

    def good_rows(self, sheet: str) -> list[Row]:
        return [r for r in self.rows(sheet) if r.ok]

    def present(self, sheet: str) -> frozenset[str]:
        parsed = self.sheets.get(sheet)
        return parsed.present if parsed else frozenset()

    def error(self, sheet: str, row: Row | None, column: str, message: str) -> None:
        self.errors.append(WorkbookError(sheet, row.n if row else 1, column, message))
        if row is not None:
            row.ok = False
            row.bad.add(column)

    @cached_property
    def sheet_codes(self) -> dict[str, dict[str, Row]]:
        """kind -> code -> the first row of the sheet that defines it."""
        found: dict[str, dict[str, Row]] = {}
        for kind, (_model, sheet, _fields) in MASTERS.items():
            codes: dict[str, Row] = {}
            for row in self.rows(sheet):
                if row.v.get("code") is not None:
                    codes.setdefault(row.v["code"], row)
            found[kind] = codes
        return found

    def known(self, kind: str, code: str) -> bool:
        return code in self.sheet_codes[kind] or code in self.db(kind)

    def check_ref(self, sheet: str, row: Row, column: str, kind: str) -> bool:
        code = row.v.get(column)
        if code is None:
            return False
        if self.known(kind, code):
            return True
        self.error(sheet, row, column, UNKNOWN[kind] % {"code": code})
        return False

    def item_value(self, code: str, name: str):
        """An item's field as it will be after the import: the Items sheet wins over the DB."""
        row = self.sheet_codes["item"].get(code)
        if row is not None and row.v.get(name) is not None:
            return row.v[name]
        return self.db("item").get(code, {}).get(name)

    def check_item_quantity(self, sheet: str, row: Row, column: str, item_code: str | None) -> None:
        """A quantity may not have more decimal places than its item's unit allows."""
        value = row.v.get(column)
        if value is None or item_code is None or not self.known("item", item_code):
            return
        decimals = self.item_value(item_code, "decimals")
        if decimals is None or cells.places(value) <= decimals:
            return
        message = _(
            "%(value)s %(uom)s of %(item)s: this item is counted with %(decimals)d decimal places."
        ) % {
            "value": cells.plain(value),
            "uom": self.item_value(item_code, "uom") or "",
            "item": item_code,
            "decimals": decimals,
        }
        self.error(sheet, row, column, message)

    # --- the database before the import ---
    def db(self, kind: str) -> dict[str, dict]:
        """code -> {id, code, fields...} of every record of a master model."""
        if kind not in self._masters:
            model, _sheet, fields = MASTERS[kind]
            self._masters[kind] = {
                r["code"]: r for r in model.objects.order_by().values("id", "code", *fields)
            }
        return self._masters[kind]

    def db_ids(self, kind: str) -> dict[str, int]:
        return {code: r["id"] for code, r in self.db(kind).items()}

    def id_map(self, kind: str) -> dict:
        """code -> id after the sheets written so far (the database's ids before that)."""
        if kind not in self.ids:
            self.ids[kind] = self.db_ids(kind)
        return self.ids[kind]

    def users(self, usernames: Iterable[str]) -> dict[str, int]:
        rows = values_in(
            get_user_model().objects.order_by(), "username", usernames, "id", "username"
        )
        return {r["username"]: r["id"] for r in rows}

    @cached_property
    def db_bom(self) -> dict[tuple[int, int], dict]:
        rows = BomLine.objects.order_by().values(
            "id", "parent_id", "component_id", "quantity", "process_id"
        )
        return {(r["parent_id"], r["component_id"]): r for r in rows}

    @cached_property
    def db_routing(self) -> dict[tuple[int, int], dict]:
        item_ids = [self.db("item")[c]["id"] for c in self._codes_in("Routing", "item")]
        rows = values_in(
            Routing.objects.order_by(),
            "item_id",
            item_ids,
            "id",
            "item_id",
            "seq",
            "process_id",
            "work_center_id",
            "minutes_per_unit",
            "setup_minutes",
        )
        return {(r["item_id"], r["seq"]): r for r in rows}

    def db_phones(self, customer_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        phones: dict[int, list[str]] = {}
        for part in chunks(set(customer_ids)):
            rows = (
                CustomerPhone.objects.filter(customer_id__in=part, contact__isnull=True)
                .order_by("customer_id", "position", "id")
                .values_list("customer_id", "number")
            )
            for customer_id, number in rows:
                phones.setdefault(customer_id, []).append(number)
        return {k: tuple(v) for k, v in phones.items()}

    def _codes_in(self, sheet: str, column: str) -> set[str]:
        known = self.db("item") if column == "item" else {}
        return {r.v[column] for r in self.rows(sheet) if r.v.get(column) in known}

    # --- orders, purchase orders, work orders the workbook names ---
    @cached_property
    def db_orders(self) -> dict[str, dict]:
        numbers = {
            r.v["order_no"]
            for s in ("SalesOrders", "Shipments", "WorkOrders")
            for r in self.rows(s)
            if r.v.get("order_no")
        }
        rows = values_in(
            SalesOrder.objects.order_by(),
            "order_no",
            numbers,
            "id",
            "order_no",
            "customer_id",
            "order_date",
            "status",
        )
        return {r["order_no"]: r for r in rows}

    @cached_property
    def db_lines(self) -> dict[tuple[str, int], dict]:
        """(order_no, line) -> the line, for every line of the orders the workbook names."""
        order_no = {o["id"]: no for no, o in self.db_orders.items()}
        rows = values_in(
            SalesOrderLine.objects.order_by(),
            "order_id",
            order_no,
            "id",
            "order_id",
            "line",
            "item_id",
            "quantity",
            "unit_price",
            "due_date",
            "status",
            "shipped_quantity",
        )
        return {(order_no[r["order_id"]], r["line"]): r for r in rows}

    @cached_property
    def db_shipments(self) -> dict[int, list[dict]]:
        """order line id -> its shipments."""
        found: dict[int, list[dict]] = {}
        line_ids = [line["id"] for line in self.db_lines.values()]
        for r in values_in(
            Shipment.objects.order_by("id"),
            "order_line_id",
            line_ids,
            "id",
            "number",
            "order_line_id",
            "ship_date",
            "quantity",
            "unit_cost",
        ):
            found.setdefault(r["order_line_id"], []).append(r)
        return found

    @cached_property
    def db_purchase_orders(self) -> dict[str, dict]:
        numbers = {r.v["po_no"] for r in self.rows("PurchaseOrders") if r.v.get("po_no")}
        rows = values_in(
            PurchaseOrder.objects.order_by(),
            "po_no",
            numbers,
            "id",
            "po_no",
            "supplier_id",
            "order_date",
            "status",
        )
        return {r["po_no"]: r for r in rows}

    @cached_property
    def db_po_lines(self) -> dict[tuple[int, int], dict]:
        ids = [po["id"] for po in self.db_purchase_orders.values()]
        rows = values_in(
            PurchaseOrderLine.objects.order_by(),
            "purchase_order_id",
            ids,
            "id",
            "purchase_order_id",
            "line",
            "item_id",
            "quantity",
            "due_date",
            "received_quantity",
            "unit_price",
        )
        return {(r["purchase_order_id"], r["line"]): r for r in rows}

    @cached_property
    def db_work_orders(self) -> dict[str, dict]:
        numbers = {r.v["wo_no"] for r in self.rows("WorkOrders") if r.v.get("wo_no")}
        rows = values_in(
            WorkOrder.objects.order_by(),
            "wo_no",
            numbers,
            "id",
            "wo_no",
            "item_id",
            "quantity",
            "due_date",
            "completed_quantity",
            "sales_order_id",
            "status",
        )
        return {r["wo_no"]: r for r in rows}
