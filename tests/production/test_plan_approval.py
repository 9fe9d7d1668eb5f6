"""Plan approval: draft -> submitted -> approved or rejected (with a reason), who may do
each step, and the work orders an approved plan releases."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from production.models import PlanStatus, WorkOrder
from production.services.plans import (
    plan_approve,
    plan_cancel,
    plan_line_remove,
    plan_line_update,
    plan_reject,
    plan_reopen,
    plan_submit,
)
from production.services.proposal import plan_propose
from tests.production.plan_support import build_floor, day, grant_plan_permissions, order_line

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def people(make_user):
    return {
        "sales": make_user("sales"),
        "production": make_user("production"),
        "manager": make_user("manager"),
        "warehouse": make_user("warehouse"),
    }


@pytest.fixture
def draft(floor, people):
    order_line("SO-1", floor.items["B"], 40, due=day(4))  # CUT 240 min, WELD 480 min
    order_line("SO-2", floor.items["A"], 10, due=day(4))
    return plan_propose(user=people["sales"], start=day(0), end=day(4))


def test_submit_then_approve_releases_work_orders(draft, people):
    plan = plan_submit(user=people["sales"], plan=draft)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == people["sales"]
    assert Notification.objects.filter(user=people["production"], message__contains=plan.number)
    plan = plan_approve(user=people["production"], plan=plan)
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == people["production"]
    work_orders = {wo.sales_order.order_no: wo for wo in WorkOrder.objects.all()}
    assert set(work_orders) == {"SO-1", "SO-2"}
    so1 = work_orders["SO-1"]
    assert so1.wo_no.startswith("WO-")
    assert (so1.item.code, so1.quantity, so1.status) == ("B", D(40), "released")
    assert so1.due_date == max(
        pl.end_date for pl in plan.lines.filter(order_line__order=so1.sales_order)
    )
    assert all(pl.work_order_id for pl in plan.lines.all())
    assert so1.sales_order.status == "in_production"
    assert Notification.objects.filter(user=people["sales"], message__contains="approved")


def test_reject_needs_a_reason_and_goes_back_to_sales(draft, people):
    plan_submit(user=people["sales"], plan=draft)
    with pytest.raises(DomainError, match="Say why"):
        plan_reject(user=people["production"], plan=draft, reason="  ")
    plan = plan_reject(user=people["production"], plan=draft, reason="WELD is down on Tuesday")
    assert plan.status == PlanStatus.REJECTED and plan.reject_reason == "WELD is down on Tuesday"
    assert Notification.objects.filter(user=people["sales"], message__contains="WELD is down")
    assert not WorkOrder.objects.exists()
    plan = plan_reopen(user=people["sales"], plan=plan)
    assert plan.status == PlanStatus.DRAFT
    plan_submit(user=people["sales"], plan=plan)
    assert plan_approve(user=people["production"], plan=plan).status == PlanStatus.APPROVED


@pytest.mark.parametrize("role", ["production", "warehouse", "manager"])
def test_only_sales_submits(draft, people, role):
    with pytest.raises(PermissionDenied):
        plan_submit(user=people[role], plan=draft)


@pytest.mark.parametrize("role", ["sales", "warehouse", "manager"])
def test_only_production_approves_or_rejects(draft, people, role):
    plan_submit(user=people["sales"], plan=draft)
    with pytest.raises(PermissionDenied):
        plan_approve(user=people[role], plan=draft)
    with pytest.raises(PermissionDenied):
        plan_reject(user=people[role], plan=draft, reason="no")


def test_moves_the_table_does_not_allow_are_conflicts(draft, people):
    with pytest.raises(ConflictError, match="is draft; it cannot become approved"):
        plan_approve(user=people["production"], plan=draft)
    with pytest.raises(ConflictError):
        plan_reject(user=people["production"], plan=draft, reason="x")
    plan_submit(user=people["sales"], plan=draft)
    with pytest.raises(ConflictError):
        plan_submit(user=people["sales"], plan=draft)
    with pytest.raises(ConflictError):
        plan_cancel(user=people["sales"], plan=draft)
    plan_approve(user=people["production"], plan=draft)
    with pytest.raises(ConflictError):
        plan_approve(user=people["production"], plan=draft)
    with pytest.raises(ConflictError):
        plan_reopen(user=people["sales"], plan=draft)


def test_only_a_draft_is_edited_by_hand(draft, people, floor):
    line = draft.lines.get(order_line__order__order_no="SO-2")
    moved = plan_line_update(user=people["sales"], line=line, start_date=day(2), end_date=day(4))
    assert (moved.start_date, moved.end_date) == (day(2), day(4))
    assert moved.day_minutes == {
        day(2).isoformat(): "20",
        day(3).isoformat(): "20",
        day(4).isoformat(): "20",
    }
    with pytest.raises(DomainError, match="does not work"):
        plan_line_update(user=people["sales"], line=line, start_date=day(5), end_date=day(6))
    with pytest.raises(PermissionDenied):
        plan_line_update(user=people["production"], line=line, start_date=day(1))
    plan_submit(user=people["sales"], plan=draft)
    with pytest.raises(ConflictError, match="only a draft"):
        plan_line_update(user=people["sales"], line=line, start_date=day(1))
    with pytest.raises(ConflictError):
        plan_line_remove(user=people["sales"], line=line)


def test_removing_a_line_removes_all_its_steps(draft, people):
    line = draft.lines.filter(order_line__order__order_no="SO-1").first()
    plan_line_remove(user=people["sales"], line=line)
    assert list(draft.lines.values_list("order_line__order__order_no", flat=True)) == ["SO-2"]


def test_two_plans_cannot_both_hold_an_order_line(floor, people):
    order_line("SO-1", floor.items["A"], 10, due=day(4))
    first = plan_propose(user=people["sales"], start=day(0), end=day(4))
    second = plan_propose(user=people["sales"], start=day(0), end=day(4))  # a draft: SO-1 too
    plan_submit(user=people["sales"], plan=first)
    plan_submit(user=people["sales"], plan=second)
    plan_approve(user=people["production"], plan=first)
    with pytest.raises(ConflictError, match="already in approved plan"):
        plan_approve(user=people["production"], plan=second)


def test_a_plan_without_a_scheduled_line_cannot_be_submitted(floor, people):
    from tests.factories import ItemFactory

    order_line("SO-N", ItemFactory(code="NOROUTE", kind="finished"), 5, due=day(2))
    plan = plan_propose(user=people["sales"], start=day(0), end=day(4))
    with pytest.raises(DomainError, match="no scheduled line"):
        plan_submit(user=people["sales"], plan=plan)
