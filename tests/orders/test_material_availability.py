"""CONTRACT.md section 3 and issue 3 item 3: an order's material requirement per line and
item, what other open orders claim, what is on order, the status, and its refresh."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import MaterialStatus, SalesOrder
from orders.selectors.material import material_by_order, order_material, order_status
from orders.services.material_status import (
    refresh_material_status,
    refresh_open_orders_material_status,
    refresh_orders_using_items,
)
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import BomLineFactory, ItemFactory, ProcessFactory
from tests.orders.material_support import (
    LATER,
    build_floor,
    order_of,
    purchase_line,
    put_stock,
    row_of,
)

D = Decimal
COVERED, PARTLY, SHORT = MaterialStatus.COVERED, MaterialStatus.PARTLY, MaterialStatus.SHORT


@pytest.fixture
def floor(db, make_user):
    floor = build_floor()
    floor.clerk = make_user("warehouse")
    return floor


def test_requirement_of_the_worked_example(floor):
    order = order_of("SO1", (floor.f, "50"))
    rows = order_material(order=order)
    assert [(r.order_line.line, r.item.code, r.requirement) for r in rows] == [
        (1, "R", D("42.840")),  # 50 x 2 x 1.02 x 0.4 x 1.05 = 42.84, not 42.8400001
        (1, "S", D("102")),  # 50 x 2 x 1.02
    ]
    r = row_of(rows, 1, "R")
    assert (r.picked, r.pick_remaining, r.replenish_remaining, r.still_needed) == (
        0,
        D("42.84"),
        0,
        D("42.84"),
    )


def test_pieces_round_up_to_whole_pieces_and_kg_to_grams_once_at_the_end(floor):
    order = order_of("SO1", (floor.f, "7"))
    rows = order_material(order=order)
    # S: 7 x 2 x 1.02 = 14.28 -> 15 pcs; R from the exact 14.28 (not 15): 5.9976 -> 5.998 kg
    assert row_of(rows, 1, "S").requirement == D("15")
    assert row_of(rows, 1, "R").requirement == D("5.998")


def test_issued_quantities_and_what_is_left(floor):
    order = order_of("SO1", (floor.f, "50"))
    put_stock(floor.r, "100")
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("40"))], user=floor.clerk)
    issue_slip(
        kind="return",
        order_no="SO1",
        lines=[L(1, "R", D("5"), "surplus"), L(1, "R", D("2"), "defective")],
        user=floor.clerk,
    )
    issue_slip(kind="replenish", order_no="SO1", lines=[L(1, "R", D("0.5"))], user=floor.clerk)
    r = row_of(order_material(order=order), 1, "R")
    assert (r.picked, r.returned_surplus, r.returned_defective, r.replenished) == (
        40,
        5,
        2,
        D("0.5"),
    )
    assert r.pick_remaining == D("7.84")  # 42.84 - (40 - 5)
    assert r.replenish_remaining == D("1.5")
    assert r.still_needed == D("7.84")
    assert r.usable == D("64.5")  # 100 - 40 + 5 - 0.5; the defective 2 kg are in quarantine


def test_covered_partly_short_with_another_open_order_claiming(floor):
    order = order_of("SO1", (floor.f, "50", LATER))
    order_of("SO2", (floor.f, "50"))  # claims 42.84 kg R and 102 S
    put_stock(floor.r, "100")
    put_stock(floor.s, "150")
    rows = order_material(order=order)
    r, s = row_of(rows, 1, "R"), row_of(rows, 1, "S")
    assert (r.usable, r.claimed_by_others, r.available) == (100, D("42.84"), D("57.16"))
    assert r.status == COVERED
    assert (s.claimed_by_others, s.available, s.status) == (102, 48, PARTLY)
    assert order_status(rows) == PARTLY
    order_of("SO3", (floor.f, "25"))  # claims 51 S more: 150 - 153 left for SO1
    rows = order_material(order=order)
    assert row_of(rows, 1, "S").status == SHORT
    assert order_status(rows) == SHORT


def test_cancelled_closed_and_draft_orders_and_closed_lines_claim_nothing(floor):
    order = order_of("SO1", (floor.f, "50", LATER))
    order_of("SO2", (floor.f, "50"), status="cancelled")
    order_of("SO3", (floor.f, "50"), status="closed")
    order_of("SO4", (floor.f, "50"), status="draft")
    other = order_of("SO5", (floor.f, "50"), (floor.f, "10"))
    other.lines.filter(line=1).update(status="cancelled")
    put_stock(floor.r, "60")
    r = row_of(order_material(order=order), 1, "R")
    # Only SO5 line 2 claims: 10 x 2 x 1.02 x 0.4 x 1.05 = 8.568
    assert r.claimed_by_others == D("8.568")
    assert r.status == COVERED


def test_lines_of_the_same_order_claim_from_each_other(floor):
    order = order_of("SO1", (floor.f, "50"), (floor.f, "50"))
    put_stock(floor.r, "50")
    rows = order_material(order=order)
    assert row_of(rows, 1, "R").claimed_by_others == 0  # line 1 is first in line
    assert row_of(rows, 2, "R").claimed_by_others == D("42.84")
    assert row_of(rows, 2, "R").status == PARTLY


def test_what_another_order_picked_no_longer_claims(floor):
    order = order_of("SO1", (floor.f, "50", LATER))
    order_of("SO2", (floor.f, "50"))
    put_stock(floor.r, "100")
    before = row_of(order_material(order=order), 1, "R")
    issue_slip(kind="pick", order_no="SO2", lines=[L(1, "R", D("40"))], user=floor.clerk)
    after = row_of(order_material(order=order), 1, "R")
    assert after.usable == D("60") and after.claimed_by_others == D("2.84")
    assert after.available == before.available == D("57.16")


def test_a_draft_order_sees_its_own_need_and_a_closed_line_needs_nothing(floor):
    draft = order_of("SO1", (floor.f, "50"), (floor.f, "5"), status="draft")
    draft.lines.filter(line=2).update(status="closed")
    rows = order_material(order=draft)
    assert row_of(rows, 1, "R").still_needed == D("42.84")
    assert row_of(rows, 1, "R").status == SHORT
    assert row_of(rows, 2, "R").still_needed == 0 and row_of(rows, 2, "R").status == COVERED
    assert row_of(rows, 2, "R").requirement == D("4.284")


def test_on_order_counts_open_purchase_lines_only(floor):
    order = order_of("SO1", (floor.f, "50"))
    purchase_line(floor.r, "30", received="10")
    purchase_line(floor.r, "5")
    purchase_line(floor.r, "100", status="closed")
    purchase_line(floor.r, "100", status="cancelled")
    purchase_line(floor.r, "7", received="7")
    r = row_of(order_material(order=order), 1, "R")
    assert r.on_order == D("25")
    assert r.status == SHORT  # on order is not in stock
    assert r.shortfall == D("17.840")  # 42.84 - 0 - 25


def test_shortfall_rounds_up_to_the_unit_and_is_zero_when_covered(floor):
    order = order_of("SO1", (floor.f, "7"))
    put_stock(floor.s, "3.5")  # a count may leave a fraction of a piece
    s = row_of(order_material(order=order), 1, "S")
    assert s.still_needed == 15 and s.shortfall == D("12")  # 11.5 -> 12
    put_stock(floor.s, "15")
    assert row_of(order_material(order=order), 1, "S").shortfall == 0


def test_an_item_issued_but_no_longer_in_the_bom_still_shows(floor):
    order = order_of("SO1", (floor.f, "50"))
    put_stock(floor.r, "100")
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("10"))], user=floor.clerk)
    floor.s.bom_lines.all().delete()
    r = row_of(order_material(order=order), 1, "R")
    assert (r.requirement, r.picked, r.still_needed, r.status) == (0, 10, 0, COVERED)


def test_refresh_stores_the_status_and_when(floor):
    order = order_of("SO1", (floor.f, "50"))
    other = order_of("SO2", (floor.f, "1"))
    put_stock(floor.s, "200")
    put_stock(floor.r, "100")
    refresh_material_status(order_ids=[order.pk], related=False)
    order.refresh_from_db()
    other.refresh_from_db()
    assert order.material_status == COVERED and order.material_checked_at is not None
    assert other.material_status == MaterialStatus.UNKNOWN


def test_refresh_also_refreshes_orders_sharing_an_item_after_commit(
    floor, django_capture_on_commit_callbacks
):
    order = order_of("SO1", (floor.f, "50"))
    other = order_of("SO2", (floor.f, "10"))
    unrelated_item = ItemFactory(code="X", kind="finished")
    BomLineFactory(parent=unrelated_item, component=ItemFactory(code="Y"), quantity=D("1"))
    unrelated = order_of("SO3", (unrelated_item, "1"))
    with django_capture_on_commit_callbacks(execute=True):
        refresh_material_status(order_ids=[order.pk])
    statuses = dict(SalesOrder.objects.values_list("order_no", "material_status"))
    assert statuses == {"SO1": SHORT, "SO2": SHORT, "SO3": MaterialStatus.UNKNOWN}
    assert other.pk and unrelated.pk


def test_refresh_of_orders_using_an_item_and_of_all_open_orders(floor):
    order_of("SO1", (floor.f, "50"))
    order_of("SO2", (floor.f, "10"), status="draft")
    order_of("SO3", (floor.f, "10"), status="cancelled")
    put_stock(floor.r, "100")
    put_stock(floor.s, "500")
    assert refresh_orders_using_items(item_ids=[floor.r.pk]) == 2  # SO1 and the draft SO2
    assert refresh_open_orders_material_status() == 2
    statuses = dict(SalesOrder.objects.values_list("order_no", "material_status"))
    assert statuses == {"SO1": COVERED, "SO2": COVERED, "SO3": MaterialStatus.UNKNOWN}


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_lines_and_orders(floor):
    p = ProcessFactory(code="P9", defect_rate=D("0.1"))
    items = []
    for n in range(20):
        item = ItemFactory(code=f"G{n:02d}", kind="finished")
        BomLineFactory(parent=item, component=floor.s, quantity=D("1"), process=p)
        BomLineFactory(parent=item, component=ItemFactory(code=f"B{n:02d}"), quantity=D("4"))
        items.append(item)
    small = order_of("SO1", *[(i, "3") for i in items[:2]])
    big = order_of("SO2", *[(i, "3") for i in items])
    for n in range(10):
        order_of(f"SX{n}", (items[n], "2"), (floor.f, "1"))
        purchase_line(floor.r, "5")
    count_small = _queries(lambda: order_material(order=small))
    count_big = _queries(lambda: order_material(order=big))
    # lines, 3 BOM levels, counters, items, 2 where-used levels, open lines, 3 BOM levels
    # again from the claiming items, their counters, stock, on order
    assert count_big == count_small <= 15
    orders = list(SalesOrder.objects.all())
    assert _queries(lambda: material_by_order(orders=orders)) <= count_small
    assert len(order_material(order=big)) == 60  # 20 lines x (S, R, B..)


def test_big_open_order_book_refresh_stays_set_based(floor):
    for n in range(30):
        order_of(f"SO{n:02d}", (floor.f, str(n + 1)), (floor.s, "2", dt.date(2026, 4, 1)))
    with CaptureQueriesContext(connection) as ctx:
        refreshed = refresh_open_orders_material_status()
    assert refreshed == 30 and len(ctx.captured_queries) <= 20


def test_the_salesperson_hears_when_the_material_status_changes(floor, make_user):
    from erp.models import Notification
    from tests.factories import CustomerFactory

    lin = make_user("sales", username="lin")
    order = order_of("SO1", (floor.f, "50"), customer=CustomerFactory(code="CL", salesperson=lin))
    easy = order_of("SO2", (floor.s, "1"), customer=CustomerFactory(code="CE", salesperson=lin))
    put_stock(floor.r, "100")  # SO1 is short of S; SO2 (an S) needs only R
    refresh_material_status(order_ids=[order.pk, easy.pk], related=False)
    note = Notification.objects.get(user=lin)  # SO2 found covered at once: no news
    assert note.message == "Order SO1: material is now short (was not checked)."
    assert note.url == "/orders/material/SO1/"
    refresh_material_status(order_ids=[order.pk], related=False)  # unchanged: quiet
    put_stock(floor.s, "200")
    refresh_material_status(order_ids=[order.pk], related=False)
    assert Notification.objects.filter(user=lin).count() == 2
    assert Notification.objects.filter(user=lin).first().message == (
        "Order SO1: material is now covered (was short)."
    )
