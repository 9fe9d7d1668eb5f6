"""Proposing a production plan (生产计划表) and revising an approved one.

plan_propose: a new draft for a period, scheduled with finite capacity from the open lines
of confirmed orders due by the period's end that no submitted or approved plan holds yet;
the agreed key-customer portfolio's lines first, the lines it left out last, and the
salesperson of an agreed line that cannot be scheduled told at once
(see production.planning.scheduler for the priority rules and production.planning.candidates
for material). Machines keep what the approved plans already booked on them.

plan_revise: changing an approved plan makes a new revision (same number, revision + 1,
`previous` = the approved one). Lines whose order did not change are carried over as they
are; lines of changed orders (an order change notice, a cancelled line), of orders asked for
(a contact slip's re-plan) and lines not scheduled before are scheduled again from
max(period start, today) for what is left to make; open lines due in the period that are
in no plan yet are added. It is approved like any plan.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import next_document_number, notify
from production.models import PlanLine, PlanStatus, ProductionPlan
from production.planning.calendar import ZERO
from production.planning.candidates import (
    Candidate,
    jobs_for,
    open_lines,
    planned_elsewhere,
    to_make,
)
from production.planning.capacity import free_capacity
from production.planning.portfolio_priority import AGREED_IN, Standing, portfolio_standing
from production.planning.scheduler import Outcome, schedule
from production.selectors import open_revision, stale_order_line_ids
from production.services.common import fmt, parse_date, require, url

PLAN_PREFIX = "PP"
# Work that does not fit in the period may run on after it, up to this many days from
# the start; beyond that it is left unscheduled with the reason.
HORIZON_DAYS = 182
MAX_PERIOD_DAYS = 92
EDIT_PERMISSION = "production.change_productionplan"
ADD_PERMISSION = "production.add_productionplan"


def _check_period(start, end) -> tuple[dt.date, dt.date]:
    start = parse_date(start, field="period_start", what="The start of the period")
    end = parse_date(end, field="period_end", what="The end of the period")
    if end < start:
        raise DomainError(
            f"The period ends ({end}) before it starts ({start}).", field="period_end"
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise DomainError(
            f"A plan covers at most {MAX_PERIOD_DAYS} days; split the period.",
            field="period_end",
        )
    return start, end


def _line_rows(
    plan: ProductionPlan, outcomes: Sequence[Outcome], candidates: dict[int, Candidate], now
) -> list[PlanLine]:
    rows = []
    for outcome in outcomes:
        candidate = candidates[outcome.job.key]
        ol = candidate.order_line
        common = {
            "plan": plan,
            "order_line": ol,
            "item": ol.item,
            "quantity": candidate.quantity,
            "priority": outcome.rank,
            "due_date": ol.due_date,
            "key_account": ol.order.customer.key_account,
            "planned_at": now,
            "work_order": candidate.work_order,
        }
        if not outcome.scheduled:
            rows.append(
                PlanLine(
                    **common,
                    minutes=sum((s.minutes for s in outcome.job.steps), ZERO),
                    unscheduled_reason=outcome.reason[:300],
                )
            )
            continue
        for placed in outcome.placed:
            step = placed.step
            fields = dict(common)
            if step.item_id is not None:  # a sub-assembly the line makes first
                del fields["item"]
                fields.update(item_id=step.item_id, quantity=step.quantity)
            rows.append(
                PlanLine(
                    **fields,
                    seq=step.seq,
                    process_id=step.process_id,
                    work_center_id=step.machine_id,
                    minutes=step.minutes,
                    start_date=placed.start,
                    end_date=placed.end,
                    day_minutes={d.isoformat(): fmt(m) for d, m in placed.day_minutes.items()},
                )
            )
    return rows


def _schedule_into(
    plan: ProductionPlan,
    candidates: list[Candidate],
    *,
    earliest: dt.date,
    kept: Iterable[PlanLine] = (),
    first_rank: int = 0,
) -> list[PlanLine]:
    """Schedule the candidates on what the machines have free (after the approved plans
    of other numbers and the `kept` lines) and write their plan lines."""
    capacity = free_capacity(start=earliest, length=HORIZON_DAYS, exclude_numbers=[plan.number])
    for line in kept:
        row = capacity.free.get(line.work_center_id)
        for iso, minutes in (line.day_minutes or {}).items():
            offset = capacity.offset(dt.date.fromisoformat(iso))
            if row is not None and 0 <= offset < capacity.length:
                row[offset] = max(ZERO, row[offset] - Decimal(minutes))
    standing = portfolio_standing(
        line_ids=[c.order_line.pk for c in candidates], start=earliest, end=plan.period_end
    )
    tiers = {line_id: s.tier for line_id, s in standing.items()}
    jobs = jobs_for(candidates, earliest=earliest, tiers=tiers)
    outcomes, _bottleneck = schedule(jobs, capacity, period_end=plan.period_end)
    for outcome in outcomes:
        outcome.rank += first_rank
    by_line = {c.order_line.pk: c for c in candidates}
    rows = PlanLine.objects.bulk_create(_line_rows(plan, outcomes, by_line, timezone.now()))
    _tell_portfolio_misses(plan, outcomes, standing)
    return rows


def _tell_portfolio_misses(
    plan: ProductionPlan, outcomes: Sequence[Outcome], standing: dict[int, Standing]
) -> None:
    """An order line of the agreed portfolio that cannot be scheduled after all: its
    salesperson is told at once, with the reason, so no customer gets a false promise."""
    missed: dict[int, list[str]] = defaultdict(list)
    people = {}
    for outcome in outcomes:
        found = standing.get(outcome.job.key)
        if outcome.scheduled or found is None or found.tier != AGREED_IN:
            continue
        pl = found.line
        person = pl.salesperson or pl.order_line.order.customer.salesperson
        if person is None:
            continue
        people[person.pk] = person
        missed[person.pk].append(
            f"{pl.order_line.order.order_no}/{pl.order_line.line} "
            f"(portfolio {pl.portfolio.number}): {outcome.reason}"
        )
    for pk, words in missed.items():
        notify(
            users=[people[pk]],
            message=(
                f"Agreed for production but not scheduled in plan {plan.number} "
                f"rev. {plan.revision}: " + "; ".join(words)
            )[:500],
            url=url("production:plan-detail", plan.pk),
        )


@transaction.atomic
def plan_propose(*, user, start, end, note: str = "") -> ProductionPlan:
    """A new draft plan for the period [start, end], proposed by the scheduler."""
    require(user, ADD_PERMISSION, "Only sales follow-up may draft a production plan.")
    start, end = _check_period(start, end)
    lines = open_lines(due_by=end, exclude_line_ids=planned_elsewhere())
    candidates = [Candidate(ol, to_make(ol, ZERO)) for ol in lines]
    candidates = [c for c in candidates if c.quantity > 0]
    if not candidates:
        raise DomainError(
            f"No open order line due by {end} is left to plan: every one is finished or "
            "already in a submitted or approved plan."
        )
    plan = ProductionPlan(
        number=next_document_number(prefix=PLAN_PREFIX, on=start),
        period_start=start,
        period_end=end,
        note=(note or "").strip(),
    )
    plan.stamp(user)
    plan.save()
    _schedule_into(plan, candidates, earliest=start)
    return plan


@transaction.atomic
def plan_revise(
    *,
    user,
    plan: ProductionPlan,
    replan_order_ids: Iterable[int] = (),
    today: dt.date | None = None,
    note: str = "",
) -> ProductionPlan:
    """A new draft revision of the approved plan `plan` (see the module's docstring)."""
    require(user, EDIT_PERMISSION, "Only sales follow-up may revise a production plan.")
    plan = ProductionPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ConflictError(
            f"Plan {plan.number} revision {plan.revision} is {plan.get_status_display()}; "
            "only the approved revision in force can be revised."
        )
    pending = open_revision(number=plan.number)
    if pending is not None:
        raise ConflictError(
            f"Revision {pending.revision} of plan {plan.number} is already being worked on "
            f"({pending.get_status_display()})."
        )
    today = today or timezone.localdate()
    earliest = max(plan.period_start, today)
    last = ProductionPlan.objects.filter(number=plan.number).aggregate(last=Max("revision"))
    revision = ProductionPlan(
        number=plan.number,
        revision=(last["last"] or plan.revision) + 1,
        previous=plan,
        period_start=plan.period_start,
        period_end=plan.period_end,
        note=(note or "").strip() or plan.note,
    )
    revision.stamp(user)
    revision.save()

    old_lines = list(plan.lines.select_related("order_line__order", "work_order"))
    redo = stale_order_line_ids(plan=plan) | {
        pl.order_line_id
        for pl in old_lines
        if not pl.scheduled or pl.order_line.order_id in set(replan_order_ids)
    }
    kept = [pl for pl in old_lines if pl.order_line_id not in redo]
    work_orders = {pl.order_line_id: pl.work_order for pl in old_lines if pl.work_order_id}
    for pl in kept:  # carried over as they are, planned_at included
        pl.pk = None
        pl.plan = revision
    PlanLine.objects.bulk_create(kept)

    candidates = []
    for ol in open_lines(due_by=plan.period_end, only_line_ids=redo):
        work_order = work_orders.get(ol.pk)
        completed = work_order.completed_quantity if work_order else ZERO
        candidates.append(Candidate(ol, to_make(ol, completed), work_order))
    in_plan = {pl.order_line_id for pl in old_lines}
    for ol in open_lines(
        due_by=plan.period_end,
        exclude_line_ids=planned_elsewhere(except_number=plan.number) | in_plan,
    ):
        candidates.append(Candidate(ol, to_make(ol, ZERO)))
    candidates = [c for c in candidates if c.quantity > 0]
    if candidates:
        first_rank = max((pl.priority for pl in kept), default=0)
        _schedule_into(revision, candidates, earliest=earliest, kept=kept, first_rank=first_rank)
    return revision
