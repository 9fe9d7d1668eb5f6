"""The managers' delivery, stock and purchasing figures as report rows: Excel downloads,
`export_report` and the same registry as the profit reports (reports.exports.register).
Numbers stay Decimal/int so the spreadsheet gets numbers, not text."""

from reports.exports import Period, register
from reports.kpi import delivery, inventory, purchasing
from reports.kpi.periods import bounded

ON_TIME_FIELDS = ("customer", "name", "lines", "on_time", "late_shipped", "late_open", "rate")


@register("on-time-delivery", ON_TIME_FIELDS)
def on_time_by_customer_rows(period: Period) -> list[dict]:
    """On-time delivery per customer over the period (by promised date); default this year
    to date."""
    rows = delivery.as_rows(delivery.on_time_by_customer(period=bounded(period)))
    return [
        {
            "customer": r.code,
            "name": r.name,
            "lines": r.lines,
            "on_time": r.on_time,
            "late_shipped": r.late_shipped,
            "late_open": r.late_open,
            "rate": r.rate,
        }
        for r in rows
    ]


@register("on-time-by-month", ("month", "lines", "on_time", "late_shipped", "late_open", "rate"))
def on_time_by_month_rows(period: Period) -> list[dict]:
    return [
        {
            "month": r.label,
            "lines": r.lines,
            "on_time": r.on_time,
            "late_shipped": r.late_shipped,
            "late_open": r.late_open,
            "rate": r.rate,
        }
        for r in delivery.on_time_by_month(period=bounded(period))
    ]


@register(
    "inventory-turns",
    ("kind", "stock_value", "average_value", "issued", "turns", "annual_turns", "days_of_stock"),
)
def inventory_turns_rows(period: Period) -> list[dict]:
    report = inventory.inventory_turns(period=period)
    return [
        {
            "kind": row.kind or "total",
            "stock_value": row.value_now,
            "average_value": row.average_value,
            "issued": row.issued,
            "turns": row.turns,
            "annual_turns": row.annual_turns,
            "days_of_stock": row.days_of_stock,
        }
        for row in [*report.kinds, report.total]
    ]


@register(
    "purchase-lead-time",
    ("supplier", "name", "receipts", "average_days", "shortest_days", "longest_days", "late"),
)
def purchase_lead_time_rows(period: Period) -> list[dict]:
    rows = purchasing.as_rows(purchasing.lead_time_by_supplier(period=bounded(period)))
    return [
        {
            "supplier": r.code,
            "name": r.name,
            "receipts": r.receipts,
            "average_days": r.average_days,
            "shortest_days": r.shortest_days,
            "longest_days": r.longest_days,
            "late": r.late,
        }
        for r in rows
    ]
