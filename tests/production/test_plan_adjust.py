"""Production adjusts the approved plan when output falls short (生产课 当产量不达标时有权合理
调整生产计划): move, split, push; each a revision in force at once with the reason; quantities
kept; the plan's capacity rule; salespeople told; a change that makes an order late needs a
contact slip."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from production.models import (
    ContactSlip,
    Downtime,
    PlanAdjustment,
    PlanLine,
    PlanStatus,
    ProductionPlan,
    WorkOrder,
)
from production.planning.calendar import monday_of
from production.services.adjust import plan_adjust_move, plan_adjust_push, plan_adjust_split
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose, plan_revise
from tests.clock import today
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

D = Decimal


def fday(n: int) -> dt.date:
    """The n-th day after next Monday: always in the future."""
    return monday_of(today()) + dt.timedelta(days=7 + n)


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def people(make_user):
    return {
        "sales": make_user("sales", username="planner"),
        "production": make_user("production", username="foreman"),
        "seller": make_user("sales", username="seller"),
        "warehouse": make_user("warehouse", username="clerk"),
    }


@pytest.fixture
def plan(floor, people):
    """SO-1: A 40 on CUT (240 min) due day 4; SO-2: B 20, CUT 120 min then WELD 240 min,
    due day 4. Both on Monday (day 0)."""
    order_line("SO-1", floor.items["A"], 40, due=fday(4), salesperson=people["seller"])
    order_line("SO-2", floor.items["B"], 20, due=fday(4), salesperson=people["seller"])
    plan = plan_propose(user=people["sales"], start=fday(0), end=fday(4))
    plan_submit(user=people["sales"], plan=plan)
    plan_approve(user=people["production"], plan=plan)
    return plan


def line_of(plan, order_no, seq=10):
    return PlanLine.objects.get(plan=plan, order_line__order__order_no=order_no, seq=seq)


def in_force(plan):
    return ProductionPlan.objects.get(number=plan.number, status=PlanStatus.APPROVED)


def quantities(plan, order_no, seq=10):
    return sorted(
        PlanLine.objects.filter(
            plan=in_force(plan), order_line__order__order_no=order_no, seq=seq
        ).values_list("work_center__code", "quantity", "minutes")
    )


def test_move_a_quantity_to_another_day_makes_a_revision_in_force(plan, people):
    line = line_of(plan, "SO-1")
    assert line.day_minutes == {fday(0).isoformat(): "240"}
    adjustment = plan_adjust_move(
        user=people["production"],
        line=line,
        quantity="10",
        from_date=fday(0),
        to_date=fday(2),
        reason="Cutter broke down in the afternoon",
    )
    new = adjustment.plan
    assert (new.revision, new.status, new.previous_id) == (2, PlanStatus.APPROVED, plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    moved = line_of(new, "SO-1")
    assert moved.quantity == 40
    assert moved.day_minutes == {fday(0).isoformat(): "180", fday(2).isoformat(): "60"}
    assert (moved.start_date, moved.end_date) == (fday(0), fday(2))
    assert adjustment.kind == "move" and adjustment.created_by == people["production"]
    assert adjustment.reason == "Cutter broke down in the afternoon"
    assert "10 moved from" in adjustment.summary
    # the other order's lines are carried over as they were
    assert line_of(new, "SO-2", 20).day_minutes == line_of(plan, "SO-2", 20).day_minutes
    # the work order follows the new end
    assert WorkOrder.objects.get(pk=moved.work_order_id).due_date == fday(2)
    told = Notification.objects.filter(user=people["seller"], message__contains="adjusted")
    assert told.count() == 1 and "Cutter broke down" in told.get().message


def test_move_to_another_machine_keeps_the_quantity(plan, people):
    adjustment = plan_adjust_move(
        user=people["production"],
        line=line_of(plan, "SO-1"),
        quantity="10",
        from_date=fday(0),
        to_date=fday(1),
        work_center=line_of(plan, "SO-2", 20).work_center,
        reason="Move to the welder's spare hours",
    )
    rows = quantities(adjustment.plan, "SO-1")
    assert rows == [("CUT", D(30), D(180)), ("WELD", D(10), D(60))]
    assert sum(q for _m, q, _n in rows) == 40


def test_split_a_line_keeps_quantity_and_minutes(plan, people):
    adjustment = plan_adjust_split(
        user=people["sales"],
        line=line_of(plan, "SO-1"),
        quantity="15",
        start_date=fday(3),
        reason="Half the material came late",
    )
    rows = quantities(adjustment.plan, "SO-1")
    assert rows == [("CUT", D(15), D(90)), ("CUT", D(25), D(150))]
    part = PlanLine.objects.get(plan=adjustment.plan, quantity=15)
    assert part.start_date == fday(3)
    # production is told when sales follow-up adjusts
    assert Notification.objects.filter(user=people["production"], message__contains="adjusted")


def test_push_moves_the_later_steps_along(plan, people):
    cut = line_of(plan, "SO-2", 10)
    adjustment = plan_adjust_push(
        user=people["production"], line=cut, start_date=fday(2), reason="Die change"
    )
    new_cut, weld = line_of(adjustment.plan, "SO-2", 10), line_of(adjustment.plan, "SO-2", 20)
    assert new_cut.start_date == fday(2)
    assert weld.start_date >= new_cut.end_date
    assert adjustment.detail["changed"][0]["step"] == 20


def test_the_reason_is_required_and_nothing_is_written(plan, people):
    with pytest.raises(DomainError) as refused:
        plan_adjust_push(
            user=people["production"], line=line_of(plan, "SO-1"), start_date=fday(1), reason=" "
        )
    assert refused.value.field == "reason"
    assert ProductionPlan.objects.filter(number=plan.number).count() == 1
    assert not PlanAdjustment.objects.exists()


def test_warehouse_may_not_adjust(plan, people):
    with pytest.raises(PermissionDenied):
        plan_adjust_push(
            user=people["warehouse"], line=line_of(plan, "SO-1"), start_date=fday(1), reason="x"
        )


def test_no_machine_day_beyond_what_is_free(plan, people, floor):
    Downtime.objects.create(
        work_center=floor.machines["CUT"], start_date=fday(2), end_date=fday(2), reason="service"
    )
    with pytest.raises(DomainError) as refused:
        plan_adjust_move(
            user=people["production"],
            line=line_of(plan, "SO-1"),
            quantity="10",
            from_date=fday(0),
            to_date=fday(2),
            reason="short",
        )
    assert refused.value.field == "to_date" and "0 h free" in refused.value.message
    # CUT on day 0 holds 240 + 120 of 480 minutes: the 240 of the welding step do not fit
    with pytest.raises(DomainError, match="2 h free"):
        plan_adjust_move(
            user=people["production"],
            line=line_of(plan, "SO-2", 20),
            quantity="20",
            from_date=fday(0),
            to_date=fday(0),
            work_center=floor.machines["CUT"],
            reason="short",
        )
    with pytest.raises(DomainError, match="does not work"):
        plan_adjust_move(
            user=people["production"],
            line=line_of(plan, "SO-1"),
            quantity="10",
            from_date=fday(0),
            to_date=fday(5),
            reason="short",
        )


def test_past_days_and_more_than_planned_are_refused(plan, people):
    line = line_of(plan, "SO-1")
    with pytest.raises(DomainError, match="in the past"):
        plan_adjust_push(
            user=people["production"],
            line=line,
            start_date=today() - dt.timedelta(days=1),
            reason="x",
        )
    with pytest.raises(DomainError, match="Only 40"):
        plan_adjust_move(
            user=people["production"],
            line=line,
            quantity="41",
            from_date=fday(0),
            to_date=fday(1),
            reason="x",
        )


def test_late_needs_confirmation_and_raises_a_contact_slip(plan, people):
    line = line_of(plan, "SO-1")
    with pytest.raises(DomainError) as refused:
        plan_adjust_push(
            user=people["production"], line=line, start_date=fday(7), reason="Coil late"
        )
    assert refused.value.field == "late_ok" and "after its due date" in refused.value.message
    adjustment = plan_adjust_push(
        user=people["production"], line=line, start_date=fday(7), reason="Coil late", late_ok=True
    )
    slip = ContactSlip.objects.get(order_line=line.order_line)
    assert adjustment.late[0]["slip"] == slip.number
    assert adjustment.late[0]["end_date"] == fday(7).isoformat()
    assert "Coil late" in slip.reason


def test_only_the_revision_in_force_and_a_draft_revision_is_flagged(plan, people):
    draft = plan_revise(user=people["sales"], plan=plan)
    adjustment = plan_adjust_push(
        user=people["production"], line=line_of(plan, "SO-1"), start_date=fday(1), reason="x"
    )
    draft.refresh_from_db()
    assert draft.stale and draft.previous_id == adjustment.plan_id
    assert Notification.objects.filter(user=people["sales"], message__contains="check it")
    with pytest.raises(ConflictError):
        plan_adjust_push(
            user=people["production"], line=line_of(plan, "SO-1"), start_date=fday(2), reason="x"
        )


def test_progress_counts_a_split_step_once(plan, people):
    from production.planning.progress import order_progress

    adjustment = plan_adjust_split(
        user=people["production"],
        line=line_of(plan, "SO-1"),
        quantity="15",
        start_date=fday(3),
        reason="Half the material came late",
    )
    (row,) = order_progress(as_of=fday(4), order_no="SO-1")
    assert row.quantity == 40 and len(row.steps) == 1
    assert row.steps[0].planned_to_date == 40
    assert row.end_date == PlanLine.objects.get(plan=adjustment.plan, quantity=15).end_date
