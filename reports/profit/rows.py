"""The rows of the profit reports (CONTRACT.md section 6) as the command line, the REST API
and the Excel downloads give them: amounts as exact decimal strings, ratios as strings with
RATIO_PLACES places (half-up) or None."""

import datetime as dt

from reports.profit.amounts import money_text, quantity_text, ratio_text
from reports.profit.selectors import customer_profit, monthly_profit, product_profit
from reports.profit.tiers import customer_tiers

CUSTOMER_PROFIT_FIELDS = ("customer", "revenue", "cost", "profit", "rank")
PRODUCT_PROFIT_FIELDS = (
    "item",
    "quantity",
    "revenue",
    "cost",
    "profit",
    "profit_cost_ratio",
    "profit_sales_ratio",
)
CUSTOMER_TIER_FIELDS = ("customer", "tier", "loss_making", "overridden")


def customer_profit_rows(*, start: dt.date | None, end: dt.date | None) -> list[dict]:
    return [
        {
            "customer": row.code,
            "revenue": money_text(row.revenue),
            "cost": money_text(row.cost),
            "profit": money_text(row.profit),
            "rank": row.rank,
        }
        for row in customer_profit(start=start, end=end)
    ]


def product_profit_rows(*, start: dt.date | None, end: dt.date | None) -> list[dict]:
    return [
        {
            "item": row.code,
            "quantity": quantity_text(row.quantity, row.decimals),
            "revenue": money_text(row.revenue),
            "cost": money_text(row.cost),
            "profit": money_text(row.profit),
            "profit_cost_ratio": ratio_text(row.profit_cost_ratio),
            "profit_sales_ratio": ratio_text(row.profit_sales_ratio),
        }
        for row in product_profit(start=start, end=end)
    ]


def customer_tier_rows(*, as_of: dt.date | None) -> list[dict]:
    return [
        {
            "customer": row.code,
            "tier": row.tier,
            "loss_making": row.loss_making,
            "overridden": row.overridden,
        }
        for row in customer_tiers(as_of=as_of)
    ]


def monthly_profit_rows(*, start: dt.date | None, end: dt.date | None) -> list[dict]:
    return [
        {
            "month": f"{row.month:%Y-%m}",
            "revenue": money_text(row.revenue),
            "cost": money_text(row.cost),
            "profit": money_text(row.profit),
        }
        for row in monthly_profit(start=start, end=end)
    ]
