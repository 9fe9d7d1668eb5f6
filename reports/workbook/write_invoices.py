"""Write the OpenInvoices sheet (see reports/workbook/open_invoices.py for the rules): new
opening invoices in a few bulk statements, changed ones with their opening payments."""

from decimal import Decimal

from erp.services import next_document_number
from orders.receivables.models import (
    Allocation,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentReversal,
    PaymentStatus,
)
from reports.workbook.context import ImportContext, SheetCounts, chunks
from reports.workbook.open_invoices import (
    OPENING_METHOD,
    SHEET,
    Existing,
    opening_payment_no,
)
from reports.workbook.reader import Row

REVERSAL_PREFIX = "RVS"
ZERO = Decimal("0")


def write_open_invoices(ctx: ImportContext) -> None:
    rows = ctx.rows(SHEET)
    if not rows:
        return
    counts = ctx.counts.setdefault(SHEET, SheetCounts())
    existing: dict[str, Existing] = ctx.open_invoices
    customers = ctx.id_map("customer")
    new_rows, changed = [], []
    for row in rows:
        old = existing.get(row.v["invoice_no"])
        if old is None:
            new_rows.append(row)
            counts.created += 1
        elif row.v.get("_changed"):
            changed.append((row, old))
            counts.updated += 1
        else:
            counts.unchanged += 1
    _create(ctx, new_rows, customers)
    _update(ctx, changed, customers)


def _stamp(ctx: ImportContext) -> dict:
    return {
        "created_at": ctx.now,
        "created_by_id": ctx.user_id,
        "updated_at": ctx.now,
        "updated_by_id": ctx.user_id,
    }


def _invoice_fields(row: Row, customer_id: int) -> dict:
    v = row.v
    return {
        "customer_id": customer_id,
        "invoice_date": v["invoice_date"],
        "due_date": v["due_date"],
        "vat_rate": ZERO,
        "net_amount": v["amount"],
        "tax_amount": ZERO,
        "gross_amount": v["amount"],
        "allocated_amount": v["paid"],
        "status": InvoiceStatus.PAID if v["paid"] >= v["amount"] else InvoiceStatus.OPEN,
    }


def _payment(ctx: ImportContext, row: Row, customer_id: int) -> Payment:
    v = row.v
    return Payment(
        payment_no=opening_payment_no(v["invoice_no"]),
        customer_id=customer_id,
        date=v["invoice_date"],
        amount=v["paid"],
        allocated_amount=v["paid"],
        method=OPENING_METHOD,
        reference=v["invoice_no"][:100],
        **_stamp(ctx),
    )


def _create(ctx: ImportContext, rows: list[Row], customers: dict[str, int]) -> None:
    if not rows:
        return
    invoices = [
        Invoice(
            invoice_no=r.v["invoice_no"],
            opening=True,
            **_invoice_fields(r, customers[r.v["customer"]]),
            **_stamp(ctx),
        )
        for r in rows
    ]
    for part in chunks(invoices, 2000):
        Invoice.objects.bulk_create(part)
    paid = [(r, inv) for r, inv in zip(rows, invoices, strict=True) if r.v["paid"] > 0]
    payments = [_payment(ctx, r, inv.customer_id) for r, inv in paid]
    for part in chunks(payments, 2000):
        Payment.objects.bulk_create(part)
    allocations = [
        Allocation(
            invoice_id=inv.pk,
            payment_id=payment.pk,
            date=r.v["invoice_date"],
            amount=r.v["paid"],
            **_stamp(ctx),
        )
        for (r, inv), payment in zip(paid, payments, strict=True)
    ]
    for part in chunks(allocations, 2000):
        Allocation.objects.bulk_create(part)


def _update(ctx: ImportContext, changed: list[tuple[Row, Existing]], customers: dict) -> None:
    """Opening invoices nothing else touched follow the sheet (a few rows at most; a few
    statements each). A new paid amount or customer: the opening payment is reversed and
    a new one written, never an allocation row changed."""
    for row, old in changed:
        v = row.v
        customer_id = customers[v["customer"]]
        posted = old.posted_payment
        redo = (
            posted is not None
            and (posted["amount"] != v["paid"] or posted["customer_id"] != customer_id)
        ) or (posted is None and v["paid"] > 0)
        if redo and posted is not None:
            _reverse(ctx, posted, old.invoice["id"])
        Invoice.objects.filter(pk=old.invoice["id"]).update(
            **_invoice_fields(row, customer_id), updated_at=ctx.now, updated_by_id=ctx.user_id
        )
        if redo and v["paid"] > 0:
            payment = _payment(ctx, row, customer_id)
            payment.payment_no = _free_number(v["invoice_no"], len(old.opening_payments) + 1)
            payment.save()
            Allocation.objects.create(
                invoice_id=old.invoice["id"],
                payment_id=payment.pk,
                date=v["invoice_date"],
                amount=v["paid"],
                **_stamp(ctx),
            )


def _reverse(ctx: ImportContext, payment: dict, invoice_id: int) -> None:
    """Reverse an opening payment: a reversal document and the negative of its allocation
    rows; the invoice's allocated amount is set by the caller."""
    on = max(ctx.today, payment["date"])
    reversal = PaymentReversal.objects.create(
        reversal_no=next_document_number(prefix=REVERSAL_PREFIX, on=on),
        payment_id=payment["id"],
        date=on,
        reason="Opening receivable re-imported from the workbook",
        **_stamp(ctx),
    )
    given = Allocation.objects.filter(payment_id=payment["id"], reversal__isnull=True)
    Allocation.objects.bulk_create(
        [
            Allocation(
                invoice_id=a.invoice_id,
                payment_id=payment["id"],
                reversal=reversal,
                date=on,
                amount=-a.amount,
                **_stamp(ctx),
            )
            for a in given
        ]
    )
    Payment.objects.filter(pk=payment["id"]).update(
        status=PaymentStatus.REVERSED,
        allocated_amount=ZERO,
        updated_at=ctx.now,
        updated_by_id=ctx.user_id,
    )


def _free_number(invoice_no: str, n: int) -> str:
    while Payment.objects.filter(payment_no=opening_payment_no(invoice_no, n)).exists():
        n += 1
    return opening_payment_no(invoice_no, n)
