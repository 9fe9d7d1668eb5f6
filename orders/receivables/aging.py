"""Receivables aging (应收账款账龄) and the reads around it: open invoices with their days
overdue, overdue lists per salesperson, DSO. CONTRACT.md section 8. Reads only, set-based
SQL: one query per answer, whatever the number of invoices.

As of a date A:
- an invoice counts when its invoice_date <= A and it is not cancelled (a cancelled invoice
  never counts, whenever it was cancelled);
- its open amount = gross - the sum of its allocation rows dated <= A (payments and credit
  notes; a reversal's negative rows dated <= A give the money back to the invoice);
- an open invoice (open amount > 0) is `current` when A <= due_date, else in the bucket of
  its days past due (A - due_date): 1-30, 31-60, 61-90, over 90.

DSO (days sales outstanding, 应收账款周转天数) as of A = receivables as of A (the sum of the
open amounts above) / credit sales of the 90 days up to A (the gross of the invoices dated
A-89 .. A, cancelled ones left out) x 90, to 0.1 day (half up); None when there were no
sales in those 90 days.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from customers.models import Customer
from orders.receivables.models import Allocation, Invoice, InvoiceStatus

ZERO = Decimal(0)
CENT = Decimal("0.01")
BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "over_90")
FIELDS = ("customer", *BUCKETS, "total")
DSO_DAYS = 90


def money(value) -> Decimal:
    """Exact money to 0.01, half up (None is 0)."""
    if value is None:
        return ZERO.quantize(CENT)
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def bucket_of(days_overdue: int) -> str:
    """The aging bucket of an invoice `days_overdue` past due (0 or less: current)."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "d1_30"
    if days_overdue <= 60:
        return "d31_60"
    if days_overdue <= 90:
        return "d61_90"
    return "over_90"


# The open invoices as of %(as_of)s: one row per invoice, its open amount from the
# allocation rows dated up to the as-of date (one grouped pass over the allocations, joined
# by hash, never a lookup per invoice). {where} narrows the invoices (customers, a
# salesperson) and {paid_where} the allocations read to the same invoices. Plain SQL that
# PostgreSQL and SQLite both run: the buckets are due-date ranges computed from the as-of
# date (%(d0)s = A - 30, ...), so no date arithmetic in SQL.
_OPEN_SQL = f"""
WITH open_invoice AS (
    SELECT i.id, i.invoice_no, i.customer_id, i.invoice_date, i.due_date, i.gross_amount,
           i.gross_amount - COALESCE(p.amount, 0) AS open_amount
    FROM {Invoice._meta.db_table} i
    LEFT JOIN (
        SELECT a.invoice_id, SUM(a.amount) AS amount
        FROM {Allocation._meta.db_table} a
        WHERE a.date <= %(as_of)s {{paid_where}}
        GROUP BY a.invoice_id
    ) p ON p.invoice_id = i.id
    WHERE i.invoice_date <= %(as_of)s AND i.status <> '{InvoiceStatus.CANCELLED.value}'
      {{where}}
)
"""

_AGING_SQL = (
    _OPEN_SQL
    + f"""
SELECT c.code, g.current, g.d1_30, g.d31_60, g.d61_90, g.over_90, g.total,
       c.id, c.name, c.salesperson_id, g.oldest_due
FROM (
    SELECT o.customer_id,
           SUM(CASE WHEN o.due_date >= %(as_of)s THEN o.open_amount ELSE 0 END) AS current,
           SUM(CASE WHEN o.due_date < %(as_of)s AND o.due_date >= %(d30)s
                    THEN o.open_amount ELSE 0 END) AS d1_30,
           SUM(CASE WHEN o.due_date < %(d30)s AND o.due_date >= %(d60)s
                    THEN o.open_amount ELSE 0 END) AS d31_60,
           SUM(CASE WHEN o.due_date < %(d60)s AND o.due_date >= %(d90)s
                    THEN o.open_amount ELSE 0 END) AS d61_90,
           SUM(CASE WHEN o.due_date < %(d90)s THEN o.open_amount ELSE 0 END) AS over_90,
           SUM(o.open_amount) AS total,
           MIN(CASE WHEN o.due_date < %(as_of)s THEN o.due_date END) AS oldest_due
    FROM open_invoice o
    WHERE o.open_amount > 0
    GROUP BY o.customer_id
) g
JOIN {Customer._meta.db_table} c ON c.id = g.customer_id
ORDER BY g.total DESC, c.code
"""
)


def _params(as_of: dt.date, **more) -> dict:
    """The as-of date and the due dates where the buckets change."""
    day = dt.timedelta(days=1)
    return {
        "as_of": as_of,
        "d30": as_of - 30 * day,
        "d60": as_of - 60 * day,
        "d90": as_of - 90 * day,
        **more,
    }


def _narrow(*, customer_ids=None, salesperson_id=None) -> tuple[dict, dict]:
    """The {where} and {paid_where} parts of the SQL and their parameters."""
    conditions, params = [], {}
    if customer_ids is not None:
        ids = ", ".join(str(int(pk)) for pk in customer_ids) or "NULL"
        conditions.append(f"{{i}}.customer_id IN ({ids})")
    if salesperson_id is not None:
        conditions.append(
            f"{{i}}.customer_id IN (SELECT sc.id FROM {Customer._meta.db_table} sc "
            "WHERE sc.salesperson_id = %(salesperson_id)s)"
        )
        params["salesperson_id"] = salesperson_id
    if not conditions:
        return {"where": "", "paid_where": ""}, params
    where = " AND ".join(conditions)
    parts = {
        "where": "AND " + where.format(i="i"),
        "paid_where": (
            f"AND a.invoice_id IN (SELECT x.id FROM {Invoice._meta.db_table} x "
            f"WHERE {where.format(i='x')})"
        ),
    }
    return parts, params


def _decimal(value) -> Decimal:
    """A SUM as the database gives it (SQLite: int or float) as an exact Decimal."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def as_date(value) -> dt.date:
    """A date as the database gives it (SQLite: text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class AgingRow:
    customer: str
    current: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal
    total: Decimal
    customer_id: int = 0
    name: str = ""
    salesperson_id: int | None = None
    oldest_days_overdue: int = 0  # of its oldest overdue invoice; 0: nothing overdue

    @property
    def overdue(self) -> Decimal:
        return self.total - self.current

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in FIELDS}


def aging(
    *, as_of: dt.date, customer_ids=None, salesperson_id: int | None = None
) -> list[AgingRow]:
    """Aging as of `as_of` per customer with an open amount, by total descending then
    customer code; amounts to 0.01. One query."""
    parts, params = _narrow(customer_ids=customer_ids, salesperson_id=salesperson_id)
    with connection.cursor() as cursor:
        cursor.execute(_AGING_SQL.format(**parts), _params(as_of, **params))
        rows = cursor.fetchall()
    return [
        AgingRow(
            code,
            *(money(v) for v in amounts),
            customer_id=pk,
            name=name,
            salesperson_id=salesperson,
            oldest_days_overdue=(as_of - as_date(oldest)).days if oldest else 0,
        )
        for code, *amounts, pk, name, salesperson, oldest in rows
    ]


def aging_totals(rows: list[AgingRow]) -> dict[str, Decimal]:
    """The column totals of aging rows (the sum of the rounded figures shown)."""
    return {f: sum((getattr(r, f) for r in rows), ZERO) for f in (*BUCKETS, "total")}


def aging_report_rows(*, as_of: dt.date) -> list[dict]:
    """The export_report / API rows: decimals as strings with 2 places."""
    return [
        {"customer": r.customer, **{f: f"{getattr(r, f):f}" for f in (*BUCKETS, "total")}}
        for r in aging(as_of=as_of)
    ]


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    invoice_no: str
    customer_id: int
    customer: str
    customer_name: str
    salesperson_id: int | None
    invoice_date: dt.date
    due_date: dt.date
    gross_amount: Decimal
    open_amount: Decimal
    days_overdue: int  # A - due date; 0 or less: not overdue

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_overdue)


_OPEN_LIST_SQL = (
    _OPEN_SQL
    + f"""
SELECT o.id, o.invoice_no, o.customer_id, c.code, c.name, c.salesperson_id, o.invoice_date,
       o.due_date, o.gross_amount, o.open_amount
FROM open_invoice o
JOIN {Customer._meta.db_table} c ON c.id = o.customer_id
WHERE o.open_amount > 0 {{{{having}}}}
ORDER BY o.due_date, o.invoice_no
LIMIT %(limit)s
"""
)


def open_invoices(
    *,
    as_of: dt.date,
    customer_ids=None,
    salesperson_id: int | None = None,
    overdue_only: bool = False,
    limit: int = 500,
) -> list[OpenInvoice]:
    """Open invoices as of `as_of` with their days overdue, the earliest due first (so the
    most overdue first), then by invoice no.; `overdue_only`: past due only. One query."""
    parts, params = _narrow(customer_ids=customer_ids, salesperson_id=salesperson_id)
    having = "AND o.due_date < %(as_of)s" if overdue_only else ""
    sql = _OPEN_LIST_SQL.format(**parts).format(having=having)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(as_of, limit=limit, **params))
        rows = cursor.fetchall()
    result = []
    for pk, number, customer_id, code, name, salesperson, issued, due, gross, left in rows:
        due = as_date(due)
        result.append(
            OpenInvoice(
                pk,
                number,
                customer_id,
                code,
                name,
                salesperson,
                as_date(issued),
                due,
                money(gross),
                money(left),
                (as_of - due).days,
            )
        )
    return result


def customer_open_invoices(customer, *, as_of: dt.date) -> list[OpenInvoice]:
    """One customer's open invoices with days overdue, by due date."""
    return open_invoices(as_of=as_of, customer_ids=[customer.pk])


def overdue_for_salesperson(user, *, as_of: dt.date, limit: int = 50) -> list[OpenInvoice]:
    """The overdue invoices of the customers `user` looks after, most overdue first."""
    return open_invoices(as_of=as_of, salesperson_id=user.pk, overdue_only=True, limit=limit)


_OVERDUE_BY_SALESPERSON_SQL = (
    _OPEN_SQL
    + f"""
SELECT c.salesperson_id, COUNT(*), SUM(o.open_amount), MIN(o.due_date)
FROM open_invoice o
JOIN {Customer._meta.db_table} c ON c.id = o.customer_id
WHERE o.open_amount > 0 AND o.due_date < %(as_of)s
GROUP BY c.salesperson_id
"""
).format(where="", paid_where="")


@dataclass(frozen=True)
class SalespersonOverdue:
    salesperson_id: int | None
    invoices: int
    amount: Decimal
    oldest_days: int


def overdue_by_salesperson(*, as_of: dt.date) -> list[SalespersonOverdue]:
    """Overdue invoices per salesperson (None: customers with no salesperson), the largest
    amount first. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_OVERDUE_BY_SALESPERSON_SQL, _params(as_of))
        rows = cursor.fetchall()
    result = [
        SalespersonOverdue(pk, n, money(amount), (as_of - as_date(oldest)).days)
        for pk, n, amount, oldest in rows
    ]
    return sorted(result, key=lambda r: (-r.amount, r.salesperson_id or 0))


_DSO_SQL = (
    _OPEN_SQL
    + f"""
SELECT SUM(o.open_amount),
       SUM(CASE WHEN o.due_date < %(as_of)s THEN o.open_amount ELSE 0 END),
       (SELECT SUM(gross_amount) FROM {Invoice._meta.db_table}
        WHERE invoice_date > %(window)s AND invoice_date <= %(as_of)s
          AND status <> '{InvoiceStatus.CANCELLED.value}')
FROM open_invoice o
WHERE o.open_amount > 0
"""
).format(where="", paid_where="")


@dataclass(frozen=True)
class Dso:
    as_of: dt.date
    receivables: Decimal
    credit_sales: Decimal  # gross invoiced in the 90 days up to as_of
    overdue: Decimal
    days: Decimal | None  # None: no credit sales in the window

    window_days = DSO_DAYS


def dso(*, as_of: dt.date) -> Dso:
    """Days sales outstanding as of `as_of` (see the module docstring), with the total
    overdue. One query."""
    window = as_of - dt.timedelta(days=DSO_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_DSO_SQL, _params(as_of, window=window))
        receivables, overdue, sales = cursor.fetchone()
    receivables, sales, overdue = money(receivables), money(sales), money(overdue)
    days = None
    if sales > 0:
        days = (receivables / sales * DSO_DAYS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Dso(as_of, receivables, sales, overdue, days)
