"""Invoices (销售发票) from shipped quantities, their cancellation, the VAT invoice number
(增值税发票号) recorded afterwards, and credit notes (红字发票). CONTRACT.md section 8.

Rules: an invoice bills shipped, not yet invoiced quantities of one customer's shipments; a
line's net = quantity x the order line's unit price, rounded to 0.01 half up; tax = net
total x the VAT rate, rounded once per invoice; gross = net + tax; due date = invoice date
+ the customer's payment terms. A shipment quantity is invoiced at most once: the shipment
rows are locked and their `invoiced_quantity` kept in the same transaction.

Locks, in this order: the customer, the invoice, the shipments (primary-key order), the
document-number sequence; then orders.receivables.payments allocates the customer's
unallocated credit (its own locks)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from customers.models import Customer
from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.quantities import unit_refusal
from orders.models import Shipment
from orders.receivables.credit_notes import (
    CreditLineInput,
    CreditNoteLimitExceeded,
    create_credit_note,
)
from orders.receivables.documents import (
    MAX_LINES,
    MAX_NOTES,
    MAX_VAT_INVOICE_NO,
    ZERO,
    InvoiceStateError,
    apply_credit,
    cents,
    date_of,
    locked_customer,
    locked_invoice,
    quantity_of,
    tax_of,
    text_of,
)
from orders.receivables.models import Invoice, InvoiceLine, InvoiceStatus

INVOICE_PREFIX = "INV"
MAX_REASON = 200


class InvoiceLimitExceeded(ConflictError):
    """More than a shipment's shipped and not yet invoiced quantity."""


def _wanted(lines: Sequence) -> dict[str, Decimal]:
    """Shipment number -> quantity, the same shipment given twice added up."""
    if not lines:
        raise DomainError("An invoice needs at least one line.", field="lines")
    if len(lines) > MAX_LINES:
        raise DomainError(f"An invoice has at most {MAX_LINES} lines.", field="lines")
    wanted: dict[str, Decimal] = {}
    for n, line in enumerate(lines, start=1):
        try:
            shipment, quantity = line
        except (TypeError, ValueError):
            raise DomainError(f"Line {n}: give a shipment and a quantity.", field="lines") from None
        number = shipment.number if isinstance(shipment, Shipment) else str(shipment or "").strip()
        if not number:
            raise DomainError(f"Line {n}: the shipment number is missing.", field="lines")
        quantity = quantity_of(quantity, f"Line {n}")
        wanted[number] = wanted.get(number, ZERO) + quantity
    return wanted


def _locked_shipments(*, customer: Customer, numbers=None):
    rows = (
        Shipment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("order_line__order", "order_line__item")
        .order_by("pk")
    )
    if numbers is None:
        rows = rows.filter(
            order_line__order__customer=customer, invoiced_quantity__lt=F("quantity")
        )
    else:
        rows = rows.filter(number__in=numbers)
    return list(rows)


def _check_shipment(shipment: Shipment, quantity: Decimal, customer: Customer) -> None:
    order = shipment.order_line.order
    item = shipment.order_line.item
    if order.customer_id != customer.pk:
        raise DomainError(
            f"Shipment {shipment.number} is of order {order.order_no} of another customer, "
            f"not {customer.code}.",
            field="lines",
        )
    if refusal := unit_refusal(item, quantity):
        raise DomainError(f"Shipment {shipment.number}: {refusal}", field="lines")
    left = shipment.quantity - shipment.invoiced_quantity
    if quantity > left:
        raise InvoiceLimitExceeded(
            f"Invoice refused for shipment {shipment.number} ({item.code}, order "
            f"{order.order_no}): {fmt(shipment.quantity)} {item.uom} shipped, "
            f"{fmt(shipment.invoiced_quantity)} {item.uom} already invoiced, "
            f"{fmt(max(left, ZERO))} {item.uom} left to invoice; {fmt(quantity)} {item.uom} "
            "asked.",
            field="lines",
        )


@transaction.atomic
def create_invoice(
    *,
    customer: Customer | str,
    invoice_date: dt.date,
    lines: Sequence | None = None,
    all_shipped: bool = False,
    vat_invoice_no: str = "",
    notes: str = "",
    by,
) -> Invoice:
    """Invoice `lines` [(shipment or its number, quantity), ...] of `customer`, or with
    `all_shipped` everything shipped to it and not yet invoiced: the invoice, or nothing at
    all with the reason (400; 409 for a quantity already invoiced)."""
    invoice_date = date_of(invoice_date, "invoice_date")
    if bool(lines) == bool(all_shipped):
        raise DomainError(
            "Give the shipments to invoice (lines) or invoice everything shipped, not both."
            if lines
            else "Give the shipments to invoice (lines) or ask for everything shipped.",
            field="lines",
        )
    vat_invoice_no = text_of(vat_invoice_no, "vat_invoice_no", MAX_VAT_INVOICE_NO)
    customer = locked_customer(customer)
    if all_shipped:
        shipments = _locked_shipments(customer=customer)
        if not shipments:
            raise DomainError(
                f"Customer {customer.code} has nothing shipped that is not invoiced yet.",
                field="customer",
            )
        wanted = {s.number: s.quantity - s.invoiced_quantity for s in shipments}
    else:
        wanted = _wanted(lines)
        shipments = _locked_shipments(customer=customer, numbers=list(wanted))
        missing = sorted(set(wanted) - {s.number for s in shipments})
        if missing:
            raise DomainError(f"There is no shipment {', '.join(missing)}.", field="lines")
        for shipment in shipments:
            _check_shipment(shipment, wanted[shipment.number], customer)

    rate = Decimal(settings.VAT_RATE)
    invoice = Invoice(
        invoice_no=next_document_number(prefix=INVOICE_PREFIX, on=invoice_date),
        customer=customer,
        invoice_date=invoice_date,
        due_date=invoice_date + dt.timedelta(days=customer.payment_terms_days),
        vat_invoice_no=vat_invoice_no,
        vat_rate=rate,
        notes=text_of(notes, "notes", MAX_NOTES),
    )
    invoice_lines = []
    for shipment in sorted(shipments, key=lambda s: (s.ship_date, s.number)):
        quantity = wanted[shipment.number]
        price = shipment.order_line.unit_price
        invoice_lines.append(
            InvoiceLine(
                shipment=shipment,
                quantity=quantity,
                unit_price=price,
                net_amount=cents(quantity * price),
            )
        )
        shipment.invoiced_quantity += quantity
        shipment.stamp(by)
    invoice.net_amount = sum((ln.net_amount for ln in invoice_lines), ZERO)
    invoice.tax_amount = tax_of(invoice.net_amount, rate)
    invoice.gross_amount = cents(invoice.net_amount + invoice.tax_amount)
    if invoice.gross_amount == 0:
        invoice.status = InvoiceStatus.PAID  # nothing to collect
    invoice.stamp(by)
    invoice.save()
    for line in invoice_lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(invoice_lines)
    Shipment.objects.bulk_update(
        shipments, ["invoiced_quantity", "updated_at", "updated_by"], batch_size=500
    )
    apply_credit(customer=customer, on=invoice_date, by=by)
    invoice.refresh_from_db()
    return invoice


def invoice_all_shipped(
    *,
    customer: Customer | str,
    invoice_date: dt.date,
    vat_invoice_no: str = "",
    notes: str = "",
    by,
) -> Invoice:
    """One invoice of everything shipped to `customer` and not invoiced yet."""
    return create_invoice(
        customer=customer,
        invoice_date=invoice_date,
        all_shipped=True,
        vat_invoice_no=vat_invoice_no,
        notes=notes,
        by=by,
    )


@transaction.atomic
def cancel_invoice(*, invoice: Invoice | str, reason: str, by) -> Invoice:
    """Cancel an invoice nothing is set against (no payment or credit note allocated, no
    credit note written): its shipped quantities may be invoiced again."""
    reason = text_of(reason, "reason", MAX_REASON)
    if not reason:
        raise DomainError("Say why the invoice is cancelled.", field="reason")
    invoice = locked_invoice(invoice)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise InvoiceStateError(f"Invoice {invoice.invoice_no} is already cancelled.")
    if invoice.allocated_amount != 0:
        raise InvoiceStateError(
            f"Invoice {invoice.invoice_no} cannot be cancelled: {fmt(invoice.allocated_amount)} "
            "of payments or credit notes is allocated to it. Reverse the payments first, or "
            "correct the invoice with a credit note."
        )
    if invoice.credit_notes.exists():
        raise InvoiceStateError(
            f"Invoice {invoice.invoice_no} cannot be cancelled: credit notes were written "
            "against it."
        )
    lines = list(invoice.lines.values_list("shipment_id", "quantity"))
    released = dict.fromkeys((sid for sid, _q in lines), ZERO)
    for shipment_id, quantity in lines:
        released[shipment_id] += quantity
    shipments = list(
        Shipment.objects.select_for_update(no_key=True).filter(pk__in=released).order_by("pk")
    )
    for shipment in shipments:
        shipment.invoiced_quantity -= released[shipment.pk]
        shipment.stamp(by)
    Shipment.objects.bulk_update(shipments, ["invoiced_quantity", "updated_at", "updated_by"])
    invoice.status = InvoiceStatus.CANCELLED
    invoice.cancel_reason = reason
    invoice.cancelled_at = timezone.now()
    invoice.cancelled_by = by if getattr(by, "is_authenticated", False) else None
    invoice.stamp(by)
    invoice.save(
        update_fields=[
            "status",
            "cancel_reason",
            "cancelled_at",
            "cancelled_by",
            "updated_at",
            "updated_by",
        ]
    )
    return invoice


@transaction.atomic
def set_vat_invoice_no(*, invoice: Invoice | str, vat_invoice_no: str, by) -> Invoice:
    """Record the VAT invoice number (增值税发票号) the tax office issued: the only change an
    issued invoice takes; who and when are kept in updated_by / updated_at."""
    number = text_of(vat_invoice_no, "vat_invoice_no", MAX_VAT_INVOICE_NO)
    if not number:
        raise DomainError("Enter the VAT invoice number.", field="vat_invoice_no")
    invoice = locked_invoice(invoice)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise InvoiceStateError(f"Invoice {invoice.invoice_no} is cancelled.")
    invoice.vat_invoice_no = number
    invoice.stamp(by)
    invoice.save(update_fields=["vat_invoice_no", "updated_at", "updated_by"])
    return invoice


__all__ = [
    "CreditLineInput",
    "CreditNoteLimitExceeded",
    "InvoiceLimitExceeded",
    "InvoiceStateError",
    "apply_credit",
    "cancel_invoice",
    "cents",
    "create_credit_note",
    "create_invoice",
    "invoice_all_shipped",
    "set_vat_invoice_no",
]
