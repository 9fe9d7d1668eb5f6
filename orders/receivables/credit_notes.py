"""Credit notes (红字发票 / 贷项通知单) on an invoice: goods returned (a quantity of an invoice
line, at most what was invoiced minus what earlier credit notes returned) or a price
correction (a quantity x the price difference), or another agreed amount. Same rounding as
the invoice (line net 0.01 half up, tax once on the net total) at the invoice's VAT rate;
the gross of all credit notes of an invoice never exceeds the invoice's gross. The credit
is the customer's, allocated like a payment (orders.receivables.payments).

Use it through orders.receivables.invoicing.create_credit_note."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from orders.receivables import documents as inv
from orders.receivables.models import (
    CreditNote,
    CreditNoteLine,
    CreditNoteReason,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)

CREDIT_NOTE_PREFIX = "CN"
ZERO = Decimal("0")
MAX_DESCRIPTION = 200


class CreditNoteLimitExceeded(ConflictError):
    """More returned than invoiced, or more credited than the invoice's gross."""


@dataclass(frozen=True)
class CreditLineInput:
    """One credit note line: an invoice line (the record, its id or its shipment's number;
    None for an amount not tied to a line), a quantity and a unit price (for a return, the
    invoice line's price when None; for a price correction, the difference per unit)."""

    invoice_line: InvoiceLine | int | str | None
    quantity: Decimal
    unit_price: Decimal | None = None
    description: str = ""


def _line_input(line) -> CreditLineInput:
    if isinstance(line, CreditLineInput):
        return line
    if isinstance(line, dict):
        return CreditLineInput(**line)
    return CreditLineInput(*line)


def _price(value, where: str) -> Decimal:
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{where}: the unit price must be a number.", field="lines") from None
    if not price.is_finite() or price <= 0:
        raise DomainError(f"{where}: the unit price must be greater than 0.", field="lines")
    return price


def _invoice_line(ref, lines: dict[int, InvoiceLine], where: str) -> InvoiceLine | None:
    if ref is None or ref == "":
        return None
    if isinstance(ref, InvoiceLine):
        ref = ref.pk
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = lines.get(ref)
    else:
        text = str(ref).strip()
        found = next((ln for ln in lines.values() if ln.shipment.number == text), None)
    if found is None:
        raise DomainError(f"{where}: the invoice has no line {ref}.", field="lines")
    return found


@transaction.atomic
def create_credit_note(
    *,
    invoice: Invoice | str,
    date: dt.date,
    reason: str,
    lines: Sequence,
    notes: str = "",
    vat_invoice_no: str = "",
    by,
) -> CreditNote:
    """A credit note on `invoice` for `lines` [(invoice line, quantity, unit price), ...]:
    the note, or nothing with the reason (400; 409 beyond what may be credited)."""
    date = inv.date_of(date, "date")
    if reason not in CreditNoteReason.values:
        raise DomainError(
            f"The reason must be one of {', '.join(CreditNoteReason.values)}.", field="reason"
        )
    if not lines:
        raise DomainError("A credit note needs at least one line.", field="lines")
    if len(lines) > inv.MAX_LINES:
        raise DomainError(f"A credit note has at most {inv.MAX_LINES} lines.", field="lines")
    notes = inv.text_of(notes, "notes", inv.MAX_NOTES)
    vat_invoice_no = inv.text_of(vat_invoice_no, "vat_invoice_no", inv.MAX_VAT_INVOICE_NO)
    number = invoice.invoice_no if isinstance(invoice, Invoice) else str(invoice or "").strip()
    code = Invoice.objects.filter(invoice_no=number).values_list("customer__code", flat=True)
    if not code:
        raise DomainError(f"There is no invoice {number}.", field="invoice")
    customer = inv.locked_customer(code[0])
    invoice = inv.locked_invoice(number)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise inv.InvoiceStateError(f"Invoice {invoice.invoice_no} is cancelled.")
    if date < invoice.invoice_date:
        raise DomainError(
            f"The credit note date is before the invoice's date ({invoice.invoice_date}).",
            field="date",
        )
    invoice_lines = {
        ln.pk: ln
        for ln in InvoiceLine.objects.filter(invoice=invoice).select_related(
            "shipment__order_line__item"
        )
    }
    returned = dict(
        CreditNoteLine.objects.filter(
            invoice_line__invoice=invoice, credit_note__reason=CreditNoteReason.RETURN
        )
        .values_list("invoice_line")
        .annotate(q=Sum("quantity"))
        .values_list("invoice_line", "q")
    )
    rows = _credit_lines(lines, reason, invoice_lines, returned)

    net = sum((row.net_amount for row in rows), ZERO)
    tax = inv.tax_of(net, invoice.vat_rate)
    gross = inv.cents(net + tax)
    earlier = invoice.credit_notes.aggregate(g=Sum("gross_amount"))["g"] or ZERO
    room = invoice.gross_amount - earlier
    if gross > room:
        raise CreditNoteLimitExceeded(
            f"Credit note refused: invoice {invoice.invoice_no} is {fmt(invoice.gross_amount)} "
            f"gross, earlier credit notes {fmt(earlier)}, {fmt(max(room, ZERO))} left to credit; "
            f"this note is {fmt(gross)}.",
            field="lines",
        )
    note = CreditNote(
        credit_note_no=next_document_number(prefix=CREDIT_NOTE_PREFIX, on=date),
        customer=customer,
        invoice=invoice,
        date=date,
        reason=reason,
        vat_invoice_no=vat_invoice_no,
        vat_rate=invoice.vat_rate,
        net_amount=net,
        tax_amount=tax,
        gross_amount=gross,
        notes=notes,
    )
    note.stamp(by)
    note.save()
    for row in rows:
        row.credit_note = note
    CreditNoteLine.objects.bulk_create(rows)
    inv.apply_credit(customer=customer, on=date, by=by)
    note.refresh_from_db()
    return note


def _credit_lines(lines, reason, invoice_lines, returned) -> list[CreditNoteLine]:
    rows = []
    asked: dict[int, Decimal] = {}
    for n, raw in enumerate(lines, start=1):
        where = f"Line {n}"
        try:
            line = _line_input(raw)
        except TypeError:
            raise DomainError(
                f"{where}: give an invoice line, a quantity and a unit price.", field="lines"
            ) from None
        invoice_line = _invoice_line(line.invoice_line, invoice_lines, where)
        quantity = inv.quantity_of(line.quantity, where)
        description = inv.text_of(line.description, "lines", MAX_DESCRIPTION)
        if invoice_line is None:
            if reason == CreditNoteReason.RETURN:
                raise DomainError(
                    f"{where}: a return names the invoice line of the goods.", field="lines"
                )
            if not description:
                raise DomainError(
                    f"{where}: say what an amount not tied to an invoice line is for.",
                    field="lines",
                )
            if line.unit_price is None:
                raise DomainError(f"{where}: the unit price is missing.", field="lines")
            price = _price(line.unit_price, where)
        else:
            if line.unit_price is None and reason != CreditNoteReason.RETURN:
                raise DomainError(f"{where}: give the price difference per unit.", field="lines")
            price = _price(
                invoice_line.unit_price if line.unit_price is None else line.unit_price, where
            )
            _check_against_line(invoice_line, quantity, price, reason, asked, returned, where)
        net = inv.cents(quantity * price)
        if net <= 0:
            raise DomainError(f"{where}: the amount rounds to 0.00.", field="lines")
        rows.append(
            CreditNoteLine(
                invoice_line=invoice_line,
                description=description,
                quantity=quantity,
                unit_price=price,
                net_amount=net,
            )
        )
    return rows


def _check_against_line(invoice_line, quantity, price, reason, asked, returned, where) -> None:
    shipment = invoice_line.shipment
    item = shipment.order_line.item
    if price > invoice_line.unit_price:
        raise DomainError(
            f"{where}: the unit price {fmt(price)} is above the invoiced price "
            f"{fmt(invoice_line.unit_price)} of shipment {shipment.number}.",
            field="lines",
        )
    if reason != CreditNoteReason.RETURN:
        if quantity > invoice_line.quantity:
            raise CreditNoteLimitExceeded(
                f"{where}: {fmt(quantity)} {item.uom} is more than the "
                f"{fmt(invoice_line.quantity)} {item.uom} invoiced for shipment "
                f"{shipment.number}.",
                field="lines",
            )
        return
    asked[invoice_line.pk] = asked.get(invoice_line.pk, ZERO) + quantity
    earlier = returned.get(invoice_line.pk) or ZERO
    left = invoice_line.quantity - earlier
    if asked[invoice_line.pk] > left:
        raise CreditNoteLimitExceeded(
            f"{where}: return refused for {item.code} of shipment {shipment.number}: "
            f"{fmt(invoice_line.quantity)} {item.uom} invoiced, {fmt(earlier)} {item.uom} "
            f"already credited as returned, {fmt(max(left, ZERO))} {item.uom} left; "
            f"{fmt(asked[invoice_line.pk])} {item.uom} asked.",
            field="lines",
        )
