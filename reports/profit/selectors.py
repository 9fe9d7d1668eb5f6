"""Profit contribution (CONTRACT.md section 5), aggregated in SQL: by customer (the
ranking), by product (成本利润分析表), by month, and a customer's orders and products.
A shipment belongs to the period of its ship_date; `start` and `end` are inclusive and
either may be open."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import ExpressionWrapper, F, QuerySet
from django.db.models.functions import Collate, TruncMonth

from orders.models import Shipment
from reports.profit.amounts import cost_of, ratio, revenue_of, total, total_field

CUSTOMER = "order_line__order__customer"
ITEM = "order_line__item"


def by_code(field: str = "code"):
    """Codes in character (code point) order whatever the database's locale, so that SQL
    and Python (`sorted`) agree on ties."""
    if connection.vendor == "postgresql":
        return Collate(field, "C")
    return F(field)  # SQLite compares text by code point already


def ranking_order() -> tuple:
    """Rankings order by profit descending, then revenue descending, then code."""
    return ("-profit", "-revenue", by_code())


@dataclass(frozen=True)
class CustomerProfit:
    customer_id: int
    code: str
    name: str
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    rank: int


@dataclass(frozen=True)
class ProductProfit:
    item_id: int
    code: str
    name: str
    uom: str
    decimals: int
    quantity: Decimal
    revenue: Decimal
    cost: Decimal
    profit: Decimal

    @property
    def profit_cost_ratio(self) -> Decimal | None:
        """成本利润率: profit / cost; None when the cost is 0."""
        return ratio(self.profit, self.cost)

    @property
    def profit_sales_ratio(self) -> Decimal | None:
        """销售利润率: profit / revenue; None when the revenue is 0."""
        return ratio(self.profit, self.revenue)

    @property
    def average_price(self) -> Decimal | None:
        return None if self.quantity == 0 else self.revenue / self.quantity

    @property
    def average_cost(self) -> Decimal | None:
        return None if self.quantity == 0 else self.cost / self.quantity


@dataclass(frozen=True)
class MonthProfit:
    month: dt.date
    revenue: Decimal
    cost: Decimal
    profit: Decimal


def shipments_between(start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    shipments = Shipment.objects.all()
    if start is not None:
        shipments = shipments.filter(ship_date__gte=start)
    if end is not None:
        shipments = shipments.filter(ship_date__lte=end)
    return shipments


def _with_money(grouped: QuerySet) -> QuerySet:
    return grouped.annotate(revenue=total(revenue_of()), cost=total(cost_of())).annotate(
        profit=_profit()
    )


def _profit() -> ExpressionWrapper:
    return ExpressionWrapper(F("revenue") - F("cost"), output_field=total_field())


def customer_profit(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    customer_ids: Iterable[int] | None = None,
) -> list[CustomerProfit]:
    """Every customer with a shipment in the period, ranked (rank 1 earns the most).
    Narrowed to `customer_ids`, the ranks are those among them."""
    shipments = shipments_between(start, end)
    if customer_ids is not None:
        shipments = shipments.filter(**{f"{CUSTOMER}_id__in": list(customer_ids)})
    rows = _with_money(
        shipments.values(
            customer_id=F(f"{CUSTOMER}_id"),
            code=F(f"{CUSTOMER}__code"),
            name=F(f"{CUSTOMER}__name"),
        )
    ).order_by(*ranking_order())
    return [CustomerProfit(**row, rank=rank) for rank, row in enumerate(rows, start=1)]


def product_profit(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    customer_id: int | None = None,
    item_ids: Iterable[int] | None = None,
    salesperson_id: int | None = None,
) -> list[ProductProfit]:
    """Every item shipped in the period, by item code; narrowed to one customer, to some
    items, or to the customers one salesperson looks after."""
    shipments = shipments_between(start, end)
    if customer_id is not None:
        shipments = shipments.filter(**{f"{CUSTOMER}_id": customer_id})
    if item_ids is not None:
        shipments = shipments.filter(**{f"{ITEM}_id__in": list(item_ids)})
    if salesperson_id is not None:
        shipments = shipments.filter(**{f"{CUSTOMER}__salesperson_id": salesperson_id})
    rows = (
        _with_money(
            shipments.values(
                item_id=F(f"{ITEM}_id"),
                code=F(f"{ITEM}__code"),
                name=F(f"{ITEM}__name"),
                uom=F(f"{ITEM}__uom"),
                decimals=F(f"{ITEM}__decimals"),
            )
        )
        .annotate(quantity=total(F("quantity")))
        .order_by(by_code())
    )
    return [ProductProfit(**row) for row in rows]


def monthly_profit(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    customer_id: int | None = None,
) -> list[MonthProfit]:
    """Revenue, cost and profit per calendar month of ship_date, oldest first."""
    shipments = shipments_between(start, end)
    if customer_id is not None:
        shipments = shipments.filter(**{f"{CUSTOMER}_id": customer_id})
    rows = _with_money(shipments.annotate(month=TruncMonth("ship_date")).values("month")).order_by(
        "month"
    )
    return [MonthProfit(**row) for row in rows]


def customer_monthly_profit(
    *, customer_ids: Iterable[int], start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, dict[dt.date, Decimal]]:
    """customer id -> month -> profit, for comparing customers side by side."""
    shipments = shipments_between(start, end).filter(**{f"{CUSTOMER}_id__in": list(customer_ids)})
    rows = _with_money(
        shipments.annotate(month=TruncMonth("ship_date")).values(
            "month", customer_id=F(f"{CUSTOMER}_id")
        )
    ).order_by("customer_id", "month")
    result: dict[int, dict[dt.date, Decimal]] = {}
    for row in rows:
        result.setdefault(row["customer_id"], {})[row["month"]] = row["profit"]
    return result


def order_profit(
    *, customer_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict]:
    """A customer's shipped orders with their revenue, cost and profit, latest first."""
    shipments = shipments_between(start, end).filter(**{f"{CUSTOMER}_id": customer_id})
    return list(
        _with_money(
            shipments.values(
                order_no=F("order_line__order__order_no"),
                order_date=F("order_line__order__order_date"),
            )
        ).order_by("-order_date", "-order_no")
    )
