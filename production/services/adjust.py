"""Adjusting the approved plan when output falls short (32 生产课: 当产量不达标时有权合理调整
生产计划生产). Production (and sales follow-up, who drafts the plan) may, on the revision in
force, with a reason:

- move: a quantity of a step from one day to another day, on its machine or another one;
- split: part of a step's quantity into a line of its own, on its machine or another one,
  from a start date;
- push: a step to a new start date (the steps after it of the same order line follow when
  they would otherwise start before it ends).

Each adjustment is a new revision of the plan (same number, revision + 1, `previous` = the
one it adjusts), in force at once: the adjusted revision is superseded, the work orders
follow (due dates), and a PlanAdjustment keeps who, when, what kind, why and what changed.
Quantities and minutes are kept. Capacity: the plan's own rule, nothing booked on a machine
day beyond what it has free (capacity less downtime less the approved plans), nothing
placed before today. The salespeople of the orders concerned are told at once; a revision
being drafted meanwhile is marked for a re-plan.

A change that makes an order line finish after its due date needs the customer: it is
refused unless confirmed (`late_ok`), and when confirmed a contact slip (联络单) is raised
for the line (or the open one named), for sales follow-up to decide with the customer."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import notify
from materials.models import WorkCenter
from production.models import PlanAdjustment, PlanLine, PlanStatus, ProductionPlan
from production.planning import adjust as calc
from production.selectors import open_revision
from production.services.adjust_ops import Draft, late_lines, move, push, split
from production.services.common import may, url, users_with
from production.services.contact import _open_slip, _sales_people, contact_slip_raise
from production.services.plans import APPROVE_PERMISSION, EDIT_PERMISSION
from production.services.work_orders import work_orders_for_plan

MAX_REASON = 2000
Kind = PlanAdjustment.Kind


def may_adjust(user) -> bool:
    """Production (the plan's approver) and sales follow-up (its planner)."""
    return may(user, APPROVE_PERMISSION) or may(user, EDIT_PERMISSION)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the plan is adjusted.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    return reason


def _lock_in_force(line: PlanLine, user) -> ProductionPlan:
    if not may_adjust(user):
        raise PermissionDenied("Only production or sales follow-up may adjust a production plan.")
    plan = ProductionPlan.objects.select_for_update(of=("self",)).get(pk=line.plan_id)
    if plan.status != PlanStatus.APPROVED:
        raise ConflictError(
            f"Plan {plan.number} revision {plan.revision} is {plan.get_status_display()}; "
            "only the approved revision in force can be adjusted."
        )
    return plan


def _revision_of(plan: ProductionPlan, user) -> ProductionPlan:
    last = ProductionPlan.objects.filter(number=plan.number).aggregate(last=Max("revision"))
    plan.status = PlanStatus.SUPERSEDED
    plan.stamp(user)
    plan.save(update_fields=["status", "updated_at", "updated_by"])
    now = timezone.now()
    revision = ProductionPlan(
        number=plan.number,
        revision=(last["last"] or plan.revision) + 1,
        previous=plan,
        period_start=plan.period_start,
        period_end=plan.period_end,
        note=plan.note,
        status=PlanStatus.APPROVED,
        submitted_at=now,
        submitted_by=user,
        decided_at=now,
        decided_by=user,
    )
    revision.stamp(user)
    revision.save()
    return revision


def _slips(late: list[dict], plan: ProductionPlan, reason: str, user) -> None:
    for row in late:
        ol = row.pop("order_line")
        slip = _open_slip(ol.order, ol) or contact_slip_raise(
            user=user,
            order=ol.order,
            order_line=ol,
            reason=(
                f"Plan {plan.number} adjusted (revision {plan.revision}): line {ol.line} now "
                f"finishes {row['end_date']}, after its due date {row['due_date']}. {reason}"
            ),
            automatic=True,
        )
        row["slip"] = slip.number


def _tell(adjustment: PlanAdjustment, draft: Draft, user, old: ProductionPlan) -> None:
    plan = adjustment.plan
    link = url("production:plan-detail", plan.pk)
    message = (
        f"Plan {plan.number} adjusted by {user.get_username()} (revision {plan.revision}): "
        f"{adjustment.summary}. Reason: {adjustment.reason}"
    )[:500]
    orders = {pl.order_line.order_id: pl.order_line.order for pl in [draft.target, *draft.added]}
    people = {p.pk: p for order in orders.values() for p in _sales_people(order)}
    if not may(user, APPROVE_PERMISSION):  # sales adjusted: production is told too
        people.update({p.pk: p for p in users_with(APPROVE_PERMISSION)})
    if old.created_by_id:
        people.setdefault(old.created_by_id, old.created_by)
    people.pop(user.pk, None)
    notify(users=list(people.values()), message=message, url=link)
    pending = open_revision(number=plan.number)
    if pending is not None:
        pending.previous = plan
        pending.stale = True
        pending.save(update_fields=["previous", "stale"])
        notify(
            users=[pending.created_by] if pending.created_by_id else [],
            message=f"Revision {pending.revision} of plan {plan.number} was drafted before "
            f"production adjusted the plan (revision {plan.revision}); check it before it is "
            "submitted.",
            url=url("production:plan-detail", pending.pk),
        )


@transaction.atomic
def _adjust(
    *,
    user,
    line: PlanLine,
    kind: str,
    reason: str,
    late_ok: bool,
    today: dt.date | None,
    change: Callable[[Draft, dt.date], str],
) -> PlanAdjustment:
    old = _lock_in_force(line, user)
    reason = _reason(reason)
    today = today or timezone.localdate()
    draft = Draft(old, line.pk)
    target_before = draft.before[id(draft.target)]
    words = change(draft, today)
    late = late_lines(draft)
    if late and not late_ok:
        first = late[0]
        raise DomainError(
            f"This makes order {first['order_no']} line {first['line']} finish on "
            f"{first['end_date']}, after its due date {first['due_date']}: the customer must "
            "be told. Confirm to raise a contact slip to sales follow-up.",
            field="late_ok",
        )
    plan = _revision_of(old, user)
    for pl in draft.lines:
        pl.pk = None
        pl.plan = plan
    PlanLine.objects.bulk_create(draft.lines)
    work_orders_for_plan(plan=plan, user=user)
    target = draft.target
    summary = (
        f"order {target.order_line.order.order_no}/{target.order_line.line} step {target.seq} "
        f"({target.item.code}): {words}"
    )
    _slips(late, plan, reason, user)
    adjustment = PlanAdjustment(
        plan=plan,
        kind=kind,
        reason=reason,
        summary=summary[:2000],
        detail={
            "order_no": target.order_line.order.order_no,
            "line": target.order_line.line,
            "step": target.seq,
            "item": target.item.code,
            "before": target_before,
            "after": [calc.snapshot(pl) for pl in [target, *draft.added]],
            "changed": [
                {"step": pl.seq, **calc.snapshot(pl)}
                for pl in draft.lines
                if pl is not target
                and pl not in draft.added
                and calc.snapshot(pl) != draft.before.get(id(pl))
            ],
        },
        late=late,
    )
    adjustment.stamp(user)
    adjustment.save()
    _tell(adjustment, draft, user, old)
    return adjustment


def plan_adjust_move(
    *,
    user,
    line: PlanLine,
    quantity: Any,
    from_date: Any,
    to_date: Any,
    reason: str,
    work_center: WorkCenter | None = None,
    late_ok: bool = False,
    today: dt.date | None = None,
) -> PlanAdjustment:
    """Move `quantity` of a step from one day to another (on its machine or `work_center`)."""
    return _adjust(
        user=user,
        line=line,
        kind=Kind.MOVE,
        reason=reason,
        late_ok=late_ok,
        today=today,
        change=lambda draft, day: move(
            draft,
            quantity=quantity,
            from_date=from_date,
            to_date=to_date,
            work_center=work_center,
            today=day,
        ),
    )


def plan_adjust_split(
    *,
    user,
    line: PlanLine,
    quantity: Any,
    start_date: Any,
    reason: str,
    work_center: WorkCenter | None = None,
    late_ok: bool = False,
    today: dt.date | None = None,
) -> PlanAdjustment:
    """Split `quantity` off a step into a line of its own from `start_date`."""
    return _adjust(
        user=user,
        line=line,
        kind=Kind.SPLIT,
        reason=reason,
        late_ok=late_ok,
        today=today,
        change=lambda draft, day: split(
            draft, quantity=quantity, start_date=start_date, work_center=work_center, today=day
        ),
    )


def plan_adjust_push(
    *,
    user,
    line: PlanLine,
    start_date: Any,
    reason: str,
    late_ok: bool = False,
    today: dt.date | None = None,
) -> PlanAdjustment:
    """Push a step to a new start date; later steps follow when they must."""
    return _adjust(
        user=user,
        line=line,
        kind=Kind.PUSH,
        reason=reason,
        late_ok=late_ok,
        today=today,
        change=lambda draft, day: push(draft, start_date=start_date, today=day),
    )


__all__ = ["may_adjust", "plan_adjust_move", "plan_adjust_push", "plan_adjust_split"]
