"""Working days and machine minutes per day. Pure: no database.

A machine with `days_per_week` = 6 works Monday to Saturday, 5 Monday to Friday, 7 every
day. Its capacity on a working day is `hours_per_day` less planned downtime on that day
(a downtime without hours takes the whole day). Everything is counted in exact minutes."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
MINUTES_PER_HOUR = Decimal(60)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from start to end, both included."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def iso_week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def is_working_day(day: dt.date, days_per_week: int) -> bool:
    return day.weekday() < days_per_week


def to_hours(minutes: Decimal) -> Decimal:
    """Minutes as hours with two decimals, for people to read."""
    return (minutes / MINUTES_PER_HOUR).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class MachineDay:
    """What a machine offers: hours per day on its working days."""

    machine_id: int
    hours_per_day: Decimal
    days_per_week: int


@dataclass(frozen=True)
class DowntimeSpan:
    machine_id: int
    start: dt.date
    end: dt.date
    hours_per_day: Decimal | None  # None: the whole day


def downtime_minutes(
    spans: Iterable[DowntimeSpan], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], Decimal]:
    """Minutes lost per (machine, day) between start and end; whole-day spans count as
    24 hours (capacity never goes below zero)."""
    lost: dict[tuple[int, dt.date], Decimal] = {}
    for span in spans:
        hours = span.hours_per_day if span.hours_per_day is not None else Decimal(24)
        for day in days(max(span.start, start), min(span.end, end)):
            key = (span.machine_id, day)
            lost[key] = lost.get(key, ZERO) + hours * MINUTES_PER_HOUR
    return lost


def capacity_minutes(
    machine: MachineDay, day: dt.date, lost: dict[tuple[int, dt.date], Decimal]
) -> Decimal:
    if not is_working_day(day, machine.days_per_week):
        return ZERO
    minutes = machine.hours_per_day * MINUTES_PER_HOUR - lost.get((machine.machine_id, day), ZERO)
    return max(ZERO, minutes)
