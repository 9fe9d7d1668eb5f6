"""Purchase lead time: days from the purchase order's date to each goods receipt against
it, over the receipts of a period, on average and per supplier; with the share of receipts
that came after the line's due date. Aggregated in SQL."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)

from materials.models import GoodsReceipt
from reports.exports import Period
from reports.profit.amounts import ratio

TENTH = Decimal("0.1")


def days_of(duration: dt.timedelta | None) -> Decimal | None:
    """A duration in days with one decimal (exact, no floats)."""
    if duration is None:
        return None
    seconds = Decimal(duration.days * 86400 + duration.seconds) + Decimal(
        duration.microseconds
    ) / Decimal(1_000_000)
    return (seconds / Decimal(86400)).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LeadTime:
    receipts: int
    average_days: Decimal | None
    shortest_days: Decimal | None
    longest_days: Decimal | None
    late: int
    supplier_id: int | None = None
    code: str = ""
    name: str = ""

    @property
    def late_share(self) -> Decimal | None:
        return ratio(Decimal(self.late), Decimal(self.receipts))


def _receipts(period: Period) -> QuerySet[GoodsReceipt]:
    receipts = GoodsReceipt.objects.all()
    if period.start:
        receipts = receipts.filter(receipt_date__gte=period.start)
    if period.end:
        receipts = receipts.filter(receipt_date__lte=period.end)
    return receipts.annotate(
        lead=ExpressionWrapper(
            F("receipt_date") - F("purchase_line__purchase_order__order_date"),
            output_field=DurationField(),
        )
    )


def _figures() -> dict:
    return {
        "n_receipts": Count("id"),
        "avg_lead": Avg("lead"),
        "min_lead": Min("lead"),
        "max_lead": Max("lead"),
        "n_late": Count("id", filter=Q(receipt_date__gt=F("purchase_line__due_date"))),
    }


def _row(values: dict, **extra) -> LeadTime:
    return LeadTime(
        receipts=values["n_receipts"] or 0,
        average_days=days_of(values["avg_lead"]),
        shortest_days=days_of(values["min_lead"]),
        longest_days=days_of(values["max_lead"]),
        late=values["n_late"] or 0,
        **extra,
    )


def lead_time_total(*, period: Period) -> LeadTime:
    """Over every receipt of the period (one query)."""
    return _row(_receipts(period).aggregate(**_figures()))


def lead_time_by_supplier(*, period: Period) -> QuerySet:
    """Per supplier, the slowest first (a values queryset: page it, then `as_rows`)."""
    supplier = "purchase_line__purchase_order__supplier"
    return (
        _receipts(period)
        .order_by()
        .values(f"{supplier}_id", f"{supplier}__code", f"{supplier}__name")
        .annotate(**_figures())
        .order_by(F("avg_lead").desc(nulls_last=True), f"{supplier}__code")
    )


def as_rows(values) -> list[LeadTime]:
    supplier = "purchase_line__purchase_order__supplier"
    return [
        _row(
            r,
            supplier_id=r[f"{supplier}_id"],
            code=r[f"{supplier}__code"],
            name=r[f"{supplier}__name"],
        )
        for r in values
    ]
