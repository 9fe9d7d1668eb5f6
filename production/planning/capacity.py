"""Machine capacity and planned load (机台情况). Reads only.

Capacity of a machine on a day: hours_per_day on its working days, less planned downtime.
Planned load: the minutes of the lines of approved plans (revisions in force) on that day,
each line's minutes being setup + minutes per unit x quantity of its routing step.
The machine-load view sums both per ISO week over a horizon (default 8 weeks) and names
the orders behind each week's load; a week whose load exceeds its capacity is overloaded.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from materials.models import WorkCenter
from production.models import Downtime, PlanLine, PlanStatus, ProductionPlan
from production.planning.calendar import (
    ZERO,
    DowntimeSpan,
    MachineDay,
    capacity_minutes,
    days,
    downtime_minutes,
    iso_week_label,
    monday_of,
    to_hours,
)
from production.planning.scheduler import Capacity

DEFAULT_WEEKS = 8
MAX_WEEKS = 52


def machine_day(machine: WorkCenter) -> MachineDay:
    return MachineDay(machine.pk, machine.hours_per_day, machine.days_per_week)


def lost_minutes(
    machine_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], Decimal]:
    """Downtime minutes per (machine, day) between start and end: one query."""
    spans = [
        DowntimeSpan(d.work_center_id, d.start_date, d.end_date, d.hours_per_day)
        for d in Downtime.objects.filter(
            work_center_id__in=list(machine_ids), start_date__lte=end, end_date__gte=start
        )
    ]
    return downtime_minutes(spans, start, end)


@dataclass(frozen=True)
class LoadPiece:
    machine_id: int
    day: dt.date
    minutes: Decimal
    order_no: str
    line: int
    customer: str
    plan_number: str


def planned_pieces(
    *,
    start: dt.date,
    end: dt.date,
    plans: Q | None = None,
    exclude_numbers: Iterable[str] = (),
) -> list[LoadPiece]:
    """The planned minutes per machine and day between start and end, of the lines of the
    plans matching `plans` (default: the approved revisions in force): one query."""
    wanted = plans if plans is not None else Q(plan__status=PlanStatus.APPROVED)
    rows = (
        PlanLine.objects.filter(wanted)
        .filter(work_center__isnull=False, start_date__lte=end, end_date__gte=start)
        .exclude(plan__number__in=list(exclude_numbers))
        .values_list(
            "work_center_id",
            "day_minutes",
            "order_line__order__order_no",
            "order_line__line",
            "order_line__order__customer__name",
            "plan__number",
        )
    )
    pieces = []
    for machine_id, day_minutes, order_no, line, customer, number in rows:
        for iso, minutes in (day_minutes or {}).items():
            day = dt.date.fromisoformat(iso)
            if start <= day <= end:
                pieces.append(
                    LoadPiece(machine_id, day, Decimal(minutes), order_no, line, customer, number)
                )
    return pieces


def free_capacity(*, start: dt.date, length: int, exclude_numbers: Iterable[str] = ()) -> Capacity:
    """What every machine has free per day from `start` for `length` days, after downtime
    and the approved plans (except the plan numbers in `exclude_numbers`)."""
    end = start + dt.timedelta(days=length - 1)
    machines = list(WorkCenter.objects.order_by("pk"))
    lost = lost_minutes([m.pk for m in machines], start, end)
    free: dict[int, list[Decimal]] = {}
    for machine in machines:
        spec = machine_day(machine)
        free[machine.pk] = [capacity_minutes(spec, day, lost) for day in days(start, end)]
    for piece in planned_pieces(start=start, end=end, exclude_numbers=exclude_numbers):
        row = free.get(piece.machine_id)
        if row is not None:
            offset = (piece.day - start).days
            row[offset] = max(ZERO, row[offset] - piece.minutes)
    return Capacity(start, length, free, {m.pk: m.code for m in machines})


@dataclass
class OrderLoad:
    order_no: str
    line: int
    customer: str
    minutes: Decimal = ZERO

    @property
    def hours(self) -> Decimal:
        return to_hours(self.minutes)


@dataclass
class WeekLoad:
    monday: dt.date
    capacity_minutes: Decimal = ZERO
    planned_minutes: Decimal = ZERO
    orders: dict[tuple[str, int], OrderLoad] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return iso_week_label(self.monday)

    @property
    def capacity_hours(self) -> Decimal:
        return to_hours(self.capacity_minutes)

    @property
    def planned_hours(self) -> Decimal:
        return to_hours(self.planned_minutes)

    @property
    def overloaded(self) -> bool:
        return self.planned_minutes > self.capacity_minutes

    @property
    def utilization(self) -> Decimal | None:
        """Planned / capacity (1 = fully loaded); None without capacity."""
        if self.capacity_minutes <= 0:
            return None
        return (self.planned_minutes / self.capacity_minutes).quantize(Decimal("0.001"))

    @property
    def order_list(self) -> list[OrderLoad]:
        return sorted(self.orders.values(), key=lambda o: (-o.minutes, o.order_no, o.line))


@dataclass
class MachineLoad:
    machine: WorkCenter
    weeks: list[WeekLoad]

    @property
    def overloaded(self) -> bool:
        return any(week.overloaded for week in self.weeks)


def machine_load(
    *,
    start: dt.date,
    weeks: int = DEFAULT_WEEKS,
    preview: ProductionPlan | None = None,
    machine_codes: Iterable[str] = (),
) -> list[MachineLoad]:
    """Capacity and planned load per machine and ISO week, `weeks` weeks from the week of
    `start`. With `preview`, the load is what it would be if that plan were approved (its
    lines count instead of the revision in force of the same number). A fixed number of
    queries however many machines, weeks and lines."""
    weeks = max(1, min(int(weeks), MAX_WEEKS))
    first = monday_of(start)
    last = first + dt.timedelta(days=7 * weeks - 1)
    machines = WorkCenter.objects.order_by("code")
    codes = [c for c in machine_codes if c]
    if codes:
        machines = machines.filter(code__in=codes)
    machines = list(machines)
    lost = lost_minutes([m.pk for m in machines], first, last)
    loads: dict[int, MachineLoad] = {}
    for machine in machines:
        spec = machine_day(machine)
        rows = [WeekLoad(first + dt.timedelta(days=7 * n)) for n in range(weeks)]
        for day in days(first, last):
            rows[(day - first).days // 7].capacity_minutes += capacity_minutes(spec, day, lost)
        loads[machine.pk] = MachineLoad(machine, rows)

    if preview is None:
        pieces = planned_pieces(start=first, end=last)
    else:
        pieces = planned_pieces(start=first, end=last, exclude_numbers=[preview.number])
        pieces += planned_pieces(start=first, end=last, plans=Q(plan=preview))
    for piece in pieces:
        machine = loads.get(piece.machine_id)
        if machine is None:
            continue
        week = machine.weeks[(piece.day - first).days // 7]
        week.planned_minutes += piece.minutes
        key = (piece.order_no, piece.line)
        if key not in week.orders:
            week.orders[key] = OrderLoad(piece.order_no, piece.line, piece.customer)
        week.orders[key].minutes += piece.minutes
    return list(loads.values())
