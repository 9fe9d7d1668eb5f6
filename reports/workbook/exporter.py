"""Write the factory as a workbook in the import's own format, so export -> import is a round
trip; and the empty template with a README sheet. openpyxl's write-only mode streams rows.
Every cell goes through `erp.spreadsheet.cell` (no live formulas, no control characters); the
import undoes its quote, so the round trip holds for such text too."""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from customers.models import Customer, CustomerPhone
from erp import spreadsheet
from materials.models import (
    BomLine,
    Item,
    LocationKind,
    Process,
    PurchaseOrderLine,
    Routing,
    StockBalance,
    Supplier,
    Warehouse,
    WorkCenter,
)
from orders.models import SalesOrderLine, Shipment
from orders.receivables.models import Invoice, InvoiceStatus
from production.models import WorkOrder
from reports.workbook import spec

CHUNK = 5000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_workbook(*, path_or_buffer) -> None:
    """Every sheet of `spec.SHEETS` with the whole factory in it."""
    book = Workbook(write_only=True)
    for sheet in spec.SHEETS:
        ws = _sheet(book, sheet)
        for values in ROWS[sheet.name]():
            ws.append([_cell(v) for v in values])
    book.save(path_or_buffer)


def write_template(*, path_or_buffer) -> None:
    """The workbook with headers only, after a README sheet that explains the columns."""
    book = Workbook(write_only=True)
    readme = book.create_sheet(spec.README)
    readme.column_dimensions["A"].width = 16
    readme.column_dimensions["B"].width = 20
    readme.column_dimensions["C"].width = 10
    readme.column_dimensions["D"].width = 80
    for line in _readme_intro():
        readme.append(spreadsheet.row([line]))
    readme.append([])
    readme.append(_bold(readme, [_("sheet"), _("column"), _("required"), _("meaning and default")]))
    for sheet in spec.SHEETS:
        readme.append(_bold(readme, [sheet.name, "", "", str(sheet.help)]))
        for column in sheet.columns:
            readme.append(
                spreadsheet.row(
                    ["", column.name, _("yes") if column.required else "", str(column.help)]
                )
            )
    for sheet in spec.SHEETS:
        _sheet(book, sheet)
    book.save(path_or_buffer)


def _readme_intro() -> list[str]:
    return [
        _("The factory workbook"),
        _("Every sheet is optional. Header names must stay exactly as they are (row 1)."),
        _("A blank optional cell takes the default; extra columns and sheets are ignored."),
        _("Dates: YYYY-MM-DD or Excel dates. Quantities and money: plain numbers."),
        _(
            "Re-importing updates rows by their key (code, order_no + line, ...); "
            "nothing is deleted."
        ),
        _(
            "The import is all or nothing: any error and nothing is written; "
            "every error is listed with its sheet, row and column."
        ),
        _("This README sheet is ignored by the import."),
    ]


def _sheet(book: Workbook, sheet: spec.Sheet):
    ws = book.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns):
        letter = get_column_letter(index + 1)
        ws.column_dimensions[letter].width = max(12, len(column.name) + 4)
    ws.freeze_panes = "A2"
    ws.append(_bold(ws, sheet.headers))
    return ws


def _bold(ws, values: list[str]) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=spreadsheet.cell(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cell(value):
    """Numbers without trailing zeros, yes/no for booleans, None for blank, text safe."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.normalize()
    return spreadsheet.cell(value)


def _stream(queryset, *fields: str) -> Iterator[tuple]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def _customers() -> Iterable[tuple]:
    phones: dict[int, list[str]] = {}
    for customer_id, number in (
        CustomerPhone.objects.filter(contact__isnull=True)
        .order_by("customer_id", "position", "id")
        .values_list("customer_id", "number")
        .iterator(chunk_size=CHUNK)
    ):
        phones.setdefault(customer_id, []).append(number)
    rows = _stream(
        Customer.objects.order_by("code"),
        "id",
        "code",
        "name",
        "industry",
        "region",
        "salesperson__username",
        "key_account",
        "credit_limit",
        "payment_terms_days",
    )
    for pk, code, name, industry, region, salesperson, key_account, limit, terms in rows:
        phone = ";".join(phones.get(pk, ())) or None
        yield (
            code,
            name,
            phone,
            industry or None,
            region or None,
            salesperson,
            key_account,
            limit,
            terms,
        )


ROWS = {
    "Warehouses": lambda: _stream(Warehouse.objects.order_by("code"), "code", "name"),
    "WorkCenters": lambda: _stream(
        WorkCenter.objects.order_by("code"), "code", "name", "hours_per_day", "days_per_week"
    ),
    "Processes": lambda: _stream(
        Process.objects.order_by("code"), "code", "name", "defect_rate", "work_center__code"
    ),
    "Items": lambda: _stream(Item.objects.order_by("code"), *spec.ITEMS.headers),
    "BOM": lambda: _stream(
        BomLine.objects.order_by("parent__code", "component__code"),
        "parent__code",
        "component__code",
        "quantity",
        "process__code",
    ),
    "Routing": lambda: _stream(
        Routing.objects.order_by("item__code", "seq"),
        "item__code",
        "seq",
        "process__code",
        "work_center__code",
        "minutes_per_unit",
        "setup_minutes",
    ),
    "Customers": _customers,
    "Suppliers": lambda: _stream(Supplier.objects.order_by("code"), "code", "name", "phone"),
    "Stock": lambda: _stream(
        StockBalance.objects.filter(location__kind=LocationKind.USABLE).order_by(
            "item__code", "location__warehouse__code"
        ),
        "item__code",
        "location__warehouse__code",
        "quantity",
        "unit_cost",
    ),
    "SalesOrders": lambda: _stream(
        SalesOrderLine.objects.order_by("order__order_no", "line"),
        "order__order_no",
        "line",
        "order__customer__code",
        "order__order_date",
        "due_date",
        "item__code",
        "quantity",
        "unit_price",
        "status",
    ),
    "Shipments": lambda: _stream(
        Shipment.objects.order_by("order_line__order__order_no", "order_line__line", "ship_date"),
        "order_line__order__order_no",
        "order_line__line",
        "ship_date",
        "quantity",
        "unit_cost",
    ),
    "PurchaseOrders": lambda: _stream(
        PurchaseOrderLine.objects.order_by("purchase_order__po_no", "line"),
        "purchase_order__po_no",
        "line",
        "purchase_order__supplier__code",
        "item__code",
        "quantity",
        "due_date",
        "received_quantity",
        "unit_price",
    ),
    "WorkOrders": lambda: _stream(
        WorkOrder.objects.order_by("wo_no"),
        "wo_no",
        "item__code",
        "quantity",
        "due_date",
        "completed_quantity",
        "sales_order__order_no",
    ),
    # Every open invoice, opening or billed here: amount = gross, paid = allocated.
    "OpenInvoices": lambda: _stream(
        Invoice.objects.exclude(status=InvoiceStatus.CANCELLED)
        .filter(gross_amount__gt=F("allocated_amount"))
        .order_by("invoice_no"),
        "invoice_no",
        "customer__code",
        "invoice_date",
        "due_date",
        "gross_amount",
        "allocated_amount",
    ),
}
