"""What invoices and credit notes share: money rounding (0.01 half up), the customer and
invoice row locks, input checks, and the hand-over to the allocation of the customer's
unallocated credit (orders.receivables.payments)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from customers.models import Customer
from erp.errors import ConflictError, DomainError
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.numbers import EXACT
from orders.receivables.models import Invoice
from orders.receivables.payments import apply_unallocated_credit

CENT = Decimal("0.01")
ZERO = Decimal("0")
MAX_LINES = 500
MAX_VAT_INVOICE_NO = 60
MAX_NOTES = 2000
MAX_MONEY = Decimal(10) ** (QUANTITY_DIGITS - QUANTITY_PLACES)


class InvoiceStateError(ConflictError):
    """The invoice is cancelled, or has payments or credit notes set against it."""


def cents(value: Decimal) -> Decimal:
    """Money rounded to 0.01, half up (0.005 -> 0.01); an amount beyond what the books hold
    (14 digits before the point) is refused."""
    if not value.is_finite() or abs(value) >= MAX_MONEY:
        raise DomainError("The amount is too large.", field="lines")
    with localcontext(EXACT):
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tax_of(net: Decimal, rate: Decimal) -> Decimal:
    return cents(net * rate)


def locked_customer(customer) -> Customer:
    """The customer (a record or its code), locked: one invoicing of a customer at a time."""
    code = customer.code if isinstance(customer, Customer) else str(customer or "").strip()
    found = Customer.objects.select_for_update(no_key=True).filter(code=code).first()
    if found is None:
        raise DomainError(f"There is no customer {code}.", field="customer")
    return found


def date_of(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(f"The {field.replace('_', ' ')} must be a date.", field=field)
    return value


def quantity_of(value, where: str, field: str = "lines") -> Decimal:
    """A positive, finite quantity with at most 6 decimals, or a refusal naming `where`."""
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{where}: the quantity must be a number.", field=field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(f"{where}: the quantity must be greater than 0.", field=field)
    if quantity != quantity.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise DomainError(
            f"{where}: the quantity has more than {QUANTITY_PLACES} decimals.", field=field
        )
    return quantity


def apply_credit(*, customer: Customer, on: dt.date, by) -> None:
    """Let the customer's unallocated payments and credit notes pay its open invoices, the
    earliest due first (orders.receivables.payments), in the caller's transaction."""
    apply_unallocated_credit(customer=customer, on=on, by=by)


def text_of(value, field: str, limit: int) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise DomainError("Null characters are not allowed.", field=field)
    if len(text) > limit:
        raise DomainError(
            f"The {field.replace('_', ' ')} has more than {limit} characters.", field=field
        )
    return text


def locked_invoice(invoice: Invoice | str) -> Invoice:
    number = invoice.invoice_no if isinstance(invoice, Invoice) else str(invoice or "").strip()
    found = (
        Invoice.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer")
        .filter(invoice_no=number)
        .first()
    )
    if found is None:
        raise DomainError(f"There is no invoice {number}.", field="invoice")
    return found
