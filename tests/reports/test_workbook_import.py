import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import timezone

from customers.models import Customer, CustomerPhone
from erp.models import JobRun
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
    WorkCenter,
)
from orders.models import SalesOrder, SalesOrderLine, Shipment
from production.models import WorkOrder
from reports.workbook.importer import import_workbook
from tests.factories import ShipmentFactory, UserFactory
from tests.reports.workbooks import base_sheets, set_cell, table_counts, xlsx

D = Decimal


def balance(item: str, warehouse: str = "MAIN") -> StockBalance:
    return StockBalance.objects.get(
        item__code=item, location__warehouse__code=warehouse, location__kind="usable"
    )


@pytest.mark.django_db
def test_every_sheet_is_imported_with_its_defaults(seller):
    admin = UserFactory(username="boss")
    report = import_workbook(source=xlsx(base_sheets()), user=admin)

    assert {name: c.created for name, c in report.counts.items()} == {
        "Warehouses": 1,
        "WorkCenters": 2,
        "Processes": 2,
        "Items": 3,
        "BOM": 2,
        "Routing": 2,
        "Customers": 2,
        "Suppliers": 1,
        "Stock": 2,
        "SalesOrders": 3,
        "Shipments": 2,
        "PurchaseOrders": 2,
        "WorkOrders": 2,
    }
    assert set(Location.objects.filter(warehouse__code="WH2").values_list("kind", flat=True)) == {
        "usable",
        "quarantine",
        "inspection",
    }
    press = WorkCenter.objects.get(code="PRESS")
    assert (press.hours_per_day, press.days_per_week) == (D("8"), 6)
    cut, bend = Process.objects.get(code="CUT"), Process.objects.get(code="BEND")
    assert (cut.defect_rate, cut.work_center.code) == (D("0.02"), "LASER")
    assert (bend.defect_rate, bend.work_center) == (D("0"), None)
    semi, raw = Item.objects.get(code="S"), Item.objects.get(code="R")
    assert (semi.kind, semi.uom, semi.decimals, semi.list_price) == ("semi", "pcs", 0, D("0"))
    assert (raw.uom, raw.decimals, raw.standard_cost, raw.min_order_qty) == ("kg", 3, D("4.5"), 50)
    assert set(
        BomLine.objects.values_list("parent__code", "component__code", "quantity", "process__code")
    ) == {("F", "S", D("2"), "CUT"), ("S", "R", D("0.4"), "BEND")}
    step = Routing.objects.get(item__code="F", seq=20)
    assert (step.process.code, step.work_center.code, step.minutes_per_unit) == ("BEND", "PRESS", 0)
    acme, beta = Customer.objects.get(code="C1"), Customer.objects.get(code="C2")
    assert (acme.salesperson, acme.key_account, acme.industry) == (seller, True, "Energy")
    assert (beta.salesperson, beta.key_account, beta.region) == (None, False, "")
    assert list(acme.phones.values_list("number", "digits", "position")) == [
        ("138 0000 0001", "13800000001", 0),
        ("021-5555 6666", "02155556666", 1),
    ]
    assert Supplier.objects.get(code="S1").phone == "021-1234"

    assert (balance("R").quantity, balance("R").unit_cost) == (D("20.5"), D("4.2"))
    assert (balance("F", "WH2").quantity, balance("F", "WH2").unit_cost) == (10, D("100"))
    assert sorted(StockMove.objects.values_list("kind", "quantity", "created_by")) == [
        ("count", D("10"), admin.pk),
        ("count", D("20.5"), admin.pk),
    ]

    so1, so2 = SalesOrder.objects.get(order_no="SO1"), SalesOrder.objects.get(order_no="SO2")
    assert (so1.customer.code, so1.order_date, so1.status) == (
        "C1",
        dt.date(2026, 3, 1),
        "partly_shipped",
    )
    assert so2.status == "closed"
    assert list(so1.lines.values_list("line", "quantity", "shipped_quantity", "status")) == [
        (1, D("60"), D("20"), "open"),
        (2, D("5"), D("0"), "open"),
    ]
    line = so2.lines.get()
    assert (line.line, line.unit_price, line.shipped_quantity) == (1, D("140.5"), D("10"))
    first = Shipment.objects.get(order_line__order=so1)
    assert (first.number, first.ship_date, first.unit_cost) == (
        "SH-SO1-1-20260305",
        dt.date(2026, 3, 5),
        D("100"),
    )
    assert Shipment.objects.get(order_line__order=so2).unit_cost == D("95")

    po = PurchaseOrder.objects.get(po_no="PO1")
    assert (po.supplier.code, po.order_date, po.status) == ("S1", timezone.localdate(), "open")
    assert list(
        PurchaseOrderLine.objects.order_by("line").values_list(
            "quantity", "received_quantity", "unit_price"
        )
    ) == [(D("100.5"), 0, D("4.4")), (D("50"), D("50"), D("4.4"))]
    wo1, wo2 = WorkOrder.objects.get(wo_no="WO1"), WorkOrder.objects.get(wo_no="WO2")
    assert (wo1.sales_order, wo1.completed_quantity, wo1.status) == (so1, D("10"), "released")
    assert (wo2.sales_order, wo2.completed_quantity) == (None, 0)

    assert acme.created_by == admin and so1.updated_by == admin and first.created_by == admin
    job = JobRun.objects.get(pk=report.job_id)
    assert (job.job, job.status, job.started_by) == ("import_workbook", "succeeded", admin)
    assert job.counts["Items"] == {"created": 3, "updated": 0, "unchanged": 0}


@pytest.mark.django_db
def test_a_re_import_updates_what_changed_and_keeps_the_rest(imported):
    editor = UserFactory(username="editor")
    sheets = base_sheets()
    set_cell(sheets, "Items", 2, "name", "Frame, welded")
    set_cell(sheets, "Stock", 2, "quantity", 18)
    set_cell(sheets, "Shipments", 2, "quantity", 25)
    report = import_workbook(source=xlsx(sheets), user=editor)

    assert report.counts["Items"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    assert report.counts["Shipments"].as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.counts["Stock"].as_dict() == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.counts["SalesOrders"].updated == 1  # the line's shipped quantity follows
    frame = Item.objects.get(code="F")
    assert (frame.name, frame.created_by, frame.updated_by) == ("Frame, welded", None, editor)
    assert Item.objects.get(code="S").updated_by is None
    assert balance("R").quantity == D("18")
    assert StockMove.objects.filter(item__code="R").order_by("id").last().quantity == D("-2.5")
    assert SalesOrderLine.objects.get(order__order_no="SO1", line=1).shipped_quantity == 25


@pytest.mark.django_db
def test_a_column_left_out_keeps_the_stored_values(imported):
    sheets = {"Items": [["code", "name", "kind"], ["F", "Frame 2", "finished"]]}
    report = import_workbook(source=xlsx(sheets))
    frame = Item.objects.get(code="F")
    assert report.counts["Items"].updated == 1
    assert (frame.name, frame.standard_cost, frame.safety_stock) == ("Frame 2", D("100"), 10)


@pytest.mark.django_db
def test_phones_without_a_contact_are_replaced_in_order(imported):
    from customers.models import Contact

    acme = Customer.objects.get(code="C1")
    contact = Contact.objects.create(customer=acme, name="Ms Li")
    CustomerPhone.objects.create(customer=acme, contact=contact, number="139 1111 2222")
    sheets = {
        "Customers": [["code", "name", "phone"], ["C1", "Acme Pipes", "021-7777;  138 0000 0001 "]]
    }
    import_workbook(source=xlsx(sheets))
    assert list(acme.phones.filter(contact=None).values_list("number", "position")) == [
        ("021-7777", 0),
        ("138 0000 0001", 1),
    ]
    assert acme.phones.filter(contact=contact).count() == 1


@pytest.mark.django_db
def test_order_status_follows_the_lines(imported):
    sheets = {
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
            ["SO3", 1, "C1", "2026-03-01", "2026-03-05", "F", 5, 1, "cancelled"],
            ["SO4", 1, "C1", "2026-03-01", "2026-03-05", "F", 5, 1, "open"],
            ["SO4", 2, "C1", "2026-03-01", "2026-03-05", "F", 5, 1, "cancelled"],
            ["SO5", 1, "C1", "2026-03-01", "2026-03-05", "F", 5, 1, "open"],
        ],
        "Shipments": [
            ["order_no", "line", "ship_date", "quantity"],
            ["SO4", 1, "2026-03-04", 5],
            ["SO1", 1, "2026-03-06", 40],
            ["SO1", 2, "2026-03-06", 5],
        ],
    }
    import_workbook(source=xlsx(sheets))
    status = dict(SalesOrder.objects.values_list("order_no", "status"))
    assert status == {
        "SO1": "shipped",
        "SO2": "closed",
        "SO3": "cancelled",
        "SO4": "shipped",
        "SO5": "confirmed",
    }
    assert SalesOrderLine.objects.get(order__order_no="SO1", line=1).shipped_quantity == 60


@pytest.mark.django_db
def test_shipments_already_in_the_database_count_and_a_taken_number_gets_a_suffix(imported):
    line = SalesOrderLine.objects.get(order__order_no="SO1", line=2)
    ShipmentFactory(
        order_line=line, number="SH-SO1-2-20260307", quantity=2, ship_date=dt.date(2026, 3, 1)
    )
    sheets = {
        "Shipments": [
            ["order_no", "line", "ship_date", "quantity", "unit_cost"],
            ["SO1", 2, "2026-03-07", 3, 90],
        ]
    }
    import_workbook(source=xlsx(sheets))
    line.refresh_from_db()
    assert line.shipped_quantity == 5
    assert Shipment.objects.filter(order_line=line, number="SH-SO1-2-20260307-2").exists()


@pytest.mark.django_db
def test_data_frames_extra_columns_unknown_sheets_and_loose_headers(seller):
    frames = {
        "items": pd.DataFrame(
            [
                {
                    "Code ": "A",
                    "name*": "Alpha",
                    "kind": "raw",
                    "decimals": 3,
                    "note": "x",
                    "safety_stock": D("1.250"),
                },
                {
                    "Code ": "B",
                    "name*": "Beta",
                    "kind": "finished",
                    "decimals": None,
                    "note": None,
                    "safety_stock": None,
                },
            ]
        ),
        "SalesOrders": pd.DataFrame(
            [
                {
                    "order_no": "SO9",
                    "customer": "C1",
                    "order_date": dt.date(2026, 1, 2),
                    "due_date": pd.Timestamp("2026-01-09"),
                    "item": "B",
                    "quantity": 3,
                    "unit_price": D("9.90"),
                }
            ]
        ),
        "Customers": pd.DataFrame([{"code": "C1", "name": "Acme"}]),
        "README": pd.DataFrame([{"anything": 1}]),
        "Notes": pd.DataFrame([{"code": "ignored"}]),
    }
    report = import_workbook(source=frames)
    assert set(report.counts) == {"Items", "Customers", "SalesOrders"}
    assert Item.objects.get(code="A").safety_stock == D("1.25")
    assert Item.objects.get(code="B").decimals == 0
    line = SalesOrderLine.objects.get()
    assert (line.line, line.due_date, line.unit_price) == (1, dt.date(2026, 1, 9), D("9.9"))


@pytest.mark.django_db
def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(seller):
    sheets = {
        "Items": [
            ["code", "name", "kind"],
            ["A", "Alpha", "raw"],
            [None, None, None],
            ["B", "Beta", "metal"],
        ]
    }
    from reports.workbook.errors import WorkbookInvalid

    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(source=xlsx(sheets))
    assert [(e.sheet, e.row, e.column) for e in refused.value.errors] == [("Items", 4, "kind")]


@pytest.mark.django_db
def test_an_empty_template_imports_nothing(db):
    import io

    from reports.workbook.exporter import write_template

    buffer = io.BytesIO()
    write_template(path_or_buffer=buffer)
    before = table_counts()
    assert import_workbook(source=buffer).counts == {}
    assert table_counts() == before


@pytest.mark.django_db
def test_the_import_runs_in_a_bounded_number_of_queries(seller, django_assert_max_num_queries):
    sheets = base_sheets()
    for n in range(200):
        sheets["SalesOrders"].append(
            [f"X{n}", 1, "C2", "2026-01-01", "2026-01-05", "F", 1, 1, "open"]
        )
        sheets["Shipments"].append([f"X{n}", 1, "2026-01-03", 1, 1])
    with django_assert_max_num_queries(70):
        import_workbook(source=xlsx(sheets))
    assert SalesOrder.objects.filter(status="shipped").count() == 200


@pytest.mark.django_db
def test_a_stock_count_in_a_warehouse_made_elsewhere(imported):
    from materials.models import Warehouse

    Warehouse.objects.create(code="OUT")
    sheets = {"Stock": [["item", "warehouse", "quantity"], ["S", "OUT", 4]]}
    assert import_workbook(source=xlsx(sheets)).counts["Stock"].created == 1
    assert (balance("S", "OUT").quantity, balance("S", "OUT").unit_cost) == (4, D("20"))


@pytest.mark.django_db
def test_stock_counts_go_to_the_ledger_in_small_calls(imported, monkeypatch):
    from reports.workbook import stock_counts

    monkeypatch.setattr(stock_counts, "CHANGES_PER_CALL", 1)
    sheets = {
        "Stock": [
            ["item", "warehouse", "quantity"],
            ["R", "MAIN", 7],
            ["F", "WH2", 0],
            ["S", "MAIN", 3],
        ]
    }
    report = import_workbook(source=xlsx(sheets))
    assert report.counts["Stock"].as_dict() == {"created": 1, "updated": 2, "unchanged": 0}
    assert [balance(c, w).quantity for c, w in [("R", "MAIN"), ("F", "WH2"), ("S", "MAIN")]] == [
        7,
        0,
        3,
    ]
    latest = StockMove.objects.order_by("-id")[:3]
    assert sorted((m.item.code, m.quantity, m.balance_after) for m in latest) == [
        ("F", D("-10"), 0),
        ("R", D("-13.5"), 7),
        ("S", D("3"), 3),
    ]
