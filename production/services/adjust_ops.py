"""The three adjustments of an approved plan's step, on a Draft of the revision being made
(the in-force lines copied): move a quantity between days or machines, split a line, push
a date. Each checks the plan's capacity rule and returns what it did in words; the records,
the notices and the contact slips are production.services.adjust's."""

import datetime as dt
from decimal import Decimal
from typing import Any

from erp.errors import ConflictError, DomainError
from materials.models import WorkCenter
from production.models import PlanLine, ProductionPlan
from production.planning import adjust as calc
from production.planning.calendar import is_working_day
from production.planning.capacity import machine_day
from production.services.common import fmt, parse_date, parse_quantity
from production.services.proposal import HORIZON_DAYS


def _not_before_today(value: Any, *, field: str, what: str, today: dt.date) -> dt.date:
    day = parse_date(value, field=field, what=what)
    if day < today:
        raise DomainError(f"{what} ({day}) is in the past; plan from {today} on.", field=field)
    if day > today + dt.timedelta(days=HORIZON_DAYS - 1):
        raise DomainError(f"{what} ({day}) is beyond the planning horizon.", field=field)
    return day


def _working(machine: WorkCenter, day: dt.date, field: str) -> None:
    if not is_working_day(day, machine_day(machine).days_per_week):
        raise DomainError(f"Machine {machine.code} does not work on {day}.", field=field)


class Draft:
    """The revision being made: the in-force plan's lines copied, one of them the target."""

    def __init__(self, plan: ProductionPlan, target_pk: int) -> None:
        self.plan = plan
        self.lines: list[PlanLine] = list(
            plan.lines.select_related("order_line__order__customer", "work_center", "item")
        )
        self.before = {id(pl): calc.snapshot(pl) for pl in self.lines}
        self.ends = self._ends()
        match = [pl for pl in self.lines if pl.pk == target_pk]
        if not match:
            raise ConflictError("That line is not in the revision in force any more.")
        self.target = match[0]
        if not self.target.scheduled:
            raise DomainError("This order line is not scheduled; revise the plan to place it.")
        self.added: list[PlanLine] = []

    def _ends(self) -> dict[int, dt.date]:
        ends: dict[int, dt.date] = {}
        for pl in self.lines:
            if pl.end_date and (
                pl.order_line_id not in ends or pl.end_date > ends[pl.order_line_id]
            ):
                ends[pl.order_line_id] = pl.end_date
        return ends

    def copy_of_target(self, **changes: Any) -> PlanLine:
        line = PlanLine(
            **{
                f.attname: getattr(self.target, f.attname)
                for f in PlanLine._meta.concrete_fields
                if f.attname != "id"
            }
        )
        line.order_line = self.target.order_line
        line.item = self.target.item
        for name, value in changes.items():
            setattr(line, name, value)
        self.lines.append(line)
        self.added.append(line)
        return line

    def capacity(self, start: dt.date, skip=()):
        return calc.free_after(
            number=self.plan.number, lines=self.lines, start=start, length=HORIZON_DAYS, skip=skip
        )


def _machine(work_center: WorkCenter | None, line: PlanLine) -> WorkCenter:
    return work_center if work_center is not None else line.work_center


def move(draft: Draft, *, quantity, from_date, to_date, work_center, today) -> str:
    line = draft.target
    from_day = parse_date(from_date, field="from_date", what="The day to move from")
    to_day = _not_before_today(to_date, field="to_date", what="The day to move to", today=today)
    machine = _machine(work_center, line)
    _working(machine, to_day, "to_date")
    days = calc.day_map(line)
    if days.get(from_day, Decimal(0)) <= 0:
        raise DomainError(f"Nothing of this step is planned on {from_day}.", field="from_date")
    on_day = line.quantity * days[from_day] / line.minutes if line.minutes > 0 else line.quantity
    qty = parse_quantity(quantity, field="quantity", what="The quantity", allow_zero=False)
    if qty > on_day.quantize(calc.PLACES):
        raise DomainError(
            f"Only {fmt(on_day.quantize(calc.PLACES))} is planned on {from_day}.", field="quantity"
        )
    if machine.pk == line.work_center_id and to_day == from_day:
        raise DomainError("Choose another day or another machine.", field="to_date")
    whole_day = qty >= on_day.quantize(calc.PLACES)
    minutes = days[from_day] if whole_day else min(days[from_day], calc.minutes_of(line, qty))
    capacity = draft.capacity(today)
    free = calc.free_on(capacity, machine.pk, to_day)
    if minutes > free:
        raise DomainError(
            f"Machine {machine.code} has {fmt((free / 60).quantize(Decimal('0.01')))} h free on "
            f"{to_day}; moving {fmt(qty)} needs {fmt((minutes / 60).quantize(Decimal('0.01')))} h.",
            field="to_date",
        )
    days[from_day] -= minutes
    if machine.pk == line.work_center_id:
        days[to_day] = days.get(to_day, Decimal(0)) + minutes
        calc.set_days(line, days)
        return f"{fmt(qty)} moved from {from_day} to {to_day} on {machine.code}"
    if whole_day and len([m for m in days.values() if m > 0]) == 0:
        line.work_center = machine
        calc.set_days(line, {to_day: minutes})
        return f"{fmt(qty)} moved from {from_day} on {draft.before[id(line)]['machine']} to {to_day} on {machine.code}"
    moved_qty = min(qty, line.quantity)
    line.quantity -= moved_qty
    line.minutes -= minutes
    calc.set_days(line, days)
    part = draft.copy_of_target(quantity=moved_qty, minutes=minutes, work_center=machine)
    calc.set_days(part, {to_day: minutes})
    return (
        f"{fmt(qty)} moved from {from_day} on {line.work_center.code} to {to_day} on {machine.code}"
    )


def split(draft: Draft, *, quantity, start_date, work_center, today) -> str:
    line = draft.target
    qty = parse_quantity(quantity, field="quantity", what="The quantity", allow_zero=False)
    if qty >= line.quantity:
        raise DomainError(f"Split off less than the line's {fmt(line.quantity)}.", field="quantity")
    start = _not_before_today(start_date, field="start_date", what="The start", today=today)
    machine = _machine(work_center, line)
    minutes = calc.minutes_of(line, qty)
    line.quantity -= qty
    line.minutes -= minutes
    calc.take_tail(line, minutes)
    capacity = draft.capacity(today)
    part = draft.copy_of_target(quantity=qty, minutes=minutes, work_center=machine)
    part.work_center_id = machine.pk
    if not calc.rebook(capacity, part, start):
        raise DomainError(
            f"Machine {machine.code} has no room for {fmt(qty)} "
            f"({fmt((minutes / 60).quantize(Decimal('0.01')))} h) from {start} within the horizon.",
            field="start_date",
        )
    return (
        f"{fmt(qty)} split off to {machine.code} {part.start_date}..{part.end_date}; "
        f"{fmt(line.quantity)} stay on {line.work_center.code} {line.start_date}..{line.end_date}"
    )


def _steps(draft: Draft, line: PlanLine, after: bool) -> list[PlanLine]:
    """The steps of the same order line after (or before) `line`: a sub-assembly's steps
    come before the order line's own item's; within each, by step number."""
    own = line.order_line.item_id

    def rank(pl: PlanLine) -> tuple:
        return (pl.item_id == own, pl.seq or 0)

    return sorted(
        (
            pl
            for pl in draft.lines
            if pl.order_line_id == line.order_line_id
            and pl.scheduled
            and pl is not line
            and (rank(pl) > rank(line) if after else rank(pl) < rank(line))
        ),
        key=lambda pl: (rank(pl), pl.start_date),
    )


def push(draft: Draft, *, start_date, today) -> str:
    line = draft.target
    start = _not_before_today(start_date, field="start_date", what="The new start", today=today)
    if start == line.start_date:
        raise DomainError(f"The step already starts on {start}.", field="start_date")
    before = [pl.end_date for pl in _steps(draft, line, after=False)]
    if before and start < max(before):
        raise DomainError(
            f"The step before it ends on {max(before)}; start on that day or later.",
            field="start_date",
        )
    capacity = draft.capacity(today, skip=[line])
    if not calc.rebook(capacity, line, start):
        raise DomainError(
            f"Machine {line.work_center.code} has no room for this step "
            f"({fmt(line.hours)} h) from {start} within the horizon.",
            field="start_date",
        )
    words = [f"step {line.seq} on {line.work_center.code} now {line.start_date}..{line.end_date}"]
    earliest = line.end_date
    for later in _steps(draft, line, after=True):
        if later.start_date >= earliest:
            earliest = max(earliest, later.end_date)
            continue
        calc.book(capacity, later.work_center_id, calc.day_map(later), sign=1)
        if not calc.rebook(capacity, later, earliest):
            raise DomainError(
                f"Step {later.seq} after it has no room on {later.work_center.code} from "
                f"{earliest} within the horizon.",
                field="start_date",
            )
        words.append(f"step {later.seq} follows: {later.start_date}..{later.end_date}")
        earliest = later.end_date
    return "; ".join(words)


def late_lines(draft: Draft) -> list[dict]:
    """Order lines the adjustment makes finish after their due date (later than before)."""
    late = []
    now_ends: dict[int, tuple[dt.date, PlanLine]] = {}
    for pl in draft.lines:
        if pl.end_date and (
            pl.order_line_id not in now_ends or pl.end_date > now_ends[pl.order_line_id][0]
        ):
            now_ends[pl.order_line_id] = (pl.end_date, pl)
    for ol_id, (end, pl) in sorted(now_ends.items()):
        before = draft.ends.get(ol_id)
        due = pl.order_line.due_date
        if end > due and (before is None or end > before):
            late.append(
                {
                    "order_no": pl.order_line.order.order_no,
                    "line": pl.order_line.line,
                    "due_date": due.isoformat(),
                    "end_date": end.isoformat(),
                    "order_line": pl.order_line,
                }
            )
    return late
