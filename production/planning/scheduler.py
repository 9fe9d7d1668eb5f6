"""Finite-capacity scheduling in day buckets. Pure: no database.

Jobs (customer order lines) are taken one by one in priority order:
0. the lines of the agreed key-customer portfolio first, the lines it left out last
   (production.planning.portfolio_priority),
1. key customers first,
2. then the earliest due date,
3. then the highest margin per hour on the bottleneck machine
   (margin = (unit price - standard cost) x quantity; a job that does not use the
   bottleneck ranks first among equals: it takes nothing from it),
4. then order number and line, so the same input always gives the same plan.

Each job's routing steps run in sequence, each on its machine: a step takes what is free
on its machine from its earliest day on; what does not fit moves to the next day with
free capacity (an overload moves work to the next free day). A step may start on the day
its previous step ends. A job is not started before its `earliest` day (the period start,
or the day its missing material arrives). A job that does not fit before the horizon ends
is left unscheduled with the reason, and takes no capacity.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from production.planning.calendar import MINUTES_PER_HOUR, ZERO

INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class StepSpec:
    seq: int
    process_id: int
    machine_id: int
    minutes: Decimal  # setup + minutes per unit x quantity
    # A sub-assembly's step: its item and quantity; the deepest (lowest stage) goes first,
    # the order line's own item has stage 0.
    item_id: int | None = None
    quantity: Decimal | None = None
    stage: int = 0


@dataclass
class Job:
    key: Any  # the order line id
    steps: Sequence[StepSpec]
    due_date: dt.date
    key_account: bool
    margin: Decimal
    earliest: dt.date
    tiebreak: tuple = ()
    blocked: str = ""  # why the job cannot be scheduled at all (no routing, no material)
    # The agreed key-customer portfolio: 0 = agreed in, 1 = not in one, 2 = left out of it.
    tier: int = 1


@dataclass
class Placed:
    step: StepSpec
    start: dt.date
    end: dt.date
    day_minutes: dict[dt.date, Decimal]


@dataclass
class Outcome:
    job: Job
    rank: int
    margin_per_hour: Decimal | None  # on the bottleneck; None when it does not use it
    placed: list[Placed] = field(default_factory=list)
    reason: str = ""  # why it is not scheduled; "" when it is

    @property
    def scheduled(self) -> bool:
        return not self.reason


class Capacity:
    """Free minutes per machine and day from `start` for `length` days. `machine_names`
    name machines in reasons."""

    def __init__(
        self,
        start: dt.date,
        length: int,
        free: dict[int, list[Decimal]],
        machine_names: dict[int, str] | None = None,
    ) -> None:
        self.start = start
        self.length = length
        self.free = free
        self.names = machine_names or {}
        # Days before this offset are full: no need to look at them again.
        self._first_free = {machine: 0 for machine in free}

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.length - 1)

    def name(self, machine_id: int) -> str:
        return self.names.get(machine_id, str(machine_id))

    def offset(self, day: dt.date) -> int:
        return (day - self.start).days

    def take(self, machine_id: int, earliest: dt.date, minutes: Decimal) -> Placed | None:
        """Book `minutes` on the machine from `earliest` on, day after day; None (and
        nothing booked) when it does not fit before the horizon ends."""
        row = self.free.get(machine_id)
        first = max(self.offset(earliest), 0)
        if minutes <= 0:
            return Placed(StepSpec(0, 0, machine_id, ZERO), earliest, earliest, {})
        if row is None:
            return None
        booked: dict[int, Decimal] = {}
        need = minutes
        offset = max(first, self._first_free[machine_id])
        while need > 0 and offset < self.length:
            free = row[offset]
            if free > 0:
                taken = min(free, need)
                booked[offset] = taken
                need -= taken
            offset += 1
        if need > 0:
            return None
        for day_offset, taken in booked.items():
            row[day_offset] -= taken
        pointer = self._first_free[machine_id]
        while pointer < self.length and row[pointer] <= 0:
            pointer += 1
        self._first_free[machine_id] = pointer
        day_minutes = {self.start + dt.timedelta(days=o): m for o, m in sorted(booked.items())}
        dates = list(day_minutes)
        return Placed(StepSpec(0, 0, machine_id, minutes), dates[0], dates[-1], day_minutes)

    def give_back(self, placed: Placed) -> None:
        row = self.free.get(placed.step.machine_id)
        if row is None:
            return
        for day, minutes in placed.day_minutes.items():
            offset = self.offset(day)
            row[offset] += minutes
            self._first_free[placed.step.machine_id] = min(
                self._first_free[placed.step.machine_id], offset
            )


def bottleneck_machine(jobs: Iterable[Job], capacity: Capacity, until: dt.date) -> int | None:
    """The machine the jobs load most relative to its free minutes up to `until`."""
    demand: dict[int, Decimal] = {}
    for job in jobs:
        if job.blocked:
            continue
        for step in job.steps:
            demand[step.machine_id] = demand.get(step.machine_id, ZERO) + step.minutes
    last = min(capacity.offset(until), capacity.length - 1)
    best, best_ratio = None, Decimal(-1)
    for machine_id in sorted(demand):
        if demand[machine_id] <= 0:
            continue
        free = sum(capacity.free.get(machine_id, [])[: last + 1], ZERO)
        ratio = demand[machine_id] / free if free > 0 else INFINITY
        if ratio > best_ratio:
            best, best_ratio = machine_id, ratio
    return best


def margin_per_hour(job: Job, bottleneck: int | None) -> Decimal | None:
    minutes = sum((s.minutes for s in job.steps if s.machine_id == bottleneck), ZERO)
    if bottleneck is None or minutes <= 0:
        return None
    return job.margin / (minutes / MINUTES_PER_HOUR)


def priority_key(job: Job, per_hour: Decimal | None) -> tuple:
    ranked = INFINITY if per_hour is None else per_hour
    return (job.tier, not job.key_account, job.due_date, -ranked, job.tiebreak, str(job.key))


def schedule(
    jobs: Sequence[Job], capacity: Capacity, *, period_end: dt.date | None = None
) -> tuple[list[Outcome], int | None]:
    """Place the jobs in priority order; return the outcomes in that order and the
    bottleneck machine (the most loaded against its capacity up to `period_end`, default
    the horizon's end)."""
    bottleneck = bottleneck_machine(jobs, capacity, period_end or capacity.end)
    rated = [(job, margin_per_hour(job, bottleneck)) for job in jobs]
    rated.sort(key=lambda pair: priority_key(*pair))
    outcomes = []
    for rank, (job, per_hour) in enumerate(rated, start=1):
        outcome = Outcome(job=job, rank=rank, margin_per_hour=per_hour)
        outcomes.append(outcome)
        if job.blocked:
            outcome.reason = job.blocked
            continue
        if job.earliest > capacity.end:
            outcome.reason = f"Cannot start before {job.earliest}, after the horizon ends."
            continue
        earliest = job.earliest
        for step in sorted(job.steps, key=lambda s: (s.stage, s.seq)):
            placed = capacity.take(step.machine_id, earliest, step.minutes)
            if placed is None:
                for done in outcome.placed:
                    capacity.give_back(done)
                outcome.placed = []
                outcome.reason = (
                    f"No free capacity on machine {capacity.name(step.machine_id)} "
                    f"for step {step.seq} before {capacity.end}."
                )
                break
            placed.step = step
            outcome.placed.append(placed)
            earliest = placed.end
    return outcomes, bottleneck
