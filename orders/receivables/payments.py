"""Payments (收款) and their allocation (核销) to invoices, CONTRACT.md section 8.

A payment is allocated to its customer's open invoices, by default the earliest due first
(then invoice number), or as the user chooses; what is left is the customer's unallocated
credit, used by the next invoice (`apply_unallocated_credit`, called by invoicing after
each invoice and credit note). A payment is never edited: it is reversed by a reversal
document whose negative allocation rows undo its allocations.

Locks, in this order (callers that already hold invoice locks should take the customer's
first, with `lock_customer`): the customer row (one customer's money is allocated by one
transaction at a time), the payment or credit notes whose credit is used (primary-key
order), the invoices (primary-key order), the document-number sequence. An invoice's
`allocated_amount` and status, the allocation rows and the payment's or credit note's
`allocated_amount` are written in one transaction.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from customers.models import Customer
from erp.errors import ConflictError, DomainError
from erp.services import next_document_number
from orders.receivables.models import (
    Allocation,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentReversal,
    PaymentStatus,
)

PAYMENT_PREFIX = "RCV"
REVERSAL_PREFIX = "RVS"
ZERO = Decimal("0")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # 10^12: beyond any factory's payment
Plan = list[tuple[Invoice, Decimal]]


class OverAllocation(ConflictError):
    """More than an invoice's open amount or a payment's unallocated amount (HTTP 409)."""


def money_text(value: Decimal) -> str:
    """An amount of money as the API and pages write it: 1000 -> "1000.00"."""
    return f"{value.quantize(CENT):f}"


def parse_money(value, *, field: str, what: str) -> Decimal:
    """`value` as an amount of money > 0 with at most 2 decimal places, or a refusal
    naming `what` ("The amount", "The amount for invoice INV-...")."""
    if isinstance(value, bool) or value is None:
        raise DomainError(f"{what} must be a number.", field=field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            f"{what} must be a number, not {str(value)[:40]!r}.", field=field
        ) from None
    if not amount.is_finite():
        raise DomainError(f"{what} must be a number, not {str(value)[:40]!r}.", field=field)
    if amount <= ZERO:
        raise DomainError(f"{what} must be more than 0.", field=field)
    if amount >= MAX_AMOUNT:
        raise DomainError(f"{what} is too large.", field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(
            f"{what} has more than 2 decimal places ({amount:f}): money is in yuan and fen.",
            field=field,
        )
    return amount.quantize(CENT)


def lock_customer(customer: Customer | str) -> Customer:
    """The customer (object or code), its row locked until the end of the transaction."""
    code = customer.code if isinstance(customer, Customer) else str(customer or "").strip()
    locked = Customer.objects.select_for_update(no_key=True).filter(code=code).first()
    if locked is None:
        raise DomainError(f"There is no customer {code!r}.", field="customer")
    return locked


def _lock_payment(payment: Payment | str) -> tuple[Customer, Payment]:
    number = payment.payment_no if isinstance(payment, Payment) else str(payment or "").strip()
    found = Payment.objects.filter(payment_no=number).select_related("customer").first()
    if found is None:
        raise DomainError(f"There is no payment {number!r}.", field="payment")
    customer = lock_customer(found.customer)
    return customer, Payment.objects.select_for_update(no_key=True).get(pk=found.pk)


def _open_invoices(customer: Customer) -> list[Invoice]:
    """The customer's open invoices with something open, locked (primary-key order), in
    allocation order: the earliest due first, then invoice number."""
    invoices = list(
        Invoice.objects.select_for_update(no_key=True)
        .filter(
            customer=customer,
            status=InvoiceStatus.OPEN,
            gross_amount__gt=F("allocated_amount"),
        )
        .order_by("pk")
    )
    return sorted(invoices, key=lambda inv: (inv.due_date, inv.invoice_no))


def _fill(invoices: Iterable[Invoice], available: Decimal) -> Plan:
    """`available` over `invoices` in their order: each takes min(what is left, its open)."""
    plan: Plan = []
    for invoice in invoices:
        if available <= ZERO:
            break
        take = min(available, invoice.open_amount)
        if take > ZERO:
            plan.append((invoice, take))
            available -= take
    return plan


def _chosen(customer: Customer, allocations: Sequence, *, available: Decimal, of: str) -> Plan:
    """The user's allocations [(invoice or invoice no., amount)] checked against the locked
    invoices and what `of` (the payment) has unallocated."""
    wanted: dict[str, Decimal] = {}
    for entry in allocations:
        try:
            invoice, amount = entry
        except (TypeError, ValueError):
            raise DomainError(
                "Each allocation is an invoice and an amount.", field="allocations"
            ) from None
        number = invoice.invoice_no if isinstance(invoice, Invoice) else str(invoice or "").strip()
        if not number:
            raise DomainError("An allocation names no invoice.", field="allocations")
        if number in wanted:
            raise DomainError(f"Invoice {number} is listed twice.", field="allocations")
        wanted[number] = parse_money(
            amount, field="allocations", what=f"The amount for invoice {number}"
        )
    invoices = {
        inv.invoice_no: inv
        for inv in Invoice.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer")
        .filter(invoice_no__in=list(wanted))
        .order_by("pk")
    }
    for number, amount in wanted.items():
        invoice = invoices.get(number)
        if invoice is None:
            raise DomainError(f"There is no invoice {number}.", field="allocations")
        if invoice.customer_id != customer.pk:
            raise DomainError(
                f"Invoice {number} is customer {invoice.customer.code}'s, not {customer.code}'s.",
                field="allocations",
            )
        if invoice.status == InvoiceStatus.CANCELLED:
            raise DomainError(
                f"Invoice {number} is cancelled: nothing can be allocated to it.",
                field="allocations",
            )
        if invoice.status == InvoiceStatus.PAID or invoice.open_amount <= ZERO:
            raise OverAllocation(f"Invoice {number} is already paid.", field="allocations")
        if amount > invoice.open_amount:
            raise OverAllocation(
                f"{money_text(amount)} is more than the open amount "
                f"{money_text(invoice.open_amount)} of invoice {number}.",
                field="allocations",
            )
    total = sum(wanted.values(), ZERO)
    if total > available:
        raise OverAllocation(
            f"The allocations total {money_text(total)}, more than the "
            f"{money_text(available)} of {of} that is not allocated yet.",
            field="allocations",
        )
    return [(invoices[number], amount) for number, amount in wanted.items()]


def _write(
    plan: Plan, *, source: Payment | CreditNote, on: dt.date, by, reversal=None
) -> list[Allocation]:
    """Allocation rows for `plan` (negative amounts: a reversal's), with the invoices' and
    the source's allocated amounts, in the caller's transaction."""
    if not plan:
        return []
    rows = []
    for invoice, amount in plan:
        invoice.allocated_amount += amount
        if invoice.status != InvoiceStatus.CANCELLED:
            paid = invoice.allocated_amount == invoice.gross_amount
            invoice.status = InvoiceStatus.PAID if paid else InvoiceStatus.OPEN
        invoice.stamp(by)
        row = Allocation(
            invoice=invoice,
            payment=source if isinstance(source, Payment) else None,
            credit_note=source if isinstance(source, CreditNote) else None,
            reversal=reversal,
            date=on,
            amount=amount,
        )
        row.stamp(by)
        rows.append(row)
    Invoice.objects.bulk_update(
        [invoice for invoice, _amount in plan],
        ["allocated_amount", "status", "updated_at", "updated_by"],
    )
    Allocation.objects.bulk_create(rows)
    if reversal is None:
        source.allocated_amount += sum((amount for _inv, amount in plan), ZERO)
        source.stamp(by)
        source.save(update_fields=["allocated_amount", "updated_at", "updated_by"])
    return rows


def _text(value, *, field: str, label: str, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise DomainError(f"{label} is longer than {limit} characters.", field=field)
    return text


def _date(value, *, field: str = "date") -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError("Give the date (YYYY-MM-DD).", field=field)
    return value


@transaction.atomic
def record_payment(
    *,
    customer: Customer | str,
    date: dt.date,
    amount,
    method: str = "",
    reference: str = "",
    notes: str = "",
    allocations: Sequence | None = None,
    by,
) -> Payment:
    """Record money received from `customer` and allocate it: to the customer's open
    invoices earliest due first (then invoice number), or as `allocations` [(invoice or
    invoice no., amount)] say. What is left stays as the customer's unallocated credit."""
    customer = lock_customer(customer)
    date = _date(date)
    amount = parse_money(amount, field="amount", what="The amount")
    payment = Payment(
        customer=customer,
        date=date,
        amount=amount,
        method=_text(method, field="method", label="The method", limit=40),
        reference=_text(reference, field="reference", label="The bank reference", limit=100),
        notes=str(notes or "").strip(),
    )
    if allocations is None:
        plan = _fill(_open_invoices(customer), amount)
    else:
        plan = _chosen(customer, allocations, available=amount, of="the payment")
    payment.payment_no = next_document_number(prefix=PAYMENT_PREFIX, on=date)
    payment.stamp(by)
    payment.save()
    _write(plan, source=payment, on=date, by=by)
    return payment


@transaction.atomic
def allocate_payment(
    *,
    payment: Payment | str,
    allocations: Sequence | None = None,
    on: dt.date | None = None,
    by,
) -> list[Allocation]:
    """Allocate some of a posted payment's unallocated amount by hand: `allocations`
    [(invoice or invoice no., amount)], or (None) earliest due first. Dated `on` (today)."""
    customer, payment = _lock_payment(payment)
    on = _date(on or timezone.localdate(), field="date")
    if payment.status != PaymentStatus.POSTED:
        raise ConflictError(f"Payment {payment.payment_no} is reversed.", field="payment")
    if on < payment.date:
        raise DomainError(
            f"An allocation cannot be dated before the payment ({payment.date}).", field="date"
        )
    available = payment.unallocated_amount
    if available <= ZERO:
        raise OverAllocation(
            f"Payment {payment.payment_no} is allocated in full.", field="allocations"
        )
    if allocations is None:
        plan = _fill(_open_invoices(customer), available)
    else:
        plan = _chosen(
            customer, allocations, available=available, of=f"payment {payment.payment_no}"
        )
    if not plan:
        raise DomainError("Give at least one invoice and an amount.", field="allocations")
    return _write(plan, source=payment, on=on, by=by)


@transaction.atomic
def apply_unallocated_credit(*, customer: Customer | str, on: dt.date, by) -> list[Allocation]:
    """Allocate the customer's unallocated credit (posted payments oldest first, then
    credit notes oldest first) to its open invoices, earliest due first then invoice
    number; allocations dated `on`. Called after each new invoice and credit note."""
    customer = lock_customer(customer)
    on = _date(on, field="on")
    payments = list(
        Payment.objects.select_for_update(no_key=True)
        .filter(customer=customer, status=PaymentStatus.POSTED, amount__gt=F("allocated_amount"))
        .order_by("pk")
    )
    credit_notes = list(
        CreditNote.objects.select_for_update(no_key=True)
        .filter(customer=customer, gross_amount__gt=F("allocated_amount"))
        .order_by("pk")
    )
    if not payments and not credit_notes:
        return []
    invoices = _open_invoices(customer)
    sources: list[Payment | CreditNote] = [
        *sorted(payments, key=lambda p: (p.date, p.payment_no)),
        *sorted(credit_notes, key=lambda c: (c.date, c.credit_note_no)),
    ]
    written: list[Allocation] = []
    for source in sources:
        if not any(inv.open_amount > ZERO for inv in invoices):
            break
        plan = _fill(invoices, source.unallocated_amount)
        written += _write(plan, source=source, on=on, by=by)
    return written


@transaction.atomic
def reverse_payment(*, payment: Payment | str, date: dt.date, reason: str, by) -> PaymentReversal:
    """Reverse a posted payment (a bounced transfer, the wrong customer): a reversal
    document, a negative allocation row for each of its allocations, the invoices open
    again, the payment reversed with nothing allocated. Never twice."""
    _customer, payment = _lock_payment(payment)
    date = _date(date)
    reason = _text(reason, field="reason", label="The reason", limit=200)
    if payment.status == PaymentStatus.REVERSED:
        done = PaymentReversal.objects.filter(payment=payment).first()
        raise ConflictError(
            f"Payment {payment.payment_no} is already reversed"
            + (f" ({done.reversal_no})." if done else "."),
            field="payment",
        )
    if not reason:
        raise DomainError("Give the reason for the reversal.", field="reason")
    if date < payment.date:
        raise DomainError(
            f"A payment cannot be reversed before its date ({payment.date}).", field="date"
        )
    given = list(Allocation.objects.filter(payment=payment, reversal__isnull=True).order_by("pk"))
    invoices = {
        inv.pk: inv
        for inv in Invoice.objects.select_for_update(no_key=True)
        .filter(pk__in={row.invoice_id for row in given})
        .order_by("pk")
    }
    reversal = PaymentReversal(
        reversal_no=next_document_number(prefix=REVERSAL_PREFIX, on=date),
        payment=payment,
        date=date,
        reason=reason,
    )
    reversal.stamp(by)
    reversal.save()
    _write(
        [(invoices[row.invoice_id], -row.amount) for row in given],
        source=payment,
        on=date,
        by=by,
        reversal=reversal,
    )
    payment.status = PaymentStatus.REVERSED
    payment.allocated_amount = ZERO
    payment.stamp(by)
    payment.save(update_fields=["status", "allocated_amount", "updated_at", "updated_by"])
    return reversal
