"""A customer's statement of account (对账单) for a period [from, to], and the finance
figures of a customer (the 360 page's finances panel). Reads only.

The statement's balance is what the customer owes on its account: invoices (debit) less
credit notes and payments (credit), plus payment reversals (debit: the money came back).
Cancelled invoices never appear. Opening balance = the balance of everything dated before
`from`; then every document dated from .. to in date order (invoices, credit notes,
payments, reversals; same day: invoices first, then by number) with the running balance;
closing balance = the last running balance. Unallocated credit as of `to` = payments dated
<= to and not reversed by then, less their allocations dated <= to, plus credit notes dated
<= to less their allocations dated <= to: money on account that no invoice has used yet
(the closing balance already counts it).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from orders.receivables.aging import ZERO, aging, as_date, money
from orders.receivables.exposure import exposure_of
from orders.receivables.models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentReversal,
)

KIND_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "reversal": 3}

_DOCUMENTS_SQL = f"""
WITH doc AS (
    SELECT 'invoice' AS kind, i.id, i.invoice_no AS number, i.invoice_date AS date,
           i.due_date AS due_date, i.gross_amount AS debit, 0 AS credit, '' AS reference
    FROM {Invoice._meta.db_table} i
    WHERE i.customer_id = %(customer)s AND i.status <> '{InvoiceStatus.CANCELLED.value}'
      AND i.invoice_date <= %(to)s
    UNION ALL
    SELECT 'credit_note', n.id, n.credit_note_no, n.date, NULL, 0, n.gross_amount, iv.invoice_no
    FROM {CreditNote._meta.db_table} n
    JOIN {Invoice._meta.db_table} iv ON iv.id = n.invoice_id
    WHERE n.customer_id = %(customer)s AND n.date <= %(to)s
    UNION ALL
    SELECT 'payment', p.id, p.payment_no, p.date, NULL, 0, p.amount, p.reference
    FROM {Payment._meta.db_table} p
    WHERE p.customer_id = %(customer)s AND p.date <= %(to)s
    UNION ALL
    SELECT 'reversal', r.id, r.reversal_no, r.date, NULL, p.amount, 0, p.payment_no
    FROM {PaymentReversal._meta.db_table} r
    JOIN {Payment._meta.db_table} p ON p.id = r.payment_id
    WHERE p.customer_id = %(customer)s AND r.date <= %(to)s
)
SELECT 'opening', NULL, NULL, NULL, NULL, SUM(debit), SUM(credit), NULL, 0
FROM doc WHERE date < %(from)s
UNION ALL
SELECT kind, id, number, date, due_date, debit, credit, reference,
       CASE kind WHEN 'invoice' THEN 0 WHEN 'credit_note' THEN 1 WHEN 'payment' THEN 2
                 ELSE 3 END
FROM doc WHERE date >= %(from)s
"""

# Unallocated credit as of %(to)s, in the same query shape as the statement.
_UNALLOCATED_SQL = f"""
SELECT
  (SELECT COALESCE(SUM(p.amount - COALESCE((
       SELECT SUM(a.amount) FROM {Allocation._meta.db_table} a
       WHERE a.payment_id = p.id AND a.date <= %(to)s), 0)), 0)
   FROM {Payment._meta.db_table} p
   WHERE p.customer_id = %(customer)s AND p.date <= %(to)s
     AND NOT EXISTS (SELECT 1 FROM {PaymentReversal._meta.db_table} r
                     WHERE r.payment_id = p.id AND r.date <= %(to)s)),
  (SELECT COALESCE(SUM(n.gross_amount - COALESCE((
       SELECT SUM(a.amount) FROM {Allocation._meta.db_table} a
       WHERE a.credit_note_id = n.id AND a.date <= %(to)s), 0)), 0)
   FROM {CreditNote._meta.db_table} n
   WHERE n.customer_id = %(customer)s AND n.date <= %(to)s)
"""


@dataclass(frozen=True)
class StatementLine:
    kind: str  # invoice, credit_note, payment, reversal
    id: int
    number: str
    date: dt.date
    due_date: dt.date | None
    debit: Decimal
    credit: Decimal
    reference: str  # credit note: its invoice; payment: bank reference; reversal: payment
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    customer: object
    start: dt.date
    end: dt.date
    opening_balance: Decimal
    lines: list[StatementLine] = field(default_factory=list)
    closing_balance: Decimal = ZERO
    unallocated_credit: Decimal = ZERO

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def statement(customer, *, start: dt.date, end: dt.date) -> Statement:
    """The customer's statement for [start, end] (see the module docstring). Two queries."""
    params = {"customer": customer.pk, "from": start, "to": end}
    with connection.cursor() as cursor:
        cursor.execute(_DOCUMENTS_SQL, params)
        rows = cursor.fetchall()
        cursor.execute(_UNALLOCATED_SQL, params)
        payments_left, credit_left = cursor.fetchone()
    opening = ZERO
    documents = []
    for kind, pk, number, date, due, debit, credit, reference, order in rows:
        if kind == "opening":
            opening = money(money(debit) - money(credit))
        else:
            due = as_date(due) if due else None
            documents.append(
                (as_date(date), order, number, kind, pk, due, debit, credit, reference)
            )
    documents.sort(key=lambda d: (d[0], d[1], d[2]))
    balance = opening
    lines = []
    for date, _order, number, kind, pk, due, debit, credit, reference in documents:
        debit, credit = money(debit), money(credit)
        balance += debit - credit
        lines.append(
            StatementLine(kind, pk, number, date, due, debit, credit, reference or "", balance)
        )
    return Statement(
        customer=customer,
        start=start,
        end=end,
        opening_balance=opening,
        lines=lines,
        closing_balance=balance,
        unallocated_credit=money(money(payments_left) + money(credit_left)),
    )


@dataclass(frozen=True)
class Finances:
    """A customer's money at a glance (the 360 page)."""

    open_amount: Decimal
    overdue_amount: Decimal
    oldest_days_overdue: int
    last_payment_date: dt.date | None
    last_payment_amount: Decimal | None
    credit_limit: Decimal
    exposure: Decimal
    unallocated_credit: Decimal

    @property
    def available_credit(self) -> Decimal | None:
        """Credit limit - exposure; None when the customer has no limit (0)."""
        return self.credit_limit - self.exposure if self.credit_limit > 0 else None

    @property
    def over_limit(self) -> bool:
        return self.credit_limit > 0 and self.exposure > self.credit_limit


def customer_finances(customer, *, today: dt.date) -> Finances:
    """Open and overdue amounts as of `today`, last payment, credit limit, exposure and
    unallocated credit. Three queries, whatever the customer's history."""
    row = next(iter(aging(as_of=today, customer_ids=[customer.pk])), None)
    last = (
        Payment.objects.filter(customer=customer)
        .filter(~Q(status="reversed"))
        .order_by("-date", "-pk")
        .values_list("date", "amount")
        .first()
    )
    exposure = exposure_of(customer)
    return Finances(
        open_amount=row.total if row else ZERO,
        overdue_amount=row.overdue if row else ZERO,
        oldest_days_overdue=row.oldest_days_overdue if row else 0,
        last_payment_date=last[0] if last else None,
        last_payment_amount=money(last[1]) if last else None,
        credit_limit=money(customer.credit_limit),
        exposure=exposure.total,
        unallocated_credit=money(exposure.unallocated_credit),
    )
