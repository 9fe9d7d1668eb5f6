"""On-time delivery (确保客户交期): the share of order lines shipped in full on or before
their promised date.

- The promised date is the line's due date as it stands now, so a due-date change notice
  (变更) moves the promise.
- A line is measured once it is decided: its promised date has passed (before today) or it
  is shipped in full. Lines of draft and cancelled orders and cancelled lines are not
  promises; a line closed short by a change notice counts for what was shipped.
- On time: the quantity shipped up to and including the promised date covers the line.
  Late: shipped after it, or still open after it.
- By the month of the promised date and by customer; all in SQL (one correlated sum per
  line, aggregated in the database)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from orders.models import LineStatus, OrderStatus, SalesOrderLine, Shipment
from reports.exports import Period
from reports.profit.amounts import ratio

QUANTITY = DecimalField(max_digits=18, decimal_places=6)
NOT_PROMISED = (OrderStatus.DRAFT, OrderStatus.CANCELLED)


@dataclass(frozen=True)
class OnTime:
    """Counts of measured order lines; rate None when nothing was measured."""

    lines: int
    on_time: int
    late_shipped: int
    late_open: int
    label: str = ""
    month: dt.date | None = None
    customer_id: int | None = None
    code: str = ""
    name: str = ""

    @property
    def late(self) -> int:
        return self.lines - self.on_time

    @property
    def rate(self) -> Decimal | None:
        return ratio(Decimal(self.on_time), Decimal(self.lines))


def _shipped_by_due_date() -> Coalesce:
    shipped = (
        Shipment.objects.filter(order_line=OuterRef("pk"), ship_date__lte=OuterRef("due_date"))
        .order_by()
        .values("order_line")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(
        Subquery(shipped, output_field=QUANTITY), Value(Decimal(0)), output_field=QUANTITY
    )


def measured_lines(*, period: Period, today: dt.date | None = None) -> QuerySet[SalesOrderLine]:
    """The decided order lines promised within the period, each annotated with `required`
    and `shipped_by_due`."""
    today = today or timezone.localdate()
    required = Case(
        When(status=LineStatus.CLOSED, then=F("shipped_quantity")),
        default=F("quantity"),
        output_field=QUANTITY,
    )
    lines = (
        SalesOrderLine.objects.exclude(status=LineStatus.CANCELLED)
        .exclude(order__status__in=NOT_PROMISED)
        .annotate(required=required)
        .filter(required__gt=0)
    )
    if period.start:
        lines = lines.filter(due_date__gte=period.start)
    if period.end:
        lines = lines.filter(due_date__lte=period.end)
    lines = lines.filter(Q(due_date__lt=today) | Q(shipped_quantity__gte=F("required")))
    return lines.annotate(shipped_by_due=_shipped_by_due_date())


def _counts() -> dict:
    def count_if(condition: Q) -> Coalesce:
        return Coalesce(
            Sum(
                Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            ),
            Value(0),
        )

    on_time = Q(shipped_by_due__gte=F("required"))
    return {
        "n_lines": Count("id"),
        "n_on_time": count_if(on_time),
        "n_late_open": count_if(~on_time & Q(shipped_quantity__lt=F("required"))),
    }


def _row(values: dict, **extra) -> OnTime:
    late_open = values["n_late_open"] or 0
    on_time = values["n_on_time"] or 0
    lines = values["n_lines"] or 0
    return OnTime(
        lines=lines,
        on_time=on_time,
        late_open=late_open,
        late_shipped=lines - on_time - late_open,
        **extra,
    )


def on_time_total(*, period: Period, today: dt.date | None = None) -> OnTime:
    """The factory's on-time delivery over the period (one query)."""
    return _row(measured_lines(period=period, today=today).aggregate(**_counts()))


def on_time_by_month(*, period: Period, today: dt.date | None = None) -> list[OnTime]:
    """Per calendar month of the promised date, oldest first (one query)."""
    rows = (
        measured_lines(period=period, today=today)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("month")
        .annotate(**_counts())
        .order_by("month")
    )
    return [_row(r, month=r["month"], label=f"{r['month']:%Y-%m}") for r in rows]


def on_time_by_customer(*, period: Period, today: dt.date | None = None) -> QuerySet:
    """Per customer, the most late lines first (a values queryset: page it, then `as_rows`)."""
    return (
        measured_lines(period=period, today=today)
        .order_by()
        .values("order__customer_id", "order__customer__code", "order__customer__name")
        .annotate(**_counts())
        .annotate(n_late=F("n_lines") - F("n_on_time"))
        .order_by("-n_late", "order__customer__code")
    )


def as_rows(values) -> list[OnTime]:
    return [
        _row(
            r,
            customer_id=r["order__customer_id"],
            code=r["order__customer__code"],
            name=r["order__customer__name"],
            label=r["order__customer__code"],
        )
        for r in values
    ]
