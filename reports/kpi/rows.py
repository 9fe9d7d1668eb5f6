"""The managers' delivery, stock and purchasing figures as report rows: Excel downloads,
`export_report` and the same registry as the profit reports (reports.exports.register).
Numbers stay Decimal/int so the spreadsheet gets numbers, not text."""

from django.utils.translation import gettext_lazy as _

from erp.spreadsheet import INTEGER, MONEY, QTY, RATIO, Column, xlsx_bytes
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


def _kind_label(value):
    from django.utils.translation import gettext

    from materials.models import ItemKind

    if value == "total":
        return gettext("Total")
    return dict(ItemKind.choices).get(value, value)


# How the downloads read for a person: headers in the reader's language, number formats,
# a totals row where summing makes sense (counts and receipts, not rates or averages).
KPI_COLUMNS: dict[str, list[Column]] = {
    "on-time-delivery": [
        Column("customer", _("Customer")),
        Column("name", _("Name")),
        Column("lines", _("Lines"), INTEGER, total=True),
        Column("on_time", _("On time"), INTEGER, total=True),
        Column("late_shipped", _("Shipped late"), INTEGER, total=True),
        Column("late_open", _("Overdue, not shipped"), INTEGER, total=True),
        Column("rate", _("On-time rate"), RATIO),
    ],
    "on-time-by-month": [
        Column("month", _("Month promised")),
        Column("lines", _("Lines"), INTEGER, total=True),
        Column("on_time", _("On time"), INTEGER, total=True),
        Column("late_shipped", _("Shipped late"), INTEGER, total=True),
        Column("late_open", _("Overdue, not shipped"), INTEGER, total=True),
        Column("rate", _("On-time rate"), RATIO),
    ],
    "inventory-turns": [
        Column("kind", _("Item kind"), display=_kind_label),
        Column("stock_value", _("Stock value now"), MONEY),
        Column("average_value", _("Average stock value"), MONEY),
        Column("issued", _("Issued in the period"), MONEY),
        Column("turns", _("Turns"), QTY),
        Column("annual_turns", _("Turns a year at this pace"), QTY),
        Column("days_of_stock", _("Days of stock"), QTY),
    ],
    "purchase-lead-time": [
        Column("supplier", _("Supplier")),
        Column("name", _("Name")),
        Column("receipts", _("Goods receipts"), INTEGER, total=True),
        Column("average_days", _("Average days"), QTY),
        Column("shortest_days", _("Shortest"), QTY),
        Column("longest_days", _("Longest"), QTY),
        Column("late", _("After the due date"), INTEGER, total=True),
    ],
}
TITLES = {
    "on-time-delivery": _("On-time delivery"),
    "on-time-by-month": _("On time by month"),
    "inventory-turns": _("Stock value and inventory turns"),
    "purchase-lead-time": _("Purchase lead time"),
}


def readable_xlsx(name: str, rows: list[dict]) -> bytes:
    return xlsx_bytes(title=str(TITLES[name]), columns=KPI_COLUMNS[name], rows=rows)
