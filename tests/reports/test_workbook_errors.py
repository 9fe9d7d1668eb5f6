"""Every kind of bad input gets a clear error at its sheet, row and column, and nothing is
written: not a row, not a stock move."""

import datetime as dt
from decimal import Decimal

import pytest

from erp.models import JobRun
from materials.models import Item, StockMove
from orders.models import SalesOrderLine
from reports.workbook.errors import WorkbookInvalid
from reports.workbook.importer import import_workbook
from tests.factories import ShipmentFactory
from tests.reports.workbooks import add_row, base_sheets, set_cell, table_counts, xlsx


def change(sheet, row, column, value):
    return lambda s: set_cell(s, sheet, row, column, value)


def adding(sheet, **values):
    return lambda s: add_row(s, sheet, **values)


def dropping_column(sheet, column):
    def drop(sheets):
        index = sheets[sheet][0].index(column)
        for row in sheets[sheet]:
            del row[index]

    return drop


CASES = {
    # unknown codes
    "unknown component": (
        change("BOM", 2, "component", "NOPE"),
        ("BOM", 2, "component", "Unknown item 'NOPE'"),
    ),
    "unknown BOM parent": (change("BOM", 3, "parent", "X"), ("BOM", 3, "parent", "Unknown item")),
    "unknown BOM process": (
        change("BOM", 3, "process", "WELD"),
        ("BOM", 3, "process", "Unknown process 'WELD'"),
    ),
    "unknown process machine": (
        change("Processes", 2, "work_center", "MILL"),
        ("Processes", 2, "work_center", "Unknown machine 'MILL'"),
    ),
    "unknown routing process": (
        change("Routing", 2, "process", "P9"),
        ("Routing", 2, "process", "Unknown process"),
    ),
    "unknown routing machine": (
        change("Routing", 3, "work_center", "M9"),
        ("Routing", 3, "work_center", "add it to the WorkCenters sheet"),
    ),
    "unknown routing item": (
        change("Routing", 2, "item", "Q"),
        ("Routing", 2, "item", "Unknown item"),
    ),
    "unknown customer": (
        change("SalesOrders", 4, "customer", "C9"),
        ("SalesOrders", 4, "customer", "Unknown customer 'C9'"),
    ),
    "unknown order item": (
        change("SalesOrders", 4, "item", "ZZ"),
        ("SalesOrders", 4, "item", "Unknown item 'ZZ'"),
    ),
    "unknown supplier": (
        adding(
            "PurchaseOrders",
            po_no="PO2",
            supplier="S9",
            item="R",
            quantity=1,
            due_date="2026-03-01",
        ),
        ("PurchaseOrders", 4, "supplier", "Unknown supplier 'S9'"),
    ),
    "unknown salesperson": (
        change("Customers", 2, "salesperson", "ghost"),
        ("Customers", 2, "salesperson", "No user with the username 'ghost'"),
    ),
    "unknown warehouse": (
        change("Stock", 3, "warehouse", "WH9"),
        ("Stock", 3, "warehouse", "add it to the Warehouses sheet"),
    ),
    "unknown stock item": (change("Stock", 2, "item", "Q"), ("Stock", 2, "item", "Unknown item")),
    "unknown shipment order": (
        change("Shipments", 2, "order_no", "SO9"),
        ("Shipments", 2, "order_no", "Unknown customer order 'SO9'"),
    ),
    "unknown order line": (
        change("Shipments", 2, "line", 7),
        ("Shipments", 2, "line", "Order SO1 has no line 7"),
    ),
    "unknown work order order": (
        change("WorkOrders", 2, "order_no", "SO9"),
        ("WorkOrders", 2, "order_no", "Unknown customer order 'SO9'"),
    ),
    "unknown work order item": (
        change("WorkOrders", 3, "item", "Q"),
        ("WorkOrders", 3, "item", "Unknown item"),
    ),
    # BOM cycles
    "BOM cycle": (
        adding("BOM", parent="R", component="F", quantity=1),
        ("BOM", 2, "component", "BOM cycle: F -> S -> R -> F"),
    ),
    "own component": (
        adding("BOM", parent="S", component="S", quantity=1),
        ("BOM", 4, "component", "BOM cycle: S -> S"),
    ),
    # quantities and ranges
    "negative stock": (change("Stock", 2, "quantity", -1), ("Stock", 2, "quantity", "negative")),
    "negative cost": (
        change("Items", 2, "standard_cost", -5),
        ("Items", 2, "standard_cost", "negative"),
    ),
    "zero BOM quantity": (change("BOM", 2, "quantity", 0), ("BOM", 2, "quantity", "more than 0")),
    "zero order quantity": (
        change("SalesOrders", 2, "quantity", 0),
        ("SalesOrders", 2, "quantity", "more than 0"),
    ),
    "negative order quantity": (
        change("SalesOrders", 2, "quantity", -3),
        ("SalesOrders", 2, "quantity", "negative"),
    ),
    "zero shipment": (
        change("Shipments", 2, "quantity", 0),
        ("Shipments", 2, "quantity", "more than 0"),
    ),
    "zero PO quantity": (
        change("PurchaseOrders", 2, "quantity", 0),
        ("PurchaseOrders", 2, "quantity", "more than 0"),
    ),
    "zero WO quantity": (
        change("WorkOrders", 2, "quantity", 0),
        ("WorkOrders", 2, "quantity", "more than 0"),
    ),
    "defect rate 1": (
        change("Processes", 2, "defect_rate", 1),
        ("Processes", 2, "defect_rate", "less than 1"),
    ),
    "defect rate negative": (
        change("Processes", 3, "defect_rate", -0.01),
        ("Processes", 3, "defect_rate", "negative"),
    ),
    "hours above 24": (
        change("WorkCenters", 2, "hours_per_day", 25),
        ("WorkCenters", 2, "hours_per_day", "more than 24"),
    ),
    "due before order": (
        change("SalesOrders", 3, "due_date", "2026-02-28"),
        ("SalesOrders", 3, "due_date", "before the order date 2026-03-01"),
    ),
    "shipment over open quantity": (
        change("Shipments", 2, "quantity", 61),
        ("Shipments", 2, "quantity", "more than the open quantity 60"),
    ),
    "shipments add up over quantity": (
        adding("Shipments", order_no="SO1", line=1, ship_date="2026-03-06", quantity=41),
        ("Shipments", 4, "quantity", "more than the open quantity 40"),
    ),
    "received over quantity": (
        change("PurchaseOrders", 3, "received_quantity", 60),
        ("PurchaseOrders", 3, "received_quantity", "more than the quantity 50"),
    ),
    "completed over quantity": (
        change("WorkOrders", 2, "completed_quantity", 51),
        ("WorkOrders", 2, "completed_quantity", "more than the quantity 50"),
    ),
    # duplicates
    "duplicate item": (
        adding("Items", code="F", name="Again", kind="raw"),
        ("Items", 5, "code", "already on row 2"),
    ),
    "duplicate order line": (
        adding(
            "SalesOrders",
            order_no="SO1",
            line=2,
            customer="C1",
            order_date="2026-03-01",
            due_date="2026-03-05",
            item="F",
            quantity=1,
            unit_price=1,
        ),
        ("SalesOrders", 5, "order_no", "already on row 3"),
    ),
    "duplicate shipment": (
        adding("Shipments", order_no="SO2", ship_date="2026-02-14", quantity=1),
        ("Shipments", 4, "order_no", "already on row 3"),
    ),
    "duplicate BOM line": (
        adding("BOM", parent="F", component="S", quantity=3),
        ("BOM", 4, "parent", "already on row 2"),
    ),
    # cells
    "bad kind": (
        change("Items", 3, "kind", "metal"),
        ("Items", 3, "kind", "not one of: raw, semi, finished"),
    ),
    "decimals above 6": (
        change("Items", 4, "decimals", 7),
        ("Items", 4, "decimals", "more than 6"),
    ),
    "decimals not whole": (
        change("Items", 4, "decimals", 1.5),
        ("Items", 4, "decimals", "whole number"),
    ),
    "finer than the unit": (
        change("SalesOrders", 2, "quantity", 1.5),
        ("SalesOrders", 2, "quantity", "1.5 pcs of F"),
    ),
    "stock finer than the unit": (
        change("Stock", 2, "quantity", 1.2345),
        ("Stock", 2, "quantity", "3 decimal places"),
    ),
    "other customer on a line": (
        change("SalesOrders", 3, "customer", "C2"),
        ("SalesOrders", 3, "customer", "customer C1 on row 2"),
    ),
    "other order date on a line": (
        change("SalesOrders", 3, "order_date", "2026-02-27"),
        ("SalesOrders", 3, "order_date", "order_date 2026-03-01 on row 2"),
    ),
    "other supplier on a PO line": (adding("Suppliers", code="S2", name="Other"), None),
    "not a date": (
        change("SalesOrders", 2, "due_date", "next week"),
        ("SalesOrders", 2, "due_date", "'next week' is not a date"),
    ),
    "impossible date": (
        change("Shipments", 2, "ship_date", "2026-02-30"),
        ("Shipments", 2, "ship_date", "is not a date"),
    ),
    "not a number": (
        change("SalesOrders", 2, "unit_price", "abc"),
        ("SalesOrders", 2, "unit_price", "'abc' is not a number"),
    ),
    "too many decimal places": (
        change("Items", 2, "list_price", "1.1234567"),
        ("Items", 2, "list_price", "more than 6 decimal places"),
    ),
    "bad yes/no": (
        change("Customers", 2, "key_account", "maybe"),
        ("Customers", 2, "key_account", "'maybe' is not yes or no"),
    ),
    "bad line status": (
        change("SalesOrders", 2, "status", "done"),
        ("SalesOrders", 2, "status", "not one of: open, cancelled, closed"),
    ),
    "blank required cell": (change("Items", 2, "name", None), ("Items", 2, "name", "required")),
    "missing required column": (
        dropping_column("Items", "kind"),
        ("Items", 1, "kind", "required column 'kind' is missing"),
    ),
}
del CASES["other supplier on a PO line"]  # covered below with its own set-up


def refused(sheets) -> list:
    with pytest.raises(WorkbookInvalid) as info:
        import_workbook(source=xlsx(sheets))
    return info.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_workbook_is_refused_with_the_place_and_nothing_is_written(seller, name):
    mutate, (sheet, row, column, fragment) = CASES[name]
    sheets = base_sheets()
    mutate(sheets)
    before = table_counts()
    errors = refused(sheets)
    assert table_counts() == before
    assert [(e.sheet, e.row, e.column) for e in errors] == [(sheet, row, column)], errors
    assert fragment in errors[0].message
    assert JobRun.objects.get().status == "failed"


@pytest.mark.django_db
def test_every_error_of_every_sheet_comes_at_once(seller):
    sheets = base_sheets()
    set_cell(sheets, "Items", 3, "kind", "metal")
    set_cell(sheets, "Stock", 2, "quantity", -1)
    set_cell(sheets, "SalesOrders", 2, "due_date", "soon")
    set_cell(sheets, "WorkOrders", 3, "item", "Q")
    errors = refused(sheets)
    assert [(e.sheet, e.row, e.column) for e in errors] == [
        ("Items", 3, "kind"),
        ("Stock", 2, "quantity"),
        ("SalesOrders", 2, "due_date"),
        ("WorkOrders", 3, "item"),
    ]
    assert str(errors[0]).startswith("Items, row 3, kind: 'metal' is not one of")


@pytest.mark.django_db
def test_a_refused_re_import_changes_nothing_in_a_filled_database(imported):
    sheets = base_sheets()
    set_cell(sheets, "Items", 2, "name", "Renamed")
    set_cell(sheets, "Stock", 2, "quantity", 99)
    set_cell(sheets, "PurchaseOrders", 2, "supplier", "S9")
    before, moves = table_counts(), StockMove.objects.count()
    refused(sheets)
    assert table_counts() == before and StockMove.objects.count() == moves
    assert Item.objects.get(code="F").name == "Frame"


@pytest.mark.django_db
def test_a_cycle_through_bom_lines_already_stored(imported):
    errors = refused({"BOM": [["parent", "component", "quantity"], ["R", "F", 1]]})
    assert [(e.sheet, e.row, e.column, e.message) for e in errors] == [
        ("BOM", 2, "component", "BOM cycle: R -> F -> S -> R")
    ]


@pytest.mark.django_db
def test_shipments_already_stored_count_against_the_open_quantity(imported):
    errors = refused(
        {"Shipments": [["order_no", "line", "ship_date", "quantity"], ["SO1", 1, "2026-03-09", 41]]}
    )
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Shipments", 2, "quantity")]
    assert "open quantity 40" in errors[0].message


@pytest.mark.django_db
def test_a_line_cannot_drop_below_what_was_shipped(imported):
    sheets = base_sheets()
    del sheets["Shipments"]
    set_cell(sheets, "SalesOrders", 2, "quantity", 15)
    errors = refused(sheets)
    assert [(e.sheet, e.row, e.column) for e in errors] == [("SalesOrders", 2, "quantity")]
    assert "less than the 20 already shipped" in errors[0].message


@pytest.mark.django_db
def test_several_stored_shipments_on_one_day_cannot_be_matched(imported):
    line = SalesOrderLine.objects.get(order__order_no="SO1", line=2)
    for _ in range(2):
        ShipmentFactory(order_line=line, ship_date=dt.date(2026, 3, 8), quantity=1)
    errors = refused(
        {"Shipments": [["order_no", "line", "ship_date", "quantity"], ["SO1", 2, "2026-03-08", 2]]}
    )
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Shipments", 2, "ship_date")]
    assert "2 shipments on 2026-03-08" in errors[0].message


@pytest.mark.django_db
def test_every_line_of_a_purchase_order_has_its_supplier(seller):
    sheets = base_sheets()
    add_row(sheets, "Suppliers", code="S2", name="Other")
    set_cell(sheets, "PurchaseOrders", 3, "supplier", "S2")
    errors = refused(sheets)
    assert [(e.sheet, e.row, e.column) for e in errors] == [("PurchaseOrders", 3, "supplier")]


@pytest.mark.django_db
def test_a_file_that_is_no_workbook(db):
    import io

    errors = refused_file(io.BytesIO(b"not a zip"))
    assert errors[0].sheet == "" and "could not be read" in errors[0].message


def refused_file(source):
    with pytest.raises(WorkbookInvalid) as info:
        import_workbook(source=source)
    return info.value.errors


@pytest.mark.django_db
def test_floats_read_as_excel_shows_them(seller):
    sheets = base_sheets()
    set_cell(sheets, "BOM", 3, "quantity", 0.1 + 0.2)
    import_workbook(source=xlsx(sheets))
    from materials.models import BomLine

    assert BomLine.objects.get(component__code="R").quantity == Decimal("0.3")
