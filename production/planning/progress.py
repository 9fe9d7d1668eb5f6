"""Progress against the plan, from the daily reports. Reads only; a fixed number of queries.

- order_progress: per order line of the plans in force, per routing step, what should be
  done by a day (the step's quantity x the share of its planned minutes up to that day)
  against the good output reported; finished = good output of the last step; received =
  finished-goods receipts; behind = planned - finished, flagged above a threshold (a share
  of the line's planned quantity).
- machine_days: per machine and day, planned hours and quantity against reported ones.
- defect_rates: per process, the actual defect rate (defects / (good + defects)) against
  the defect-control table (Process.defect_rate), flagged when above; defects by reason.
- day_summary: the day's reports per process and machine (总表 of a day).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from materials.models import Process, Routing
from production.models import (
    DailyDefect,
    DailyReport,
    FinishedGoodsReceipt,
    PlanLine,
    PlanStatus,
)
from production.planning.calendar import ZERO, to_hours

DEFAULT_THRESHOLD = Decimal("0.10")
RATE_PLACES = Decimal("0.0001")


def planned_by(line: PlanLine, day: dt.date) -> Decimal:
    """How much of the line's quantity should be done by the end of `day`."""
    if line.start_date is None or day < line.start_date:
        return ZERO
    if day >= line.end_date or line.minutes <= 0:
        return line.quantity
    done = sum(
        (Decimal(m) for iso, m in (line.day_minutes or {}).items() if iso <= day.isoformat()),
        ZERO,
    )
    return line.quantity * done / line.minutes


def planned_on(line: PlanLine, day: dt.date) -> Decimal:
    """How much of the line's quantity is planned on `day` itself."""
    if line.minutes <= 0:
        return line.quantity if line.start_date == day else ZERO
    minutes = Decimal((line.day_minutes or {}).get(day.isoformat(), "0"))
    return line.quantity * minutes / line.minutes


def _rate(defects: Decimal, good: Decimal) -> Decimal | None:
    made = good + defects
    return (defects / made).quantize(RATE_PLACES) if made > 0 else None


@dataclass
class StepProgress:
    line: PlanLine
    planned_to_date: Decimal = ZERO
    good: Decimal = ZERO
    defects: Decimal = ZERO
    hours: Decimal = ZERO

    @property
    def behind(self) -> Decimal:
        return max(ZERO, self.planned_to_date - self.good)


@dataclass
class OrderProgress:
    order_line: object
    quantity: Decimal
    due_date: dt.date
    end_date: dt.date | None
    steps: list[StepProgress]
    finished: Decimal = ZERO
    received: Decimal = ZERO
    threshold: Decimal = DEFAULT_THRESHOLD

    @property
    def planned_to_date(self) -> Decimal:
        return self.steps[-1].planned_to_date if self.steps else ZERO

    @property
    def behind(self) -> Decimal:
        return max(ZERO, self.planned_to_date - self.finished)

    @property
    def behind_ratio(self) -> Decimal:
        return (self.behind / self.quantity).quantize(RATE_PLACES) if self.quantity else ZERO

    @property
    def is_behind(self) -> bool:
        return self.behind > 0 and self.behind_ratio > self.threshold

    @property
    def attainment(self) -> Decimal | None:
        if self.planned_to_date <= 0:
            return None
        return (self.finished / self.planned_to_date).quantize(RATE_PLACES)

    @property
    def to_receive(self) -> Decimal:
        return max(ZERO, self.finished - self.received)

    @property
    def work_order(self):
        return self.steps[-1].line.work_order if self.steps else None


def _in_force_lines(order_line_ids: Iterable[int] | None, machine_id: int | None = None):
    lines = PlanLine.objects.filter(
        plan__status=PlanStatus.APPROVED, start_date__isnull=False
    ).select_related(
        "order_line__order__customer",
        "order_line__item",
        "item",
        "process",
        "work_center",
        "work_order",
        "plan",
    )
    if order_line_ids is not None:
        lines = lines.filter(order_line_id__in=list(order_line_ids))
    if machine_id is not None:
        lines = lines.filter(work_center_id=machine_id)
    return list(lines.order_by("order_line__order__order_no", "order_line__line", "seq"))


def order_progress(
    *,
    as_of: dt.date,
    threshold: Decimal = DEFAULT_THRESHOLD,
    order_line_ids: Iterable[int] | None = None,
    order_no: str = "",
) -> list[OrderProgress]:
    """Planned vs actual per order line of the plans in force, as of the end of `as_of`."""
    lines = _in_force_lines(order_line_ids)
    if order_no:
        lines = [pl for pl in lines if pl.order_line.order.order_no == order_no]
    by_order_line: dict[int, list[PlanLine]] = defaultdict(list)
    for pl in lines:
        by_order_line[pl.order_line_id].append(pl)
    ids = list(by_order_line)
    reported: dict[tuple[int, int], dict] = {}
    for row in (
        DailyReport.objects.filter(order_line_id__in=ids, date__lte=as_of)
        .values("order_line_id", "process_id")
        .annotate(good=Sum("good_quantity"), defects=Sum("defect_quantity"), hours=Sum("hours"))
    ):
        reported[(row["order_line_id"], row["process_id"])] = row
    last = {}
    item_ids = {pls[0].item_id for pls in by_order_line.values()}
    for item_id, process_id in (
        Routing.objects.filter(item_id__in=item_ids)
        .order_by("item_id", "seq")
        .values_list("item_id", "process_id")
    ):
        last[item_id] = process_id
    wo_line = {
        pl.work_order_id: pl.order_line_id
        for pls in by_order_line.values()
        for pl in pls
        if pl.work_order_id
    }
    received: dict[int, Decimal] = defaultdict(Decimal)
    for ol_id, wo_id, quantity in FinishedGoodsReceipt.objects.filter(
        Q(order_line_id__in=ids) | Q(work_order_id__in=list(wo_line))
    ).values_list("order_line_id", "work_order_id", "quantity"):
        target = ol_id if ol_id in by_order_line else wo_line.get(wo_id)
        if target is not None:
            received[target] += quantity

    result = []
    for order_line_id, pls in by_order_line.items():
        steps: dict[tuple, StepProgress] = {}
        for pl in pls:
            key = (pl.item_id, pl.seq)  # a step split by an adjustment counts once
            if key in steps:
                steps[key].planned_to_date += planned_by(pl, as_of)
                continue
            got = reported.get((order_line_id, pl.process_id), {})
            steps[key] = StepProgress(
                pl,
                planned_by(pl, as_of),
                got.get("good") or ZERO,
                got.get("defects") or ZERO,
                got.get("hours") or ZERO,
            )
        first = pls[0]
        first_key = (first.item_id, first.seq)
        finished_process = last.get(first.item_id)
        finished = (reported.get((order_line_id, finished_process)) or {}).get("good") or ZERO
        result.append(
            OrderProgress(
                order_line=first.order_line,
                quantity=sum(
                    (pl.quantity for pl in pls if (pl.item_id, pl.seq) == first_key), ZERO
                ),
                due_date=first.due_date,
                end_date=max(pl.end_date for pl in pls),
                steps=list(steps.values()),
                finished=finished,
                received=received.get(order_line_id, ZERO),
                threshold=threshold,
            )
        )
    return result


@dataclass
class MachineDay:
    machine: object
    day: dt.date
    planned_minutes: Decimal = ZERO
    planned_quantity: Decimal = ZERO
    good: Decimal = ZERO
    defects: Decimal = ZERO
    hours: Decimal = ZERO

    @property
    def planned_hours(self) -> Decimal:
        return to_hours(self.planned_minutes)

    @property
    def attainment(self) -> Decimal | None:
        if self.planned_quantity <= 0:
            return None
        return (self.good / self.planned_quantity).quantize(RATE_PLACES)


def machine_days(*, start: dt.date, end: dt.date) -> list[MachineDay]:
    """Per machine and day between start and end: planned (plans in force) against
    reported good output and hours."""
    rows: dict[tuple[int, dt.date], MachineDay] = {}

    def row(machine, day) -> MachineDay:
        key = (machine.pk, day)
        if key not in rows:
            rows[key] = MachineDay(machine, day)
        return rows[key]

    lines = (
        PlanLine.objects.filter(
            plan__status=PlanStatus.APPROVED, start_date__lte=end, end_date__gte=start
        )
        .select_related("work_center")
        .order_by()
    )
    for pl in lines:
        for iso, minutes in (pl.day_minutes or {}).items():
            day = dt.date.fromisoformat(iso)
            if start <= day <= end:
                r = row(pl.work_center, day)
                r.planned_minutes += Decimal(minutes)
                r.planned_quantity += planned_on(pl, day)
    for report in DailyReport.objects.filter(date__gte=start, date__lte=end).select_related(
        "work_center"
    ):
        r = row(report.work_center, report.date)
        r.good += report.good_quantity
        r.defects += report.defect_quantity
        r.hours += report.hours
    return sorted(rows.values(), key=lambda r: (r.day, r.machine.code))


@dataclass
class ProcessDefects:
    process: Process
    good: Decimal = ZERO
    defects: Decimal = ZERO
    reasons: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.defects, self.good)

    @property
    def control(self) -> Decimal:
        return self.process.defect_rate

    @property
    def above(self) -> bool:
        return self.rate is not None and self.rate > self.control


def defect_rates(
    *, start: dt.date, end: dt.date, order_line_ids: Iterable[int] | None = None
) -> list[ProcessDefects]:
    """Actual defect rate per process between start and end against the control table."""
    reports = DailyReport.objects.filter(date__gte=start, date__lte=end)
    if order_line_ids is not None:
        reports = reports.filter(order_line_id__in=list(order_line_ids))
    totals = {
        row["process_id"]: row
        for row in reports.values("process_id").annotate(
            good=Sum("good_quantity"), defects=Sum("defect_quantity")
        )
    }
    processes = Process.objects.in_bulk(list(totals))
    result = {
        pid: ProcessDefects(processes[pid], row["good"] or ZERO, row["defects"] or ZERO)
        for pid, row in totals.items()
    }
    for process_id, reason, quantity in (
        DailyDefect.objects.filter(report__in=reports)
        .values("report__process_id", "reason")
        .annotate(total=Sum("quantity"))
        .values_list("report__process_id", "reason", "total")
    ):
        result[process_id].reasons[reason] = quantity
    return sorted(result.values(), key=lambda r: r.process.code)


def day_summary(*, day: dt.date) -> list[DailyReport]:
    """The day's reports, per process and machine, with their defects by reason."""
    return list(
        DailyReport.objects.filter(date=day)
        .select_related(
            "process", "work_center", "order_line__order", "order_line__item", "work_order__item"
        )
        .prefetch_related("defects")
        .order_by(
            "process__code", "work_center__code", "order_line__order__order_no", "work_order__wo_no"
        )
    )
