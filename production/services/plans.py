"""The production plan's life: draft -> submitted -> approved or rejected (with a reason);
a rejected plan goes back to draft or is cancelled; an approved plan is in force until a
revision of it is approved (it is then superseded). Sales follow-up edits and submits,
production approves; production works only from an approved plan, whose lines become work
orders. An order change marks the affected lines stale.
"""

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import notify
from materials.models import WorkCenter
from orders.models import SalesOrder
from production.models import PLAN_OPEN_STATES, PlanLine, PlanStatus, ProductionPlan
from production.planning.calendar import days, is_working_day
from production.services.common import fmt, parse_date, require, url, users_with
from production.services.proposal import ADD_PERMISSION, EDIT_PERMISSION
from production.services.work_orders import work_orders_for_plan

APPROVE_PERMISSION = "production.approve_productionplan"
MAX_REASON = 2000

# The plan's states and the moves between them, in one place.
TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED, PlanStatus.CANCELLED},
    PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.REJECTED},
    PlanStatus.REJECTED: {PlanStatus.DRAFT, PlanStatus.CANCELLED},
    PlanStatus.APPROVED: {PlanStatus.SUPERSEDED},
    PlanStatus.SUPERSEDED: set(),
    PlanStatus.CANCELLED: set(),
}

__all__ = [
    "ADD_PERMISSION",
    "APPROVE_PERMISSION",
    "EDIT_PERMISSION",
    "TRANSITIONS",
    "mark_plan_stale",
    "plan_approve",
    "plan_cancel",
    "plan_line_remove",
    "plan_line_update",
    "plan_reject",
    "plan_reopen",
    "plan_submit",
]


def name(plan: ProductionPlan) -> str:
    return f"{plan.number} rev. {plan.revision}"


def _lock(plan: ProductionPlan) -> ProductionPlan:
    return ProductionPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)


def _check_move(plan: ProductionPlan, target: str) -> None:
    if target not in TRANSITIONS[plan.status]:
        raise ConflictError(
            f"Plan {name(plan)} is {plan.get_status_display()}; it cannot become "
            f"{PlanStatus(target).label}."
        )


def _move(plan: ProductionPlan, target: str, user, *fields: str) -> None:
    _check_move(plan, target)
    plan.status = target
    plan.stamp(user)
    plan.save(update_fields=["status", *fields, "updated_at", "updated_by"])


def _tell_planner(plan: ProductionPlan, message: str) -> None:
    people = {u.pk: u for u in (plan.created_by, plan.submitted_by) if u is not None}
    notify(users=list(people.values()), message=message, url=url("production:plan-detail", plan.pk))


@transaction.atomic
def plan_submit(*, user, plan: ProductionPlan) -> ProductionPlan:
    """Sales follow-up hands the draft to production for approval."""
    require(user, EDIT_PERMISSION, "Only sales follow-up may submit a production plan.")
    plan = _lock(plan)
    _check_move(plan, PlanStatus.SUBMITTED)
    if not plan.lines.filter(start_date__isnull=False).exists():
        raise DomainError(f"Plan {name(plan)} has no scheduled line to approve.")
    plan.submitted_at, plan.submitted_by = timezone.now(), user
    _move(plan, PlanStatus.SUBMITTED, user, "submitted_at", "submitted_by")
    notify(
        users=users_with(APPROVE_PERMISSION),
        message=f"Production plan {name(plan)} ({plan.period_start} to {plan.period_end}) "
        "waits for your approval.",
        url=url("production:plan-detail", plan.pk),
    )
    return plan


@transaction.atomic
def plan_approve(*, user, plan: ProductionPlan) -> ProductionPlan:
    """Production approves: the plan is in force, the revision it replaces is superseded,
    and its lines become work orders."""
    require(user, APPROVE_PERMISSION, "Only production may approve a production plan.")
    plan = _lock(plan)
    _check_move(plan, PlanStatus.APPROVED)
    clash = (
        PlanLine.objects.filter(
            plan__status=PlanStatus.APPROVED,
            order_line_id__in=plan.lines.values("order_line_id"),
        )
        .exclude(plan__number=plan.number)
        .select_related("plan", "order_line__order")
        .first()
    )
    if clash is not None:
        raise ConflictError(
            f"Order {clash.order_line.order.order_no} line {clash.order_line.line} is already "
            f"in approved plan {name(clash.plan)}; revise that plan instead."
        )
    in_force = ProductionPlan.objects.filter(number=plan.number, status=PlanStatus.APPROVED)
    for old in in_force.select_for_update(of=("self",)):
        _move(old, PlanStatus.SUPERSEDED, user)
    plan.decided_at, plan.decided_by, plan.reject_reason = timezone.now(), user, ""
    plan.stale = False
    _move(plan, PlanStatus.APPROVED, user, "decided_at", "decided_by", "reject_reason", "stale")
    work_orders_for_plan(plan=plan, user=user)
    _tell_planner(plan, f"Production plan {name(plan)} is approved; work orders are released.")
    return plan


@transaction.atomic
def plan_reject(*, user, plan: ProductionPlan, reason: str) -> ProductionPlan:
    require(user, APPROVE_PERMISSION, "Only production may reject a production plan.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the plan is rejected.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    plan = _lock(plan)
    plan.decided_at, plan.decided_by, plan.reject_reason = timezone.now(), user, reason
    _move(plan, PlanStatus.REJECTED, user, "decided_at", "decided_by", "reject_reason")
    _tell_planner(plan, f"Production plan {name(plan)} was rejected: {reason}"[:500])
    return plan


@transaction.atomic
def plan_reopen(*, user, plan: ProductionPlan) -> ProductionPlan:
    """A rejected plan goes back to draft to be reworked and submitted again."""
    require(user, EDIT_PERMISSION, "Only sales follow-up may rework a production plan.")
    plan = _lock(plan)
    _move(plan, PlanStatus.DRAFT, user)
    return plan


@transaction.atomic
def plan_cancel(*, user, plan: ProductionPlan) -> ProductionPlan:
    """A draft or rejected plan is dropped (kept, marked cancelled)."""
    require(user, EDIT_PERMISSION, "Only sales follow-up may cancel a production plan.")
    plan = _lock(plan)
    _move(plan, PlanStatus.CANCELLED, user)
    return plan


def spread(minutes: Decimal, working: list[dt.date]) -> dict[str, str]:
    """`minutes` over the days evenly, to 6 decimals, the rounding rest on the last day:
    the shares add up to `minutes` exactly."""
    if minutes <= 0:
        return {}
    share = (minutes / len(working)).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
    shares = {d.isoformat(): fmt(share) for d in working[:-1]}
    shares[working[-1].isoformat()] = fmt(minutes - share * (len(working) - 1))
    return shares


def _editable(line: PlanLine, user) -> tuple[ProductionPlan, PlanLine]:
    require(user, EDIT_PERMISSION, "Only sales follow-up may change a production plan.")
    plan = _lock(line.plan)
    if plan.status != PlanStatus.DRAFT:
        raise ConflictError(
            f"Plan {name(plan)} is {plan.get_status_display()}; only a draft can be changed"
            + (" (revise it to change it)." if plan.status == PlanStatus.APPROVED else ".")
        )
    return plan, PlanLine.objects.select_for_update(of=("self",)).get(pk=line.pk)


@transaction.atomic
def plan_line_update(
    *,
    user,
    line: PlanLine,
    start_date: Any = None,
    end_date: Any = None,
    work_center: WorkCenter | None = None,
) -> PlanLine:
    """Move a draft's line by hand: other dates and/or another machine (a new start alone
    keeps the line's length). Its minutes are
    spread evenly over the machine's working days between the dates (the scheduler's
    finite-capacity check is not applied: the machine-load view shows any overload)."""
    plan, line = _editable(line, user)
    start = parse_date(start_date or line.start_date, field="start_date", what="The start")
    if end_date:
        end = parse_date(end_date, field="end_date", what="The end")
    elif line.start_date and line.end_date:  # moved: it keeps its length
        end = start + (line.end_date - line.start_date)
    else:
        end = start
    if end < start:
        raise DomainError(f"The end ({end}) is before the start ({start}).", field="end_date")
    machine = work_center or line.work_center
    if machine is None:
        raise DomainError("Choose the machine.", field="work_center")
    working = [d for d in days(start, end) if is_working_day(d, machine.days_per_week)]
    if not working:
        raise DomainError(
            f"Machine {machine.code} does not work between {start} and {end}.", field="end_date"
        )
    line.start_date, line.end_date, line.work_center = start, end, machine
    line.day_minutes = spread(line.minutes, working)
    line.unscheduled_reason = ""
    line.save(
        update_fields=["start_date", "end_date", "work_center", "day_minutes", "unscheduled_reason"]
    )
    plan.stamp(user)
    plan.save(update_fields=["updated_at", "updated_by"])
    return line


@transaction.atomic
def plan_line_remove(*, user, line: PlanLine) -> None:
    """Take an order line out of a draft (all its steps)."""
    plan, line = _editable(line, user)
    plan.lines.filter(order_line_id=line.order_line_id).delete()
    plan.stamp(user)
    plan.save(update_fields=["updated_at", "updated_by"])


@transaction.atomic
def mark_plan_stale(
    *, order: SalesOrder, reason: str = "", order_line_id: int | None = None
) -> int:
    """An order change notice touched `order` (one line, or all): mark its lines in the
    plans in force and being worked on as stale and tell who drafted them. Returns how many
    plan lines were marked. (The plan pages also find such lines by themselves.)"""
    lines = PlanLine.objects.filter(
        order_line__order=order, plan__status__in=[PlanStatus.APPROVED, *PLAN_OPEN_STATES]
    )
    if order_line_id is not None:
        lines = lines.filter(order_line_id=order_line_id)
    reason = (reason or f"Order {order.order_no} changed.")[:300]
    plan_ids = set(lines.values_list("plan_id", flat=True))
    marked = lines.update(stale=True, stale_reason=reason)
    plans = list(ProductionPlan.objects.filter(pk__in=plan_ids).select_related("created_by"))
    ProductionPlan.objects.filter(pk__in=plan_ids).update(stale=True)
    for plan in plans:
        _tell_planner(plan, f"Plan {name(plan)} needs a re-plan: {reason}"[:500])
    return marked
