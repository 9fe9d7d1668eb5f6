"""Receivables of the demo factory (CONTRACT.md section 8), so the invoice, payment, aging,
statement and credit pages have something to show on the first morning.

In the workbook (set-based, through the import like the rest of the factory):
- every customer gets payment terms and a credit limit; a few limits sit just below what
  the customer already has on order, so their next order waits for a manager's approval;
- the opening receivables (sheet OpenInvoices): what was shipped 31 to 150 days ago and is
  still unpaid, one invoice per customer and month, billed in the old system (gross, some
  partly paid, a few long overdue).
After the import (`bill_recent_shipments`):
- shipments older than 30 days count as invoiced (billed in the old system);
- shipments of the last 30 to 8 days are invoiced here, one invoice with lines per customer
  (orders.receivables.invoicing), and about a third of those customers have paid something
  (orders.receivables.payments), allocated earliest due first; the last week's shipments
  stay to be invoiced.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F

ZERO = Decimal("0")
CENT = Decimal("0.01")
TERMS = [30, 30, 30, 45, 60, 60, 90]
OPENING_FROM_DAYS, OPENING_TO_DAYS = 150, 31
BILL_FROM_DAYS, BILL_TO_DAYS = 30, 8
MAX_BILLED_CUSTOMERS = 60  # keeps load_demo fast at every scale
MAX_LINES = 100


def _vat() -> Decimal:
    return Decimal(1) + Decimal(str(getattr(settings, "VAT_RATE", "0.13")))


def _round_up(value: Decimal, step: int) -> Decimal:
    return Decimal(int((value / step).to_integral_value(rounding="ROUND_CEILING")) * step)


def set_credit_terms(customers: list[dict], orders: list[dict], seed: int) -> None:
    """Payment terms and a credit limit on every customer row (changed in place)."""
    rng = random.Random(seed + 8)
    on_order: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in orders:
        if line["status"] == "open":
            on_order[line["customer"]] += line["quantity"] * line["unit_price"]
    for row in customers:
        row["payment_terms_days"] = rng.choice(TERMS)
        value = on_order.get(row["code"], ZERO) * _vat()
        if value == 0:
            row["credit_limit"] = Decimal(rng.choice([0, 50_000, 100_000]))
            continue
        factor = rng.choice(["0", "0.9", "1.5", "1.5", "2", "3"])
        row["credit_limit"] = ZERO if factor == "0" else _round_up(value * Decimal(factor), 10_000)


def opening_invoices(
    orders: list[dict], shipments: list[dict], customers: list[dict], today: dt.date, seed: int
) -> list[dict]:
    """Rows of the OpenInvoices sheet: unpaid shipments of 31 to 150 days ago, per customer
    and month; the due date is left to the customer's terms."""
    rng = random.Random(seed + 9)
    line_of = {(o["order_no"], o["line"]): o for o in orders}
    start = today - dt.timedelta(days=OPENING_FROM_DAYS)
    end = today - dt.timedelta(days=OPENING_TO_DAYS)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for s in shipments:
        if start <= s["ship_date"] <= end:
            line = line_of[(s["order_no"], s["line"])]
            groups[(line["customer"], f"{s['ship_date']:%y%m}")].append(
                (s["ship_date"], s["quantity"] * line["unit_price"])
            )
    terms = {c["code"]: c.get("payment_terms_days", 30) for c in customers}
    rows = []
    for (customer, month), found in sorted(groups.items()):
        invoice_date = max(day for day, _value in found)
        net = sum((value for _day, value in found), ZERO).quantize(CENT, ROUND_HALF_UP)
        amount = (net * _vat()).quantize(CENT, ROUND_HALF_UP)
        if amount <= 0:
            continue
        overdue = (today - (invoice_date + dt.timedelta(days=terms.get(customer, 30)))).days
        luck = rng.random()
        if overdue > 30:
            if luck < 0.8:
                continue  # paid long ago: not an open item any more
            paid = ZERO if luck < 0.9 else (amount * Decimal("0.5")).quantize(CENT)
        else:
            paid = ZERO if luck < 0.6 else (amount * Decimal("0.3")).quantize(CENT)
        rows.append(
            {
                "invoice_no": f"OB{month}-{customer}",
                "customer": customer,
                "invoice_date": invoice_date,
                "due_date": None,
                "amount": amount,
                "paid": paid,
            }
        )
    return rows


def bill_recent_shipments(*, today: dt.date, seed: int = 2026) -> tuple[int, int]:
    """Mark the old shipments invoiced, invoice the recent ones and record some payments;
    returns (invoices, payments) written. Skipped quietly while the invoicing or payment
    services are not installed."""
    from orders.models import Shipment

    Shipment.objects.filter(ship_date__lt=today - dt.timedelta(days=BILL_FROM_DAYS)).update(
        invoiced_quantity=F("quantity")
    )
    try:
        from orders.receivables.invoicing import create_invoice
    except ImportError:
        return 0, 0
    rng = random.Random(seed + 10)
    recent = (
        Shipment.objects.filter(
            ship_date__gte=today - dt.timedelta(days=BILL_FROM_DAYS),
            ship_date__lte=today - dt.timedelta(days=BILL_TO_DAYS),
            invoiced_quantity=0,
        )
        .order_by("order_line__order__customer__code", "ship_date", "number")
        .values_list("order_line__order__customer__code", "number", "quantity", "ship_date")
    )
    by_customer: dict[str, list] = defaultdict(list)
    for code, number, quantity, ship_date in recent:
        by_customer[code].append((number, quantity, ship_date))
    invoices = []
    for code in sorted(by_customer)[:MAX_BILLED_CUSTOMERS]:
        found = by_customer[code][:MAX_LINES]
        invoices.append(
            create_invoice(
                customer=code,
                invoice_date=max(day for _n, _q, day in found),
                lines=[(number, quantity) for number, quantity, _day in found],
                by=None,
            )
        )
    return len(invoices), _pay_some(invoices, today=today, rng=rng)


def _pay_some(invoices: list, *, today: dt.date, rng: random.Random) -> int:
    try:
        from orders.receivables.payments import record_payment
    except ImportError:
        return 0
    paid = 0
    for invoice in invoices:
        if rng.random() >= 1 / 3:
            continue
        share = Decimal(rng.choice(["0.5", "1"]))
        amount = (invoice.gross_amount * share).quantize(CENT)
        if amount <= 0:
            continue
        record_payment(
            customer=invoice.customer.code,
            date=min(today, invoice.invoice_date + dt.timedelta(days=rng.randint(1, 7))),
            amount=amount,
            method="bank transfer",
            reference=f"DEMO-{invoice.invoice_no}",
            by=None,
        )
        paid += 1
    return paid
