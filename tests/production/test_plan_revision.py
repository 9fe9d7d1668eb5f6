"""Revisions: an order change marks the approved plan's lines stale; a revision re-plans
them (and keeps the rest), shows the difference, and its approval updates the work orders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from erp.errors import ConflictError
from erp.models import Notification
from orders.services.changes import change_apply
from production.models import PlanStatus, WorkOrder
from production.selectors import plan_diff, plan_lines, stale_order_line_ids
from production.services.plans import mark_plan_stale, plan_approve, plan_submit
from production.services.proposal import plan_propose, plan_revise
from tests.production.plan_support import build_floor, day, grant_plan_permissions, order_line

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def sales(make_user):
    return make_user("sales")


@pytest.fixture
def production(make_user):
    return make_user("production")


@pytest.fixture
def approved(floor, sales, production):
    """SO-1 (A 40 = 240 min) and SO-2 (A 20 = 120 min) on CUT on Monday, approved."""
    lines = {
        "SO-1": order_line("SO-1", floor.items["A"], 40, due=day(2)),
        "SO-2": order_line("SO-2", floor.items["A"], 20, due=day(3)),
    }
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=production, plan=plan)
    plan.refresh_from_db()
    return plan, lines


def change_quantity(order_line_, quantity, user):
    return change_apply(
        user=user,
        order=order_line_.order,
        kind="quantity",
        reason="The customer wants more",
        order_line=order_line_.line,
        new_quantity=D(quantity),
    )


def test_an_order_change_marks_the_line_stale_at_once(approved, sales):
    plan, lines = approved
    assert stale_order_line_ids(plan=plan) == set()
    change_quantity(lines["SO-1"], 100, sales)
    assert stale_order_line_ids(plan=plan) == {lines["SO-1"].pk}
    stale = {pl.order_line.order.order_no: pl.is_stale for pl in plan_lines(plan=plan)}
    assert stale == {"SO-1": True, "SO-2": False}


def test_an_order_change_notice_stores_the_stale_mark_through_the_signal(approved, sales):
    plan, lines = approved
    change = change_quantity(lines["SO-2"], 30, sales)
    plan.refresh_from_db()
    assert plan.stale
    line = plan.lines.get(order_line=lines["SO-2"])
    assert line.stale_reason == f"Order change {change.number}"
    assert not plan.lines.get(order_line=lines["SO-1"]).stale_reason


def test_mark_plan_stale_stores_it_and_tells_the_planner(approved, sales):
    plan, lines = approved
    marked = mark_plan_stale(order=lines["SO-2"].order, reason="Order SO-2 due date moved.")
    assert marked == 1
    plan.refresh_from_db()
    assert plan.stale
    assert plan.lines.get(order_line=lines["SO-2"]).stale_reason == "Order SO-2 due date moved."
    assert Notification.objects.filter(user=sales, message__contains="needs a re-plan")


def test_a_revision_replans_the_changed_line_and_keeps_the_rest(approved, sales, production):
    plan, lines = approved
    wo1 = WorkOrder.objects.get(sales_order__order_no="SO-1")
    wo2 = WorkOrder.objects.get(sales_order__order_no="SO-2")
    WorkOrder.objects.filter(pk=wo1.pk).update(completed_quantity=D(10))
    change_quantity(lines["SO-1"], 100, sales)  # 100 - 10 made = 90 left: 540 min

    revision = plan_revise(user=sales, plan=plan, today=day(0))
    assert (revision.number, revision.revision, revision.previous) == (plan.number, 2, plan)
    assert revision.status == PlanStatus.DRAFT
    so1 = revision.lines.get(order_line=lines["SO-1"])
    so2 = revision.lines.get(order_line=lines["SO-2"])
    old_so2 = plan.lines.get(order_line=lines["SO-2"])
    # SO-2 carried over as it was; SO-1 re-planned around it for what is left to make.
    assert (so2.start_date, so2.day_minutes, so2.planned_at) == (
        old_so2.start_date,
        old_so2.day_minutes,
        old_so2.planned_at,
    )
    assert so1.quantity == D(90) and so1.minutes == D(540)
    assert so1.day_minutes == {day(0).isoformat(): "360", day(1).isoformat(): "180"}
    assert stale_order_line_ids(plan=revision) == set()

    (change,) = plan_diff(plan=revision)
    assert (change.order_no, change.kind) == ("SO-1", "changed")
    assert change.what[0] == "quantity 40 -> 90"
    assert "dates" in change.what[1]

    plan_submit(user=sales, plan=revision)
    plan_approve(user=production, plan=revision)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    wo1.refresh_from_db()
    wo2.refresh_from_db()
    assert (wo1.quantity, wo1.completed_quantity, wo1.due_date) == (D(100), D(10), day(1))
    assert wo2.quantity == D(20)  # carried over: unchanged
    assert WorkOrder.objects.count() == 2
    lines["SO-1"].order.refresh_from_db()
    assert lines["SO-1"].order.replan_needed is False


def test_a_cancelled_line_drops_its_work_order(approved, sales, production):
    plan, lines = approved
    change_apply(
        user=sales,
        order=lines["SO-2"].order,
        kind="cancel",
        reason="Customer cancelled",
        order_line=lines["SO-2"].line,
    )
    revision = plan_revise(user=sales, plan=plan, today=day(0))
    assert not revision.lines.filter(order_line=lines["SO-2"]).exists()
    (change,) = plan_diff(plan=revision)
    assert (change.order_no, change.kind) == ("SO-2", "removed")
    plan_submit(user=sales, plan=revision)
    plan_approve(user=production, plan=revision)
    assert WorkOrder.objects.get(sales_order__order_no="SO-2").status == "cancelled"
    assert WorkOrder.objects.get(sales_order__order_no="SO-1").status == "released"


def test_a_revision_picks_up_new_orders_and_asked_for_replans(approved, sales, floor):
    plan, lines = approved
    order_line("SO-3", floor.items["A"], 10, due=day(4))
    revision = plan_revise(
        user=sales, plan=plan, replan_order_ids=[lines["SO-2"].order_id], today=day(1)
    )
    kinds = {c.order_no: c.kind for c in plan_diff(plan=revision)}
    assert kinds == {"SO-2": "changed", "SO-3": "added"}
    # re-planned from "today" (Tuesday), not before
    assert revision.lines.get(order_line=lines["SO-2"]).start_date == day(1)


def test_only_the_approved_plan_is_revised_and_one_revision_at_a_time(approved, sales):
    plan, _lines = approved
    plan_revise(user=sales, plan=plan, today=day(0))
    with pytest.raises(ConflictError, match="already being worked on"):
        plan_revise(user=sales, plan=plan, today=day(0))
    other = plan.next_revisions.get()
    with pytest.raises(ConflictError, match="only the approved revision"):
        plan_revise(user=sales, plan=other, today=day(0))


def test_a_change_before_the_plan_does_not_make_it_stale(floor, sales, production):
    line = order_line("SO-9", floor.items["A"], 10, due=day(3))
    change_quantity(line, 12, sales)
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    assert stale_order_line_ids(plan=plan) == set()
    assert plan.lines.get().quantity == D(12)
    assert timezone.now() - plan.created_at < dt.timedelta(minutes=5)
