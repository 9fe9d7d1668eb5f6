"""The reports of CONTRACT.md section 6: one function per report name giving rows (a list
of dicts), and the writers that turn rows into JSON, CSV or XLSX (every cell through
`erp.spreadsheet.cell`: no live formulas, no control characters). The web pages and REST
endpoints show the same rows."""

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from erp.errors import DomainError
from erp.numbers import quantity_text
from erp.spreadsheet import DATE, FLAG, INTEGER, MONEY, QTY, RATIO, Column, cell, xlsx_bytes


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Report:
    name: str
    fields: tuple[str, ...]
    rows: Callable[[Period], list[dict]]


REPORTS: dict[str, Report] = {}


def register(name: str, fields: tuple[str, ...]):
    def wrap(func: Callable[[Period], list[dict]]):
        REPORTS[name] = Report(name, fields, func)
        return func

    return wrap


@register(
    "mrp-planned-orders",
    ("item", "kind", "quantity", "due_date", "release_date", "late", "pegging"),
)
def mrp_planned_orders(period: Period) -> list[dict]:
    from production.mrp.selectors import planned_orders

    return [
        {
            "item": p.item.code,
            "kind": p.kind,
            "quantity": quantity_text(p.quantity, p.item.decimals),
            "due_date": p.due_date,
            "release_date": p.release_date,
            "late": p.late,
            "pegging": list(p.pegging),
        }
        for p in planned_orders()
    ]


@register(
    "customer-profit",
    ("customer", "revenue", "cost", "profit", "rank"),
)
def customer_profit_report(period: Period) -> list[dict]:
    from reports.profit.rows import customer_profit_rows

    return customer_profit_rows(start=period.start, end=period.end)


@register(
    "product-profit",
    (
        "item",
        "quantity",
        "revenue",
        "cost",
        "profit",
        "profit_cost_ratio",
        "profit_sales_ratio",
    ),
)
def product_profit_report(period: Period) -> list[dict]:
    from reports.profit.rows import product_profit_rows

    return product_profit_rows(start=period.start, end=period.end)


@register("customer-tiers", ("customer", "tier", "loss_making", "overridden"))
def customer_tiers_report(period: Period) -> list[dict]:
    """As of --as-of (default today), from the last full calendar year before it."""
    from reports.profit.rows import customer_tier_rows

    return customer_tier_rows(as_of=period.as_of)


@register("monthly-profit", ("month", "revenue", "cost", "profit"))
def monthly_profit_report(period: Period) -> list[dict]:
    """The factory's profit per calendar month of ship date (the dashboard's trend)."""
    from reports.profit.rows import monthly_profit_rows

    return monthly_profit_rows(start=period.start, end=period.end)


@register("complaint-trend", ("month", "complaints"))
def complaint_trend_report(period: Period) -> list[dict]:
    """Complaints opened per month: the 12 months up to --to (default this month)."""
    from django.utils import timezone

    from crm.selectors_relationship import complaint_trend

    rows = complaint_trend(today=period.end or timezone.localdate())
    return [{"month": f"{row['month']:%Y-%m}", "complaints": row["count"]} for row in rows]


@register(
    "receivables-aging",
    ("customer", "current", "d1_30", "d31_60", "d61_90", "over_90", "total"),
)
def receivables_aging_report(period: Period) -> list[dict]:
    """Open receivables per customer as of --as-of (default today), CONTRACT.md section 8."""
    from django.utils import timezone

    from orders.receivables.aging import aging_report_rows

    return aging_report_rows(as_of=period.as_of or timezone.localdate())


def report_rows(name: str, period: Period) -> tuple[Report, list[dict]]:
    report = REPORTS.get(name)
    if report is None:
        raise DomainError(f"Unknown report {name}; known: {', '.join(sorted(REPORTS))}.")
    return report, report.rows(period)


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(report: Report, rows: list[dict]) -> str:
    return json.dumps(
        [{k: _plain(v) for k, v in row.items()} for row in rows], ensure_ascii=False, indent=1
    )


def to_csv(report: Report, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(f) for f in report.fields])
    for row in rows:
        cells = []
        for f in report.fields:
            value = row[f]
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif value is None:
                value = ""
            cells.append(_plain(cell(value)))
        writer.writerow(cells)
    return out.getvalue()


# How each field reads in Excel: its header in the reader's language, its number format,
# whether the totals row sums it (money, yes; a quantity across items of different units or
# a ratio, no), and how a stored code reads (tiers, kinds, grades).
def _choices(name: str) -> Callable[[object], object]:
    def display(value):
        from reports.models import MarginGrade, Tier

        labels = {
            "tier": dict(Tier.choices),
            "grade": dict(MarginGrade.choices),
            "kind": {"purchase": _("purchase"), "production": _("production")},
        }[name]
        return labels.get(value, value)

    return display


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("item", _("Item")),
        Column("kind", _("Kind"), display=_choices("kind")),
        Column("quantity", _("Quantity"), QTY),
        Column("due_date", _("Due date"), DATE),
        Column("release_date", _("Release date"), DATE),
        Column("late", _("Late"), FLAG),
        Column("pegging", _("Orders")),
        Column("customer", _("Customer")),
        Column("revenue", _("Revenue"), MONEY, total=True),
        Column("cost", _("Cost"), MONEY, total=True),
        Column("profit", _("Profit"), MONEY, total=True),
        Column("rank", _("Rank"), INTEGER),
        Column("profit_cost_ratio", _("Profit / cost"), RATIO),
        Column("profit_sales_ratio", _("Profit / sales"), RATIO),
        Column("tier", _("Tier"), display=_choices("tier")),
        Column("loss_making", _("Loss-making"), FLAG),
        Column("overridden", _("Overridden"), FLAG),
        Column("month", _("Month")),
        Column("complaints", _("Complaints"), INTEGER, total=True),
        Column("current", _("Current"), MONEY, total=True),
        Column("d1_30", _("1-30 days"), MONEY, total=True),
        Column("d31_60", _("31-60 days"), MONEY, total=True),
        Column("d61_90", _("61-90 days"), MONEY, total=True),
        Column("over_90", _("Over 90 days"), MONEY, total=True),
        Column("total", _("Total"), MONEY, total=True),
        Column("grade", _("Margin grade"), display=_choices("grade")),
        Column("margin", _("Margin"), RATIO),
        Column("rate", _("Commission rate"), RATIO),
        Column("commission", _("Commission"), MONEY, total=True),
    )
}


def columns(report: Report) -> list[Column]:
    return [COLUMNS.get(field) or Column(field, field) for field in report.fields]


def to_xlsx(report: Report, rows: list[dict]) -> bytes:
    """The contract format (CONTRACT.md section 6, `export_report` and the API's
    `?format=xlsx`): the field names as headers and only the data rows, with number
    formats, a frozen header row and fitted widths."""
    return xlsx_bytes(title=report.name, columns=columns(report), rows=rows, readable=False)


def to_readable_xlsx(report: Report, rows: list[dict], *, title: str | None = None) -> bytes:
    """The same rows for a person downloading from a page: headers in the reader's
    language, codes shown by their names, Yes/No, and a totals row where summing makes
    sense."""
    return xlsx_bytes(title=title or report.name, columns=columns(report), rows=rows)
