"""Reads of production plans: lists, one plan with its lines (and which are stale after an
order change), the difference between two revisions, work orders from plans. No writes."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from erp.numbers import plain as _plain
from orders.models import LineStatus, OrderChange, OrderStatus
from production.models import PLAN_OPEN_STATES, PlanLine, PlanStatus, ProductionPlan


def _changed_since_planned() -> Exists:
    """An order change notice for the line (or the whole order) after it was planned."""
    return Exists(
        OrderChange.objects.filter(
            order_id=OuterRef("order_line__order_id"),
            created_at__gt=OuterRef("planned_at"),
        ).filter(Q(order_line_id=OuterRef("order_line_id")) | Q(order_line__isnull=True))
    )


def with_staleness(lines: QuerySet[PlanLine]) -> QuerySet[PlanLine]:
    """Annotate `is_stale`: marked stale, or its order changed since it was planned, or the
    order line is no longer open. Read-time, so a change shows at once."""
    return lines.annotate(
        changed=_changed_since_planned(),
        is_stale=Case(
            When(stale=True, then=Value(True)),
            When(changed=True, then=Value(True)),
            When(~Q(order_line__status=LineStatus.OPEN), then=Value(True)),
            When(
                order_line__order__status__in=[OrderStatus.CANCELLED, OrderStatus.CLOSED],
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def plan_lines(*, plan: ProductionPlan) -> QuerySet[PlanLine]:
    return with_staleness(
        plan.lines.select_related(
            "order_line__order__customer",
            "item",
            "process",
            "work_center",
            "work_order",
        )
    ).order_by("priority", "order_line__order__order_no", "order_line__line", "seq")


def stale_order_line_ids(*, plan: ProductionPlan) -> set[int]:
    return set(
        with_staleness(plan.lines.all())
        .filter(is_stale=True)
        .values_list("order_line_id", flat=True)
    )


def plan_list(*, status: str = "", number: str = "") -> QuerySet[ProductionPlan]:
    """Plans newest period first, with their line counts and whether a line is stale."""
    stale_lines = with_staleness(PlanLine.objects.filter(plan=OuterRef("pk"))).filter(is_stale=True)
    plans = ProductionPlan.objects.select_related("created_by", "decided_by", "previous")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    if number:
        plans = plans.filter(number__icontains=number)
    return plans.annotate(
        line_count=Count("lines", filter=Q(lines__start_date__isnull=False)),
        unscheduled_count=Count("lines", filter=Q(lines__start_date__isnull=True)),
        has_stale=Exists(stale_lines),
    ).order_by("-period_start", "-number", "-revision")


def open_revision(*, number: str) -> ProductionPlan | None:
    return ProductionPlan.objects.filter(number=number, status__in=PLAN_OPEN_STATES).first()


def revisions(*, number: str) -> list[ProductionPlan]:
    return list(
        ProductionPlan.objects.filter(number=number)
        .select_related("created_by", "decided_by")
        .order_by("-revision")
    )


@dataclass
class LineChange:
    """How one order line's plan differs between two revisions."""

    order_no: str
    line: int
    item: str
    kind: str  # added, removed, changed
    before: list[PlanLine]
    after: list[PlanLine]
    what: list[str]


def _summary(lines: list[PlanLine]) -> tuple:
    return tuple(
        (
            pl.seq,
            pl.work_center_id,
            pl.quantity,
            pl.start_date,
            pl.end_date,
            tuple(sorted((pl.day_minutes or {}).items())),
        )
        for pl in sorted(lines, key=lambda pl: (pl.seq or 0, pl.start_date or dt.date.min))
    )


def _dates(lines: list[PlanLine]) -> tuple[dt.date | None, dt.date | None]:
    starts = [pl.start_date for pl in lines if pl.start_date]
    ends = [pl.end_date for pl in lines if pl.end_date]
    return (min(starts) if starts else None, max(ends) if ends else None)


def plan_diff(*, plan: ProductionPlan, previous: ProductionPlan | None = None) -> list[LineChange]:
    """What `plan` changes against `previous` (default: the revision it was made from),
    per order line: added, removed, or changed (quantity, machines, dates)."""
    previous = previous or plan.previous
    if previous is None:
        return []
    related = ("order_line__order", "item", "work_center")
    now: dict[int, list[PlanLine]] = defaultdict(list)
    before: dict[int, list[PlanLine]] = defaultdict(list)
    for pl in plan.lines.select_related(*related):
        now[pl.order_line_id].append(pl)
    for pl in previous.lines.select_related(*related):
        before[pl.order_line_id].append(pl)
    changes = []
    for order_line_id in set(now) | set(before):
        after_lines, before_lines = now.get(order_line_id, []), before.get(order_line_id, [])
        any_line = (after_lines or before_lines)[0]
        ol = any_line.order_line
        what: list[str] = []
        if not before_lines:
            kind = "added"
        elif not after_lines:
            kind = "removed"
        elif _summary(after_lines) == _summary(before_lines):
            continue
        else:
            kind = "changed"
            what = _differences(before_lines, after_lines)
        changes.append(
            LineChange(
                ol.order.order_no,
                ol.line,
                any_line.item.code,
                kind,
                before_lines,
                after_lines,
                what,
            )
        )
    return sorted(changes, key=lambda c: (c.order_no, c.line))


def _differences(before: list[PlanLine], after: list[PlanLine]) -> list[str]:
    what = []
    q_before, q_after = before[0].quantity, after[0].quantity
    if q_before != q_after:
        what.append(f"quantity {_plain(q_before)} -> {_plain(q_after)}")
    machines_before = [pl.work_center.code if pl.work_center else "-" for pl in before]
    machines_after = [pl.work_center.code if pl.work_center else "-" for pl in after]
    if machines_before != machines_after:
        what.append(f"machines {', '.join(machines_before)} -> {', '.join(machines_after)}")
    dates_before, dates_after = _dates(before), _dates(after)
    if dates_before != dates_after:
        what.append(f"dates {_span(dates_before)} -> {_span(dates_after)}")
    elif _summary(before) != _summary(after):
        what.append("daily schedule")
    return what


def _span(dates: tuple[dt.date | None, dt.date | None]) -> str:
    start, end = dates
    if start is None:
        return "not scheduled"
    return f"{start}..{end}"
