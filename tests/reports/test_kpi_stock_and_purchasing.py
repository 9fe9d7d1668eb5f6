"""Stock value and inventory turns (by item kind, worked back from today's stock through
the ledger) and purchase lead time (order date to each receipt, per supplier); pages, API
and Excel for managers only, in a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from materials.models import GoodsReceipt
from materials.services.stock import StockChange, apply_stock_changes, ensure_locations
from reports.exports import Period
from reports.kpi import inventory, purchasing
from tests.clock import in_days, today
from tests.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SupplierFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db
STOCK_URL = reverse("reports:inventory-turns")
LEAD_URL = reverse("reports:purchase-lead-time")
PERIOD = Period(start=in_days(-30), end=in_days(0))


def _at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))))


def _move(item, location, quantity: str, kind: str, *, on: dt.date, cost: str | None = None):
    with _at(on):
        apply_stock_changes(
            changes=[
                StockChange(
                    item_id=item.pk,
                    location_id=location.pk,
                    quantity=Decimal(quantity),
                    unit_cost=None if cost is None else Decimal(cost),
                )
            ],
            kind=kind,
        )


@pytest.fixture
def stock():
    """Raw R: 100 received at 2.00 forty days ago, 30 picked twenty days ago, 5 returned
    ten days ago (75 left, worth 150). Finished F: 10 counted today without a cost, valued
    at its standard cost 7 (70)."""
    usable = ensure_locations(warehouse=WarehouseFactory(code="MAIN"))["usable"]
    raw = ItemFactory(code="R", kind="raw", standard_cost=Decimal("9"))
    finished = ItemFactory(code="F", kind="finished", standard_cost=Decimal("7"))
    _move(raw, usable, "100", "receipt", on=in_days(-40), cost="2")
    _move(raw, usable, "-30", "pick", on=in_days(-20))
    _move(raw, usable, "5", "return", on=in_days(-10))
    _move(finished, usable, "10", "count", on=in_days(0), cost="0")


def test_stock_value_now_by_kind(stock):
    assert inventory.stock_value_by_kind() == {"raw": Decimal(150), "finished": Decimal(70)}
    assert inventory.stock_value() == Decimal(220)


def test_turns_from_the_ledger(stock):
    report = inventory.inventory_turns(period=PERIOD)
    raw = next(k for k in report.kinds if k.kind == "raw")
    assert raw.value_now == Decimal(150)
    assert raw.issued == Decimal(50)  # 30 picked less 5 returned, at 2.00
    assert raw.points[0] == (in_days(-31), Decimal(200))
    assert raw.points[-1] == (today(), Decimal(150))
    mean = sum(v for _d, v in raw.points) / len(raw.points)
    assert raw.average_value == mean.quantize(Decimal("0.01"))
    assert raw.turns == (Decimal(50) / raw.average_value).quantize(Decimal("0.01"))
    assert raw.days == 31 and raw.days_of_stock is not None
    finished = next(k for k in report.kinds if k.kind == "finished")
    assert finished.points[0][1] == 0 and finished.issued == 0 and finished.turns == 0
    assert report.total.value_now == Decimal(220) and report.total.issued == Decimal(50)


def test_no_stock_has_no_turns(db):
    report = inventory.inventory_turns(period=PERIOD)
    assert report.total.value_now == 0 and report.total.turns is None
    assert report.total.days_of_stock is None


def test_the_period_end_is_capped_at_today(stock):
    report = inventory.inventory_turns(period=Period(start=in_days(-5), end=in_days(40)))
    assert report.period.end == today() and report.total.days == 6


@pytest.fixture
def receipts():
    """S1: ordered 30 days ago, due in 15, received after 10 days (on time). S2: ordered 30
    days ago, due in 5, received after 10 and 20 days (both late)."""
    main = WarehouseFactory(code="MAIN")
    fast = PurchaseOrderLineFactory(
        purchase_order=PurchaseOrderFactory(
            supplier=SupplierFactory(code="S1"), order_date=in_days(-30)
        ),
        due_date=in_days(-15),
    )
    slow = PurchaseOrderLineFactory(
        purchase_order=PurchaseOrderFactory(
            supplier=SupplierFactory(code="S2"), order_date=in_days(-30)
        ),
        due_date=in_days(-25),
    )
    for number, line, on in (
        ("GR1", fast, in_days(-20)),
        ("GR2", slow, in_days(-20)),
        ("GR3", slow, in_days(-10)),
    ):
        GoodsReceipt.objects.create(
            number=number, purchase_line=line, warehouse=main, quantity=1, receipt_date=on
        )


def test_lead_time_average_and_late_receipts(receipts):
    total = purchasing.lead_time_total(period=PERIOD)
    assert total.receipts == 3 and total.average_days == Decimal("13.3")
    assert (total.shortest_days, total.longest_days, total.late) == (
        Decimal("10.0"),
        Decimal("20.0"),
        2,
    )


def test_lead_time_per_supplier_slowest_first(receipts):
    rows = purchasing.as_rows(purchasing.lead_time_by_supplier(period=PERIOD))
    assert [(r.code, r.receipts, r.average_days, r.late) for r in rows] == [
        ("S2", 2, Decimal("15.0"), 2),
        ("S1", 1, Decimal("10.0"), 0),
    ]
    assert rows[0].late_share == 1


def test_lead_time_period_is_by_receipt_date(receipts):
    total = purchasing.lead_time_total(period=Period(start=in_days(-15), end=in_days(0)))
    assert total.receipts == 1 and total.average_days == Decimal("20.0")


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def test_stock_page(stock, manager, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = manager.get(STOCK_URL, {"from": PERIOD.start.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200 and "220.00" in text
    assert 'data-testid="inventory-kinds"' in text and 'data-testid="y-title"' in text


def test_lead_time_page(receipts, manager, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        page = manager.get(LEAD_URL, {"from": PERIOD.start.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200 and "13.3" in text
    table = text[text.index('data-testid="lead-time-suppliers"') :]
    assert table.index("S2") < table.index("S1")


def test_pages_default_to_this_year_to_date(manager):
    label = f"{today().replace(month=1, day=1):%Y-%m-%d} – {today():%Y-%m-%d}"
    for url in (STOCK_URL, LEAD_URL):
        assert label in manager.get(url).content.decode()


@pytest.mark.parametrize("role", ["sales", "warehouse", "purchasing", "production", "quality"])
def test_for_managers_only(make_user, api_client_for, role):
    client = Client()
    client.force_login(make_user(role))
    for url in (
        STOCK_URL,
        LEAD_URL,
        reverse("reports:kpi-download", args=["inventory-turns"]),
        reverse("reports:kpi-download", args=["purchase-lead-time"]),
    ):
        assert client.get(url).status_code == 403
    api = api_client_for(role)
    assert api.get("/api/v1/reports/inventory-turns/").status_code == 403
    assert api.get("/api/v1/reports/purchase-lead-time/").status_code == 403


def test_api_inventory_turns(stock, api_client_for, django_assert_max_num_queries):
    client = api_client_for("manager")
    with django_assert_max_num_queries(6):
        answer = client.get("/api/v1/reports/inventory-turns/", {"from": PERIOD.start.isoformat()})
    body = answer.json()
    assert answer.status_code == 200
    assert body["total"]["stock_value"] == "220"
    assert Decimal(body["total"]["stock_value"]) == 220 and Decimal(body["total"]["issued"]) == 50
    assert [k["kind"] for k in body["kinds"]] == ["raw", "semi", "finished"]


def test_api_purchase_lead_time(receipts, api_client_for, django_assert_max_num_queries):
    client = api_client_for("manager")
    with django_assert_max_num_queries(6):
        answer = client.get(
            "/api/v1/reports/purchase-lead-time/", {"from": PERIOD.start.isoformat()}
        )
    body = answer.json()
    assert body["total"]["average_days"] == "13.3"
    assert [s["supplier"] for s in body["suppliers"]] == ["S2", "S1"]


def test_api_refuses_a_year_with_dates(api_client_for):
    answer = api_client_for("manager").get(
        "/api/v1/reports/purchase-lead-time/", {"year": "2025", "from": "2025-01-01"}
    )
    assert answer.status_code == 400 and "year" in answer.json()


def test_excel_downloads_are_numbers(stock, receipts, manager):
    book = manager.get(
        reverse("reports:kpi-download", args=["inventory-turns"]),
        {"from": PERIOD.start.isoformat()},
    )
    rows = list(load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == [
        "Item kind",
        "raw material",
        "semi-finished",
        "finished product",
        "Total",
    ]
    assert Decimal(str(rows[-1][1])) == 220
    lead = manager.get(
        reverse("reports:kpi-download", args=["purchase-lead-time"]),
        {"from": PERIOD.start.isoformat()},
    )
    rows = list(load_workbook(io.BytesIO(lead.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["S2", "S1", "Total"] and rows[1][3] == 15
    assert rows[-1][2] == 3  # receipts in total
