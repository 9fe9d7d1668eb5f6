"""Stock value and inventory turns, by item kind (raw material, semi-finished, finished).

- Stock value now = sum of quantity x unit cost over every balance (usable, quarantine and
  inspection hold); a balance without a cost is valued at the item's standard cost.
- The value at the end of an earlier day is the value now less the ledger moves since then
  (each move valued at its own unit cost, the same fallback). Revaluations of the average
  cost are not moves, so earlier values are close, not exact.
- Issued = stock leaving to production or customers over the period: picks, replenishments
  and shipments, less returns from production, at their cost.
- Average stock value = the mean of the value before the period, at every month end inside
  it and at its end; turns = issued / average stock value (None when there was no stock).

Two queries whatever the size of the ledger: balances by kind, moves by day and kind."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from materials.models import ItemKind, MoveKind, StockBalance, StockMove
from reports.exports import Period
from reports.kpi.periods import bounded

MONEY = DecimalField(max_digits=28, decimal_places=10)
ZERO = Decimal(0)
CENT = Decimal("0.01")
ISSUES = (MoveKind.PICK, MoveKind.REPLENISH, MoveKind.SHIPMENT, MoveKind.RETURN)


@dataclass
class StockTurns:
    kind: str
    label: str
    value_now: Decimal = ZERO
    issued: Decimal = ZERO
    average_value: Decimal = ZERO
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    days: int = 0

    @property
    def turns(self) -> Decimal | None:
        if self.average_value <= 0:
            return None
        return (self.issued / self.average_value).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def annual_turns(self) -> Decimal | None:
        """Turns at this pace over a whole year."""
        if self.turns is None or not self.days:
            return None
        yearly = self.issued * Decimal(365) / Decimal(self.days) / self.average_value
        return yearly.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def days_of_stock(self) -> Decimal | None:
        """How many days the average stock lasts at the period's rate of issue."""
        if self.issued <= 0 or not self.days:
            return None
        return (self.average_value * Decimal(self.days) / self.issued).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class Inventory:
    period: Period
    kinds: list[StockTurns]
    total: StockTurns


def _cost(prefix: str = "") -> Case:
    return Case(
        When(**{f"{prefix}unit_cost__gt": 0}, then=F(f"{prefix}unit_cost")),
        default=F(f"{prefix}item__standard_cost"),
        output_field=MONEY,
    )


def stock_value_by_kind() -> dict[str, Decimal]:
    """Value of the stock now per item kind (one query)."""
    rows = (
        StockBalance.objects.filter(quantity__gt=0)
        .order_by()
        .values("item__kind")
        .annotate(value=Sum(F("quantity") * _cost(), output_field=MONEY))
    )
    return {r["item__kind"]: r["value"] or ZERO for r in rows}


def stock_value() -> Decimal:
    return sum(stock_value_by_kind().values(), ZERO)


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    ends, month = [], start.replace(day=1)
    while True:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        if last >= end:
            return ends
        if last >= start:
            ends.append(last)
        month = following


def inventory_turns(*, period: Period, today: dt.date | None = None) -> Inventory:
    """Stock value now and the turns over the period, per item kind and in total."""
    today = today or timezone.localdate()
    period = bounded(period, today=today)
    end = min(period.end, today)
    start = min(period.start, end)
    now = stock_value_by_kind()
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    moves = (
        StockMove.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day", "item__kind")
        .annotate(
            net=Sum(F("quantity") * _cost(), output_field=MONEY),
            out=Coalesce(
                Sum(
                    -F("quantity") * _cost(),
                    filter=Q(kind__in=ISSUES) & Q(created_at__lt=until),
                    output_field=MONEY,
                ),
                ZERO,
                output_field=MONEY,
            ),
        )
    )
    net: dict[str, list[tuple[dt.date, Decimal]]] = {}
    issued: dict[str, Decimal] = {}
    for row in moves:
        net.setdefault(row["item__kind"], []).append((row["day"], row["net"] or ZERO))
        issued[row["item__kind"]] = issued.get(row["item__kind"], ZERO) + row["out"]
    days = (end - start).days + 1
    dates = [start - dt.timedelta(days=1), *_month_ends(start, end), end]

    def turns_of(kind: str, label: str, kinds: list[str]) -> StockTurns:
        value_now = sum((now.get(k, ZERO) for k in kinds), ZERO)
        changes = [change for k in kinds for change in net.get(k, [])]
        points = [
            (on, value_now - sum((v for day, v in changes if day > on), ZERO)) for on in dates
        ]
        average = sum((v for _on, v in points), ZERO) / len(points)
        return StockTurns(
            kind=kind,
            label=label,
            value_now=value_now,
            issued=sum((issued.get(k, ZERO) for k in kinds), ZERO),
            average_value=average.quantize(CENT, rounding=ROUND_HALF_UP),
            points=points,
            days=days,
        )

    kinds = [turns_of(value, str(label), [value]) for value, label in ItemKind.choices]
    total = turns_of("", "", [value for value, _label in ItemKind.choices])
    return Inventory(period=Period(start=start, end=end), kinds=kinds, total=total)
