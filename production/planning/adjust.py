"""The arithmetic of adjusting plan lines (move, split, push), on unsaved PlanLine copies:
minutes per day, the share of a quantity, what the machines have free. The rules and the
records are in production.services.adjust.

A quantity's minutes are its share of the line's minutes (line.minutes x q / line.quantity),
the same share the progress views use to turn a day's minutes into a quantity; so a move
or a split keeps both the quantity and the minutes of the step."""

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from production.models import PlanLine
from production.planning.calendar import ZERO
from production.planning.capacity import free_capacity
from production.planning.scheduler import Capacity
from production.services.common import fmt

PLACES = Decimal("0.000001")


def minutes_of(line: PlanLine, quantity: Decimal) -> Decimal:
    if quantity >= line.quantity:
        return line.minutes
    return (line.minutes * quantity / line.quantity).quantize(PLACES, rounding=ROUND_HALF_UP)


def day_map(line: PlanLine) -> dict[dt.date, Decimal]:
    return {dt.date.fromisoformat(iso): Decimal(m) for iso, m in (line.day_minutes or {}).items()}


def set_days(line: PlanLine, days: dict[dt.date, Decimal]) -> None:
    """Write the minutes per day back and the dates they span."""
    kept = {d: m for d, m in sorted(days.items()) if m > 0}
    line.day_minutes = {d.isoformat(): fmt(m) for d, m in kept.items()}
    if kept:
        line.start_date, line.end_date = min(kept), max(kept)


def take_tail(line: PlanLine, minutes: Decimal) -> dict[dt.date, Decimal]:
    """Take `minutes` off the line's last days (the tail) and return what was taken."""
    days = day_map(line)
    taken: dict[dt.date, Decimal] = {}
    need = minutes
    for day in sorted(days, reverse=True):
        if need <= 0:
            break
        part = min(days[day], need)
        days[day] -= part
        taken[day] = part
        need -= part
    set_days(line, days)
    return taken


def free_after(
    *,
    number: str,
    lines: Iterable[PlanLine],
    start: dt.date,
    length: int,
    skip: Iterable[PlanLine] = (),
) -> Capacity:
    """What the machines have free from `start`: capacity less downtime, the approved plans
    of other numbers, and `lines` (the adjusted revision) except those in `skip`."""
    capacity = free_capacity(start=start, length=length, exclude_numbers=[number])
    skipped = {id(line) for line in skip}
    for line in lines:
        if id(line) in skipped or line.work_center_id is None:
            continue
        book(capacity, line.work_center_id, day_map(line), sign=-1)
    return capacity


def book(capacity: Capacity, machine_id: int, days: dict[dt.date, Decimal], *, sign: int) -> None:
    """Take (sign -1) or give back (+1) the minutes per day on the machine."""
    row = capacity.free.get(machine_id)
    if row is None:
        return
    for day, minutes in days.items():
        offset = capacity.offset(day)
        if 0 <= offset < capacity.length:
            row[offset] = max(ZERO, row[offset] + sign * minutes)
    capacity._first_free[machine_id] = 0  # noqa: SLF001  (look again from the start)


def free_on(capacity: Capacity, machine_id: int, day: dt.date) -> Decimal:
    row = capacity.free.get(machine_id)
    offset = capacity.offset(day)
    if row is None or not 0 <= offset < capacity.length:
        return ZERO
    return row[offset]


def rebook(capacity: Capacity, line: PlanLine, earliest: dt.date) -> bool:
    """Book all the line's minutes on its machine from `earliest` on, day after day, on
    what is free (the scheduler's rule); False (nothing changed) when it does not fit."""
    placed = capacity.take(line.work_center_id, earliest, line.minutes)
    if placed is None:
        return False
    if line.minutes <= 0:
        line.day_minutes, line.start_date, line.end_date = {}, earliest, earliest
        return True
    set_days(line, placed.day_minutes)
    return True


def snapshot(line: PlanLine) -> dict:
    """A line as the adjustment record keeps it."""
    return {
        "machine": line.work_center.code if line.work_center_id else None,
        "quantity": fmt(line.quantity),
        "minutes": fmt(line.minutes),
        "start": line.start_date.isoformat() if line.start_date else None,
        "end": line.end_date.isoformat() if line.end_date else None,
        "days": dict(line.day_minutes or {}),
    }
