"""plan_propose: the finite-capacity proposal from open order lines, on a small case with a
known answer; material status; what is left out; who may."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from erp.errors import DomainError
from materials.models import PurchaseOrder
from production.models import PlanLine, PlanStatus
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.factories import BomLineFactory, ItemFactory, PurchaseOrderLineFactory
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    iso,
    order_line,
)

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def sales(make_user):
    return make_user("sales")


def lines_of(plan, order_no):
    return list(
        PlanLine.objects.filter(plan=plan, order_line__order__order_no=order_no).order_by("seq")
    )


def test_overload_moves_work_to_the_next_free_day(floor, sales):
    # CUT works 8 h = 480 min a day. Each order needs 60 x 6 = 360 min.
    order_line("SO-X", floor.items["A"], 60, due=day(4))
    order_line("SO-Y", floor.items["A"], 60, due=day(4))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    assert plan.status == PlanStatus.DRAFT and plan.number.startswith(f"PP-{day(0).year}-")
    (x,) = lines_of(plan, "SO-X")
    (y,) = lines_of(plan, "SO-Y")
    assert (x.work_center.code, x.start_date, x.end_date) == ("CUT", day(0), day(0))
    assert x.day_minutes == {day(0).isoformat(): "360"}
    assert (y.start_date, y.end_date) == (day(0), day(1))
    assert y.day_minutes == {day(0).isoformat(): "120", day(1).isoformat(): "240"}
    assert (x.quantity, x.minutes, x.hours) == (D(60), D(360), D("6.00"))
    assert x.priority < y.priority


def test_key_customer_first_even_when_due_later(floor, sales):
    order_line("SO-EARLY", floor.items["A"], 80, due=day(1))  # 480 min
    order_line("SO-KEY", floor.items["A"], 80, due=day(4), key=True)
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    (key,) = lines_of(plan, "SO-KEY")
    (early,) = lines_of(plan, "SO-EARLY")
    assert key.start_date == day(0) and key.key_account
    assert early.start_date == day(1)


def test_routing_steps_follow_each_other(floor, sales):
    # B: 40 pcs x 6 min = 240 min on CUT, then 40 x 12 = 480 min on WELD.
    order_line("SO-B", floor.items["B"], 40, due=day(4))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    cut, weld = lines_of(plan, "SO-B")
    assert (cut.seq, cut.work_center.code, cut.minutes) == (10, "CUT", D(240))
    assert (weld.seq, weld.work_center.code, weld.minutes) == (20, "WELD", D(480))
    assert weld.start_date == cut.end_date == day(0)


def test_approved_plans_keep_their_capacity(floor, sales, make_user):
    order_line("SO-1", floor.items["A"], 80, due=day(0))
    first = plan_propose(user=sales, start=day(0), end=day(0))
    plan_submit(user=sales, plan=first)
    plan_approve(user=make_user("production"), plan=first)
    order_line("SO-2", floor.items["A"], 10, due=day(4))
    second = plan_propose(user=sales, start=day(0), end=day(4))
    (line,) = PlanLine.objects.filter(plan=second)
    assert line.order_line.order.order_no == "SO-2"  # SO-1 is in the approved plan
    assert line.start_date == day(1)  # Monday is full with SO-1


def test_short_material_waits_for_its_purchase_order(floor, sales):
    raw = ItemFactory(code="R", kind="raw")
    BomLineFactory(parent=floor.items["A"], component=raw, quantity=D(1))
    PurchaseOrderLineFactory(item=raw, quantity=D(100), due_date=day(3))
    PurchaseOrderLineFactory(item=raw, quantity=D(100), due_date=day(8))
    order_line("SO-S", floor.items["A"], 10, due=day(4), material_status="short")
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    (line,) = lines_of(plan, "SO-S")
    assert line.start_date == day(3)  # the earliest open purchase order line of R


def test_short_material_without_a_purchase_order_is_not_scheduled(floor, sales):
    raw = ItemFactory(code="R", kind="raw")
    BomLineFactory(parent=floor.items["A"], component=raw, quantity=D(1))
    cancelled = PurchaseOrderLineFactory(item=raw, quantity=D(100), due_date=day(3))
    PurchaseOrder.objects.filter(pk=cancelled.purchase_order_id).update(status="cancelled")
    order_line("SO-S", floor.items["A"], 10, due=day(4), material_status="partly")
    order_line("SO-OK", floor.items["A"], 10, due=day(4))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    (line,) = lines_of(plan, "SO-S")
    assert line.start_date is None and line.work_center is None
    assert line.unscheduled_reason == "Short of R with no open purchase order."
    assert lines_of(plan, "SO-OK")[0].start_date == day(0)


def test_an_item_without_routing_is_not_scheduled(floor, sales):
    order_line("SO-N", ItemFactory(code="NOROUTE", kind="finished"), 5, due=day(2))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    (line,) = lines_of(plan, "SO-N")
    assert line.unscheduled_reason == "Item NOROUTE has no routing."


def test_only_open_lines_of_confirmed_orders_due_in_the_period(floor, sales):
    order_line("SO-IN", floor.items["A"], 5, due=day(4))
    order_line("SO-LATER", floor.items["A"], 5, due=day(12))
    draft = order_line("SO-DRAFT", floor.items["A"], 5, due=day(2))
    draft.order.status = "draft"
    draft.order.save()
    shipped = order_line("SO-SHIPPED", floor.items["A"], 5, due=day(2))
    shipped.shipped_quantity = D(5)
    shipped.save()
    part = order_line("SO-PART", floor.items["A"], 5, due=day(2))
    part.shipped_quantity = D(2)
    part.save()
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    planned = {pl.order_line.order.order_no: pl.quantity for pl in plan.lines.all()}
    assert planned == {"SO-IN": D(5), "SO-PART": D(3)}


def test_nothing_to_plan_is_said(floor, sales):
    with pytest.raises(DomainError, match="No open order line due by"):
        plan_propose(user=sales, start=day(0), end=day(4))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (iso(8), iso(0), "ends"),
        (iso(0), iso(212), "at most"),
        ("not a date", iso(0), "must be a date"),
    ],
)
def test_a_bad_period_is_refused(floor, sales, start, end, message):
    with pytest.raises(DomainError, match=message):
        plan_propose(user=sales, start=start, end=end)


@pytest.mark.parametrize("role", ["production", "warehouse", "quality", "manager", ""])
def test_only_sales_follow_up_drafts_a_plan(floor, make_user, role):
    order_line("SO-1", floor.items["A"], 5, due=day(1))
    with pytest.raises(PermissionDenied):
        plan_propose(user=make_user(*([role] if role else [])), start=day(0), end=day(4))
