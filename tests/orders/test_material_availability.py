"""CONTRACT.md section 3b: due first takes first, through every BOM level; a made item's
stock covers the material below it; bought items take stock, then open purchase orders;
covered / partly / short per line and order; stored, refreshed when its inputs change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erp.roles import Role
from materials.models import PurchaseRequisition
from orders.availability.read import order_availability
from orders.availability.store import refresh_material_availability
from orders.models import LineMaterial, SalesOrder
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.clock import in_days
from tests.factories import BomLineFactory, ItemFactory, ProcessFactory
from tests.orders.material_support import order_of, purchase_line, put_stock

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def example(db):
    """The public worked example of section 3b."""
    a = ProcessFactory(code="A", defect_rate=D("0.05"))
    b = ProcessFactory(code="B", defect_rate=D("0.02"))
    f = ItemFactory(code="F", kind="finished")
    s = ItemFactory(code="S", kind="semi")
    r = ItemFactory(code="R", kind="raw", uom="kg", decimals=2)
    p = ItemFactory(code="P", kind="raw")
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=a)
    BomLineFactory(parent=f, component=p, quantity=D("1"), process=None)
    BomLineFactory(parent=s, component=r, quantity=D("1.5"), process=b)
    for item, qty in ((f, "3"), (s, "10"), (r, "20"), (p, "100")):
        put_stock(item, qty)
    purchase_line(r, "30")
    return f


def rows(order_no):
    found = order_availability(order=SalesOrder.objects.get(order_no=order_no))
    table = {
        (row.order_line.line, row.item.code): (
            row.need,
            row.from_stock,
            row.to_make,
            row.on_order,
            row.short,
        )
        for row in found.rows
    }
    return found.status, table


def q(*values):
    return tuple(D(v) for v in values)


def test_the_worked_example_exactly(example):
    # Created in another order than due: the line due first takes first.
    order_of("SO-3", (example, "20", in_days(15)))
    order_of("SO-1", (example, "10", in_days(10)))
    order_of("SO-2", (example, "8", in_days(12)))
    status, so1 = rows("SO-1")
    assert status == "covered"
    assert so1[(1, "F")] == q(10, 3, 7, 0, 0)
    assert so1[(1, "S")] == q(15, 10, 5, 0, 0)
    assert so1[(1, "R")] == q("7.65", "7.65", 0, 0, 0)
    assert so1[(1, "P")] == q(7, 7, 0, 0, 0)
    status, so2 = rows("SO-2")
    assert status == "partly"
    assert so2[(1, "F")] == q(8, 0, 8, 0, 0)
    assert so2[(1, "S")] == q(17, 0, 17, 0, 0)
    assert so2[(1, "R")] == q("26.01", "12.35", 0, "13.66", 0)
    assert so2[(1, "P")] == q(8, 8, 0, 0, 0)
    status, so3 = rows("SO-3")
    assert status == "short"
    assert so3[(1, "S")] == q(42, 0, 42, 0, 0)
    assert so3[(1, "R")] == q("64.26", 0, 0, "16.34", "47.92")
    assert so3[(1, "P")] == q(20, 20, 0, 0, 0)
    stored = dict(SalesOrder.objects.values_list("order_no", "material_status"))
    assert stored == {"SO-1": "covered", "SO-2": "partly", "SO-3": "short"}


def test_the_api_answers_the_rows_of_section_3b(example, api_client_for):
    order_of("SO-1", (example, "10", in_days(10)))
    order_of("SO-2", (example, "8", in_days(12)))
    body = api_client_for(Role.SALES.value).get("/api/v1/orders/SO-2/material/").json()
    assert body["order_no"] == "SO-2" and body["material_status"] == "partly"
    assert body["stale"] is False and body["computed_at"]
    r = next(row for row in body["rows"] if row["item"] == "R")
    assert {k: r[k] for k in ("line", "need", "from_stock", "to_make", "on_order", "short")} == {
        "line": 1,
        "need": "26.01",
        "from_stock": "12.35",
        "to_make": "0.00",
        "on_order": "13.66",
        "short": "0.00",
    }
    own = body["rows"][0]
    assert (own["item"], own["made"], own["level"], own["need"]) == ("F", True, 0, "8")
    assert api_client_for(Role.SALES.value).get("/api/v1/orders/NOPE/material/").status_code == 404


def test_a_sub_assembly_in_stock_covers_the_material_below_it(example):
    order_of("SO-1", (example, "7", in_days(3)))  # F: 3 in stock; S: 4 x 2.1 = 8.4 -> 9 of 10
    status, table = rows("SO-1")
    assert status == "covered"
    assert table[(1, "S")] == q(9, 9, 0, 0, 0)
    assert table[(1, "R")] == q(0, 0, 0, 0, 0)  # shown, nothing needed: S is in stock


def test_a_shared_component_adds_up_over_its_parents_and_rounds_once(db):
    f = ItemFactory(code="F", kind="finished")
    s1 = ItemFactory(code="S1", kind="semi")
    s2 = ItemFactory(code="S2", kind="semi")
    r = ItemFactory(code="R", kind="raw", uom="kg", decimals=1)
    cut = ProcessFactory(code="CUT", defect_rate=D("0.1"))
    BomLineFactory(parent=f, component=s1, quantity=D("1"))
    BomLineFactory(parent=f, component=s2, quantity=D("1"))
    BomLineFactory(parent=s1, component=r, quantity=D("0.33"), process=cut)
    BomLineFactory(parent=s2, component=r, quantity=D("0.33"))
    put_stock(s2, "1")
    order_of("SO-1", (f, "3", in_days(2)))
    status, table = rows("SO-1")
    # S2: 3, 1 from stock, 2 to make; R: 3 x 0.33 x 1.1 + 2 x 0.33 = 1.749 -> 1.8 once
    assert table[(1, "S1")] == q(3, 0, 3, 0, 0)
    assert table[(1, "S2")] == q(3, 1, 2, 0, 0)
    assert table[(1, "R")] == q("1.8", 0, 0, 0, "1.8")
    assert status == "short"


def test_what_a_line_holds_is_not_needed_again(example, make_user):
    order_of("SO-1", (example, "10", in_days(10)))
    issue_slip(kind="pick", order_no="SO-1", lines=[L(1, "P", D("4"))], user=make_user("warehouse"))
    _status, table = rows("SO-1")
    assert table[(1, "P")] == q(3, 3, 0, 0, 0)  # 7 needed, 4 held


def test_drafts_take_nothing_cancelled_and_closed_orders_neither(example):
    order_of("DRAFT", (example, "50", in_days(1)), status="draft")
    order_of("GONE", (example, "50", in_days(1)), status="cancelled")
    order_of("SO-1", (example, "10", in_days(10)))
    assert rows("SO-1")[0] == "covered"
    status, table = rows("DRAFT")  # what it would get after every confirmed line
    assert status == "short" and table[(1, "F")] == q(50, 0, 50, 0, 0)
    assert rows("GONE") == ("unknown", {})


def test_a_bought_for_resale_item_takes_stock_then_purchase_orders(db):
    toy = ItemFactory(code="TOY", kind="finished")
    put_stock(toy, "5")
    purchase_line(toy, "3")
    order_of("SO-1", (toy, "10", in_days(4)))
    status, table = rows("SO-1")
    assert status == "short" and table[(1, "TOY")] == q(10, 5, 0, 3, 2)


def test_the_line_due_first_wins_the_last_units(db):
    part = ItemFactory(code="PART", kind="raw")
    put_stock(part, "5")
    order_of("LATE", (part, "5", in_days(9)))
    order_of("EARLY", (part, "5", in_days(3)))
    order_of("TIE-B", (part, "1", in_days(9)))
    assert rows("EARLY")[0] == "covered" and rows("LATE")[0] == "short"
    assert rows("TIE-B")[1][(1, "PART")] == q(1, 0, 0, 0, 1)  # LATE < TIE-B on a tie


def test_the_stored_answer_follows_every_change_of_its_inputs(example):
    order_of("SO-1", (example, "10", in_days(10)))
    order_of("SO-3", (example, "20", in_days(15)))
    assert rows("SO-3")[0] == "short"
    purchase_line(ItemFactory._meta.model.objects.get(code="R"), "50")
    assert rows("SO-3")[0] == "partly"  # R: 16.34 + 47.92 now on order
    put_stock(ItemFactory._meta.model.objects.get(code="R"), "200")  # a stock count
    assert rows("SO-3")[0] == "covered"


def test_a_large_factory_serves_the_stored_answer_and_refreshes_in_the_background(
    example, settings, django_capture_on_commit_callbacks
):
    order_of("SO-3", (example, "20", in_days(15)))
    refresh_material_availability()
    settings.MATERIAL_SYNC_LINES = 0
    put_stock(ItemFactory._meta.model.objects.get(code="R"), "200")
    with django_capture_on_commit_callbacks(execute=True):
        stale = order_availability(order=SalesOrder.objects.get(order_no="SO-3"))
    assert stale.stale and stale.status == "partly"  # as computed before the count
    fresh = order_availability(order=SalesOrder.objects.get(order_no="SO-3"))
    assert not fresh.stale and fresh.status == "covered"  # the queued refresh ran (eager)


def test_one_order_reads_a_fixed_number_of_queries(example, api_client_for):
    order_of("SO-1", (example, "10", in_days(10)))
    for n in range(30):
        order_of(f"SO-X{n:02d}", (example, "1", in_days(20)), (example, "2", in_days(21)))
    refresh_material_availability()
    client = api_client_for(Role.SALES.value)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/orders/SO-1/material/")
    big = order_of("SO-BIG", *[(example, "1", in_days(30))] * 20)
    refresh_material_availability()
    with CaptureQueriesContext(connection) as large:
        body = client.get(f"/api/v1/orders/{big.order_no}/material/").json()
    assert len(body["rows"]) == 20 * 4
    assert len(large.captured_queries) <= len(small.captured_queries)
    assert LineMaterial.objects.count() > 0


def test_the_requisition_buys_only_bought_items_their_short_quantity(example, api_client_for):
    order_of("SO-1", (example, "10", in_days(10)))
    order_of("SO-2", (example, "8", in_days(12)))
    order_of("SO-3", (example, "20", in_days(15)))
    client = api_client_for(Role.PURCHASING.value)
    url = "/api/v1/orders/SO-3/material/requisition/"
    made = client.post(url, {"lines": [{"line": 1, "item": "S"}]}, format="json")
    assert made.status_code == 400 and "made in-house" in made.json()["detail"]
    covered = client.post(url, {"lines": [{"line": 1, "item": "P"}]}, format="json")
    assert covered.status_code == 400 and "Nothing to buy" in covered.json()["detail"]
    assert not PurchaseRequisition.objects.exists()
    response = client.post(url, {"lines": [{"line": 1, "item": "R"}]}, format="json")
    assert response.status_code == 201, response.content
    assert [(x["item"], x["quantity"]) for x in response.json()["lines"]] == [("R", "47.920000")]
