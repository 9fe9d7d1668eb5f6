"""Reads behind the key-customer monthly portfolio: the month's candidate order lines with
their flags (key customer, marginal income, load per machine, income per bottleneck hour),
the machines' capacity per week of the month, the old accepted orders never produced, and
plan vs. actual for the month. No writes."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from materials.models import WorkCenter
from orders.models import LineStatus, SalesOrderLine, Shipment
from orders.states import OPEN_STATES
from production.models import (
    DailyReport,
    FinishedGoodsReceipt,
    PlanLine,
    Portfolio,
    StaleDealDecision,
)
from production.planning.calendar import ZERO, capacity_minutes, days
from production.planning.candidates import routings_of, step_minutes
from production.planning.capacity import lost_minutes, machine_day
from production.planning.portfolio import Candidate, Capacity
from production.planning.progress import RATE_PLACES

NEVER_PRODUCED_DAYS = 60


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def week_of(day: dt.date, first: dt.date, weeks: int) -> int:
    """The 7-day bucket of the month a due date falls in (overdue: the first)."""
    return min(max((day - first).days // 7, 0), weeks - 1)


def month_capacity(month: dt.date) -> tuple[Capacity, list[WorkCenter]]:
    """Per machine, the capacity minutes from the month's first day to the end of each of
    its 7-day weeks (the last one ends with the month), downtime deducted."""
    first, last = month_bounds(month)
    weeks = (last.day + 6) // 7
    machines = list(WorkCenter.objects.order_by("code"))
    lost = lost_minutes([m.pk for m in machines], first, last)
    capacity: Capacity = {}
    for machine in machines:
        spec = machine_day(machine)
        per_week = [ZERO] * weeks
        for day in days(first, last):
            per_week[week_of(day, first, weeks)] += capacity_minutes(spec, day, lost)
        running, cumulative = ZERO, []
        for minutes in per_week:
            running += minutes
            cumulative.append(running)
        capacity[machine.pk] = cumulative
    return capacity, machines


@dataclass
class CandidateLine:
    order_line: SalesOrderLine
    quantity: Decimal
    income: Decimal
    load: dict[int, Decimal]  # machine id -> minutes


def month_candidates(month: dt.date) -> list[CandidateLine]:
    """Open lines of confirmed orders due by the month's end with something left to ship."""
    _first, last = month_bounds(month)
    lines = list(
        SalesOrderLine.objects.filter(
            status=LineStatus.OPEN,
            order__status__in=OPEN_STATES,
            shipped_quantity__lt=F("quantity"),
            due_date__lte=last,
        )
        .select_related("order__customer__salesperson", "item")
        .order_by("due_date", "order__order_no", "line")
    )
    steps = routings_of(line.item_id for line in lines)
    result = []
    for line in lines:
        quantity = line.quantity - line.shipped_quantity
        load: dict[int, Decimal] = defaultdict(Decimal)
        for routing in steps.get(line.item_id, []):
            load[routing.work_center_id] += step_minutes(routing, quantity)
        income = (line.unit_price - line.item.standard_cost) * quantity
        result.append(CandidateLine(line, quantity, income, dict(load)))
    return result


def optimizer_input(
    lines: list[CandidateLine], month: dt.date, forces: dict[int, str], weeks: int
) -> list[Candidate]:
    first, _last = month_bounds(month)
    return [
        Candidate(
            key=c.order_line.pk,
            key_account=c.order_line.order.customer.key_account,
            income=c.income,
            bucket=week_of(c.order_line.due_date, first, weeks),
            load=c.load,
            force=forces.get(c.order_line.pk, ""),
            tiebreak=(c.order_line.due_date, c.order_line.order.order_no, c.order_line.line),
        )
        for c in lines
    ]


def never_produced(
    *, older_than_days: int = NEVER_PRODUCED_DAYS, today: dt.date | None = None
) -> list[SalesOrderLine]:
    """Old accepted order lines nothing was ever done for: confirmed more than
    `older_than_days` ago, still open, nothing shipped, no daily report, no finished goods
    received, no work order with output. Candidates to clean up with the customer; a line
    kept (production.services.stale_deals) comes back when the decision is that old."""
    today = today or timezone.localdate()
    before = today - dt.timedelta(days=older_than_days)
    done = Q(daily_reports__isnull=False) | Q(finished_receipts__isnull=False)
    made = PlanLine.objects.filter(work_order__completed_quantity__gt=0).values("order_line_id")
    kept = StaleDealDecision.objects.filter(
        decision=StaleDealDecision.Decision.KEEP, created_at__date__gt=before
    ).values("order_line_id")
    return list(
        SalesOrderLine.objects.filter(
            status=LineStatus.OPEN,
            order__status__in=OPEN_STATES,
            order__order_date__lte=before,
            shipped_quantity=0,
        )
        .exclude(done)
        .exclude(pk__in=made)
        .exclude(pk__in=kept)
        .select_related("order__customer__salesperson", "item")
        .distinct()
        .order_by("order__order_date", "order__order_no", "line")
    )


@dataclass
class MonthActual:
    line: object  # PortfolioLine
    finished: Decimal = ZERO
    shipped: Decimal = ZERO

    @property
    def attainment(self) -> Decimal | None:
        planned = self.line.quantity
        return (self.finished / planned).quantize(RATE_PLACES) if planned > 0 else None


def plan_vs_actual(*, portfolio: Portfolio) -> list[MonthActual]:
    """For every line in the portfolio: finished in the month (good output of its last
    routing step, or finished goods received when it has no routing) and shipped in the
    month, against its planned quantity."""
    first, last = month_bounds(portfolio.month)
    lines = list(
        portfolio.lines.filter(included=True).select_related(
            "order_line__order__customer", "order_line__item", "salesperson"
        )
    )
    ids = [pl.order_line_id for pl in lines]
    item_ids = {pl.order_line.item_id for pl in lines}
    last_step = {}
    for item_id, routings in routings_of(item_ids).items():
        last_step[item_id] = routings[-1].process_id
    good = defaultdict(Decimal)
    for ol_id, process_id, total in (
        DailyReport.objects.filter(order_line_id__in=ids, date__gte=first, date__lte=last)
        .values("order_line_id", "process_id")
        .annotate(total=Sum("good_quantity"))
        .values_list("order_line_id", "process_id", "total")
    ):
        good[(ol_id, process_id)] += total
    received = dict(
        FinishedGoodsReceipt.objects.filter(
            order_line_id__in=ids, created_at__date__gte=first, created_at__date__lte=last
        )
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_line_id", "total")
    )
    shipped = dict(
        Shipment.objects.filter(order_line_id__in=ids, ship_date__gte=first, ship_date__lte=last)
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_line_id", "total")
    )
    result = []
    for pl in lines:
        process = last_step.get(pl.order_line.item_id)
        finished = (
            good.get((pl.order_line_id, process), ZERO)
            if process
            else received.get(pl.order_line_id, ZERO)
        )
        result.append(MonthActual(pl, finished, shipped.get(pl.order_line_id, ZERO)))
    return result
