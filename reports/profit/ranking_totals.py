"""The totals a ranking run needs, in three aggregates over date ranges of the shipments
(each a parallel hash aggregate on PostgreSQL; the benchmark asks the whole run to stay
within 3x of one bare aggregation over the table):

- per customer: revenue and cost of the tier year, profit of the year before, whether it
  shipped in the tier year and in the two years before it (the lifecycle's window);
- per month: the factory's revenue and cost over the months the dashboard shows;
- per item: quantity, revenue and cost of the tier year (the product table).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from reports.profit.amounts import ZERO, cost_of, profit_of, revenue_of, total
from reports.profit.selectors import CUSTOMER, ITEM, shipments_between

TREND_MONTHS = 24
LOOKBACK_YEARS = 2  # "bought before" looks this many years before the tier year


@dataclass(frozen=True)
class CustomerYears:
    customer_id: int
    revenue: Decimal  # tier year
    cost: Decimal
    previous_profit: Decimal  # the year before
    shipped: bool  # in the tier year
    shipped_before: bool  # in the LOOKBACK_YEARS before it

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.cost


@dataclass(frozen=True)
class MonthTotal:
    month: dt.date
    revenue: Decimal
    cost: Decimal


@dataclass(frozen=True)
class ItemYear:
    item_id: int
    quantity: Decimal
    revenue: Decimal
    cost: Decimal


def without_jit() -> None:
    """PostgreSQL's JIT compiles each big aggregate for about a second and gains nothing
    here; switched off for the rest of the current transaction only."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def customer_years(year: int) -> list[CustomerYears]:
    start, previous = dt.date(year, 1, 1), dt.date(year - 1, 1, 1)
    in_year = Q(ship_date__gte=start)
    in_previous = Q(ship_date__gte=previous, ship_date__lt=start)
    rows = (
        shipments_between(start=dt.date(year - LOOKBACK_YEARS, 1, 1), end=dt.date(year, 12, 31))
        .values(customer_id=F(f"{CUSTOMER}_id"))
        .annotate(
            revenue=total(revenue_of(), filter=in_year),
            cost=total(cost_of(), filter=in_year),
            previous_profit=total(profit_of(), filter=in_previous),
            shipments=Count("id", filter=in_year),
            shipments_before=Count("id", filter=Q(ship_date__lt=start)),
        )
        .order_by()
    )
    return [
        CustomerYears(
            customer_id=r["customer_id"],
            revenue=r["revenue"],
            cost=r["cost"],
            previous_profit=r["previous_profit"],
            shipped=r["shipments"] > 0,
            shipped_before=r["shipments_before"] > 0,
        )
        for r in rows
    ]


def trend_start(as_of: dt.date) -> dt.date:
    """The first day of the oldest month the trend shows (as_of's month is the last)."""
    months = as_of.year * 12 + as_of.month - 1 - (TREND_MONTHS - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def month_totals(as_of: dt.date) -> list[MonthTotal]:
    rows = (
        shipments_between(start=trend_start(as_of), end=as_of)
        .annotate(month=TruncMonth("ship_date"))
        .values("month")
        .annotate(revenue=total(revenue_of()), cost=total(cost_of()))
        .order_by("month")
    )
    return [MonthTotal(**row) for row in rows]


def item_years(year: int) -> list[ItemYear]:
    rows = (
        shipments_between(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        .values(item_id=F(f"{ITEM}_id"))
        .annotate(revenue=total(revenue_of()), cost=total(cost_of()))
        .annotate(quantity=total(F("quantity")))  # after: it shadows the shipment's field
        .order_by()
    )
    return [ItemYear(**row) for row in rows]


NO_SHIPMENTS = CustomerYears(0, ZERO, ZERO, ZERO, False, False)
