"""Receivable rows built directly (model rows, not services), for the aging tests: an
invoice, a payment, a credit note, allocations and a reversal, each with the stored
`allocated_amount` totals kept as the services keep them."""

import datetime as dt
import itertools
from decimal import Decimal

from django.conf import settings

from orders.receivables.models import (
    Allocation,
    CreditNote,
    Invoice,
    Payment,
    PaymentReversal,
    PaymentStatus,
)

_seq = itertools.count(1)


def _no(prefix: str) -> str:
    return f"T{prefix}-{next(_seq):06d}"


def invoice(customer, *, on: dt.date, due: dt.date | None = None, gross="100.00", **kw) -> Invoice:
    gross = Decimal(gross)
    net = (gross / (1 + settings.VAT_RATE)).quantize(Decimal("0.01"))
    return Invoice.objects.create(
        invoice_no=kw.pop("invoice_no", None) or _no("INV"),
        customer=customer,
        invoice_date=on,
        due_date=due or on + dt.timedelta(days=customer.payment_terms_days),
        vat_rate=settings.VAT_RATE,
        net_amount=net,
        tax_amount=gross - net,
        gross_amount=gross,
        **kw,
    )


def payment(customer, *, on: dt.date, amount="100.00", **kw) -> Payment:
    return Payment.objects.create(
        payment_no=_no("PAY"), customer=customer, date=on, amount=Decimal(amount), **kw
    )


def credit_note(customer, *, invoice: Invoice, on: dt.date, gross="10.00", **kw) -> CreditNote:
    gross = Decimal(gross)
    return CreditNote.objects.create(
        credit_note_no=_no("CN"),
        customer=customer,
        invoice=invoice,
        date=on,
        vat_rate=settings.VAT_RATE,
        net_amount=gross,
        tax_amount=Decimal(0),
        gross_amount=gross,
        **kw,
    )


def allocate(source, inv: Invoice, *, on: dt.date, amount) -> Allocation:
    """Allocate `amount` of a payment or credit note to an invoice, keeping the totals."""
    amount = Decimal(amount)
    field = "payment" if isinstance(source, Payment) else "credit_note"
    row = Allocation.objects.create(invoice=inv, date=on, amount=amount, **{field: source})
    inv.allocated_amount += amount
    inv.save(update_fields=["allocated_amount"])
    source.allocated_amount += amount
    source.save(update_fields=["allocated_amount"])
    return row


def reverse(pay: Payment, *, on: dt.date, reason="bounced") -> PaymentReversal:
    """Reverse a payment: negative allocation rows for each of its allocations."""
    rev = PaymentReversal.objects.create(
        reversal_no=_no("REV"), payment=pay, date=on, reason=reason
    )
    for row in list(pay.allocations.filter(amount__gt=0)):
        Allocation.objects.create(
            invoice=row.invoice, payment=pay, reversal=rev, date=on, amount=-row.amount
        )
        inv = row.invoice
        inv.allocated_amount -= row.amount
        inv.save(update_fields=["allocated_amount"])
    pay.allocated_amount = Decimal(0)
    pay.status = PaymentStatus.REVERSED
    pay.save(update_fields=["allocated_amount", "status"])
    return rev
