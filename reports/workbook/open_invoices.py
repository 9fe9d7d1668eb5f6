"""The OpenInvoices sheet: opening receivables (期初应收), CONTRACT.md sections 1 and 8.

An opening invoice is an `Invoice` with `opening=True` and no lines: gross = the sheet's
amount (tax included), net = gross, tax = 0 and VAT rate 0, because the tax was invoiced
and declared in the old system; only the gross is still owed. What the customer already
paid (`paid`) is an opening payment "OPEN-<invoice_no>" (method "opening balance",
reference the invoice number, dated the invoice date) with one allocation row of `paid`
to the invoice, so the invoice's `allocated_amount` is always the sum of its allocation
rows and the open amount, the aging and later allocations work as for any invoice.

Re-importing an invoice number updates the invoice while nothing else touched it (no other
payment or credit note allocated, no credit note, not cancelled); otherwise a change is
refused with a row error and the invoice is left as it is. Allocation rows are append-only:
when the paid amount (or the customer) changes, the opening payment is reversed (a reversal
document, a negative row) and a new opening payment "OPEN-<invoice_no>-2" (-3, ...) is
written for the new paid amount. An invoice billed in the system (not an opening one) may be
in the sheet (the export writes every open invoice), but the workbook cannot change it.
Nothing is deleted.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from orders.receivables.models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentStatus,
)
from reports.workbook import cells
from reports.workbook.context import ImportContext, values_in
from reports.workbook.reader import Row

SHEET = "OpenInvoices"
OPENING_METHOD = "opening balance"
MONEY_PLACES = 2
DEFAULT_TERMS = 30
ZERO = Decimal("0")


def opening_payment_no(invoice_no: str, n: int = 1) -> str:
    """The number of an invoice's n-th opening payment, at most 40 characters."""
    suffix = f"-{n}" if n > 1 else ""
    number = f"OPEN-{invoice_no}{suffix}"
    if len(number) > 40:
        number = "OPEN-" + hashlib.sha1(invoice_no.encode()).hexdigest()[:24] + suffix
    return number


@dataclass
class Existing:
    """An invoice of the sheet already in the database, with what else touches it."""

    invoice: dict
    customer_code: str
    opening_payments: list[dict]  # its opening payments, posted or reversed
    others: int  # allocation rows of other payments and of credit notes
    credit_notes: int

    @property
    def posted_payment(self) -> dict | None:
        return next((p for p in self.opening_payments if p["status"] == PaymentStatus.POSTED), None)


def check_open_invoices(ctx: ImportContext) -> None:
    rows = ctx.rows(SHEET)
    if not rows:
        return
    existing = _existing(ctx, [r.v["invoice_no"] for r in rows if r.v.get("invoice_no")])
    ctx.open_invoices = existing  # read again by the writer
    taken = _taken_payment_numbers(rows, existing)
    for row in rows:
        v = row.v
        customer_ok = ctx.check_ref(SHEET, row, "customer", "customer")
        for column in ("amount", "paid"):
            value = v.get(column)
            if value is not None and cells.places(value) > MONEY_PLACES:
                ctx.error(
                    SHEET,
                    row,
                    column,
                    _("%(value)s has more than 2 decimal places (money is to the cent).")
                    % {"value": cells.plain(value)},
                )
        amount, paid = v.get("amount"), v.get("paid")
        if amount is not None and paid is not None and paid > amount:
            ctx.error(
                SHEET,
                row,
                "paid",
                _("Paid %(paid)s is more than the amount %(amount)s.")
                % {"paid": cells.plain(paid), "amount": cells.plain(amount)},
            )
        _check_due_date(ctx, row, customer_ok)
        number = v.get("invoice_no")
        if number is None or not row.ok:
            continue
        old = existing.get(number)
        if old is None:
            if opening_payment_no(number) in taken:
                ctx.error(
                    SHEET,
                    row,
                    "invoice_no",
                    _("A payment numbered %(payment)s already exists; rename the invoice.")
                    % {"payment": opening_payment_no(number)},
                )
            continue
        _check_change(ctx, row, old)


def _check_due_date(ctx: ImportContext, row: Row, customer_ok: bool) -> None:
    v = row.v
    invoice_date, due = v.get("invoice_date"), v.get("due_date")
    if invoice_date is None:
        return
    if due is not None:
        if due < invoice_date:
            ctx.error(
                SHEET,
                row,
                "due_date",
                _("The due date %(due)s is before the invoice date %(date)s.")
                % {"due": due.isoformat(), "date": invoice_date.isoformat()},
            )
        return
    if not customer_ok or "due_date" in row.bad:
        return
    terms = customer_terms(ctx, v["customer"])
    try:
        v["due_date"] = invoice_date + dt.timedelta(days=terms)
    except OverflowError:
        ctx.error(SHEET, row, "due_date", _("The due date would be after the year 9999."))


def customer_terms(ctx: ImportContext, code: str) -> int:
    """The customer's payment terms after the import: its Customers row of this workbook
    when that sheet has the column, else the database's, else the default."""
    row = ctx.sheet_codes["customer"].get(code)
    if row is not None and "payment_terms_days" in ctx.present("Customers"):
        if row.v.get("payment_terms_days") is not None:
            return row.v["payment_terms_days"]
    db = ctx.db("customer").get(code)
    if db is not None:
        return db["payment_terms_days"]
    return DEFAULT_TERMS


def _differences(row: Row, old: Existing) -> list[str]:
    """The columns whose value differs from the invoice in the database."""
    v, invoice = row.v, old.invoice
    wanted = {
        "customer": (v["customer"], old.customer_code),
        "invoice_date": (v["invoice_date"], invoice["invoice_date"]),
        "due_date": (v["due_date"], invoice["due_date"]),
        "amount": (v["amount"], invoice["gross_amount"]),
        "paid": (v["paid"], invoice["allocated_amount"]),
    }
    return [column for column, (new, current) in wanted.items() if new != current]


def _check_change(ctx: ImportContext, row: Row, old: Existing) -> None:
    changed = _differences(row, old)
    row.v["_changed"] = bool(changed)
    if not changed:
        return
    number, column = row.v["invoice_no"], changed[0]
    shown = ", ".join(changed)
    if not old.invoice["opening"]:
        message = _(
            "Invoice %(invoice)s was billed in the system; the workbook cannot change it "
            "(%(columns)s differ). Correct it with a credit note or a payment."
        )
    elif old.invoice["status"] == InvoiceStatus.CANCELLED:
        message = _("Invoice %(invoice)s is cancelled; it cannot be changed (%(columns)s differ).")
    elif old.others or old.credit_notes:
        message = _(
            "Invoice %(invoice)s already has payments or credit notes recorded against it in "
            "the system; the workbook cannot change it any more (%(columns)s differ). Correct "
            "it with a credit note or a payment."
        )
    else:
        return
    ctx.error(SHEET, row, column, message % {"invoice": number, "columns": shown})


def _existing(ctx: ImportContext, numbers: list[str]) -> dict[str, Existing]:
    invoices = values_in(
        Invoice.objects.order_by(),
        "invoice_no",
        numbers,
        "id",
        "invoice_no",
        "customer_id",
        "invoice_date",
        "due_date",
        "gross_amount",
        "allocated_amount",
        "status",
        "opening",
    )
    if not invoices:
        return {}
    code_of = {r["id"]: code for code, r in ctx.db("customer").items()}
    ids = [i["id"] for i in invoices]
    allocations: dict[int, list[dict]] = {}
    for a in values_in(
        Allocation.objects.order_by("id"),
        "invoice_id",
        ids,
        "id",
        "invoice_id",
        "payment_id",
        "credit_note_id",
        "reversal_id",
        "amount",
    ):
        allocations.setdefault(a["invoice_id"], []).append(a)
    payments: dict[str, list[dict]] = {}
    for p in values_in(
        Payment.objects.filter(method=OPENING_METHOD).order_by("id"),
        "reference",
        [i["invoice_no"] for i in invoices],
        "id",
        "payment_no",
        "reference",
        "customer_id",
        "date",
        "status",
        "amount",
    ):
        payments.setdefault(p["reference"], []).append(p)
    credit_notes: dict[int, int] = {}
    for row in values_in(CreditNote.objects.order_by(), "invoice_id", ids, "invoice_id"):
        credit_notes[row["invoice_id"]] = credit_notes.get(row["invoice_id"], 0) + 1
    found = {}
    for invoice in invoices:
        own = payments.get(invoice["invoice_no"], [])
        own_ids = {p["id"] for p in own}
        rows = allocations.get(invoice["id"], [])
        found[invoice["invoice_no"]] = Existing(
            invoice=invoice,
            customer_code=code_of.get(invoice["customer_id"], ""),
            opening_payments=own,
            others=sum(1 for a in rows if a["payment_id"] not in own_ids),
            credit_notes=credit_notes.get(invoice["id"], 0),
        )
    return found


def _taken_payment_numbers(rows: list[Row], existing: dict[str, Existing]) -> set[str]:
    wanted = [
        opening_payment_no(r.v["invoice_no"])
        for r in rows
        if r.v.get("invoice_no") and r.v["invoice_no"] not in existing
    ]
    return {
        p["payment_no"]
        for p in values_in(Payment.objects.order_by(), "payment_no", wanted, "payment_no")
    }
