"""Quotations (报价单): write one with its lines, edit it while it is a draft or sent, move it
(sent, accepted, cancelled) and convert it into a customer order in one step through
orders.services (crm sits above orders). Every refusal says why in the user's language."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models_quotations import (
    Quotation,
    QuotationLine,
    QuotationStatus,
    line_amount,
)
from customers.models import Contact, Customer
from erp.errors import ConflictError, DomainError
from erp.roles import Role, has_role
from erp.services import next_document_number
from materials.models import Item
from materials.quantities import unit_refusal
from orders.models import SalesOrder
from orders.services.orders import OrderLineInput, order_create, parse_decimal

QUOTATION_PREFIX = "QT"
MAX_LINES = 200
MAX_DELIVERY_DAYS = 3650
MAX_NOTES = 4000
# Statuses in which the quotation may still be edited (a sent one is revised and re-sent).
EDITABLE = (QuotationStatus.DRAFT, QuotationStatus.SENT)
# The one transition table: from -> the statuses a person may move it to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    QuotationStatus.DRAFT: (
        QuotationStatus.SENT,
        QuotationStatus.ACCEPTED,
        QuotationStatus.CONVERTED,
        QuotationStatus.CANCELLED,
    ),
    QuotationStatus.SENT: (
        QuotationStatus.ACCEPTED,
        QuotationStatus.CONVERTED,
        QuotationStatus.CANCELLED,
    ),
    QuotationStatus.ACCEPTED: (QuotationStatus.CONVERTED, QuotationStatus.CANCELLED),
    QuotationStatus.CONVERTED: (),
    QuotationStatus.CANCELLED: (),
}
HEADER_FIELDS = (
    "customer",
    "contact",
    "salesperson",
    "quote_date",
    "valid_until",
    "currency",
    "delivery_days",
    "notes",
)


class QuotationStateError(ConflictError):
    """The quotation's status does not allow this (HTTP 409)."""


@dataclass
class QuotationLineInput:
    """One line as a person enters it: `item` an Item or its code; a blank price takes the
    item's list price."""

    item: Any
    quantity: Any
    unit_price: Any = None
    discount_percent: Any = Decimal(0)
    description: str = ""


@dataclass
class _CleanLine:
    item: Item
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    description: str


def can_move(status: str, target: str) -> bool:
    return target in TRANSITIONS.get(status, ())


def _as_input(raw: QuotationLineInput | Mapping[str, Any]) -> QuotationLineInput:
    if isinstance(raw, QuotationLineInput):
        return raw
    known = {f.name for f in fields(QuotationLineInput)}
    given = {k: v for k, v in raw.items() if k in known}
    return QuotationLineInput(**{"item": None, "quantity": None, **given})


def _clean_lines(lines: Sequence[QuotationLineInput | Mapping[str, Any]]) -> list[_CleanLine]:
    """Every line checked at once; every problem reported together, each naming its row."""
    inputs = [_as_input(raw) for raw in lines]
    if not inputs:
        raise DomainError(_("A quotation needs at least one line."), field="lines")
    if len(inputs) > MAX_LINES:
        raise DomainError(
            _("A quotation has at most %(n)s lines.") % {"n": MAX_LINES}, field="lines"
        )
    codes = {i.item.strip() for i in inputs if isinstance(i.item, str)}
    items = {item.code: item for item in Item.objects.filter(code__in=codes)}
    errors: list[dict[str, Any]] = []
    clean: list[_CleanLine] = []

    def refuse(row: int, field: str, message: str) -> None:
        text = _("Line %(row)s: %(message)s") % {"row": row, "message": message}
        errors.append({"row": row, "field": field, "message": text})

    for row, entry in enumerate(inputs, start=1):
        before = len(errors)
        raw_item = entry.item.strip() if isinstance(entry.item, str) else entry.item
        item = raw_item if isinstance(raw_item, Item) else items.get(raw_item)
        if item is None:
            refuse(row, "item", _("there is no item %(code)s.") % {"code": raw_item or "—"})
        elif not item.is_active:
            refuse(row, "item", _("item %(code)s is inactive.") % {"code": item.code})
        quantity = parse_decimal(entry.quantity)
        if quantity is None:
            refuse(row, "quantity", _("the quantity must be a number."))
        elif quantity <= 0:
            refuse(row, "quantity", _("the quantity must be greater than 0."))
        elif item is not None and (refusal := unit_refusal(item, quantity)):
            refuse(row, "quantity", refusal)
        price: Decimal | None
        if entry.unit_price is None or entry.unit_price == "":
            price = item.list_price if item is not None else Decimal(0)
        else:
            price = parse_decimal(entry.unit_price)
        if price is None:
            refuse(row, "unit_price", _("the unit price must be a number."))
        elif price < 0:
            refuse(row, "unit_price", _("the unit price cannot be negative."))
        elif price != price.quantize(Decimal("0.000001")):
            refuse(row, "unit_price", _("the unit price has more than 6 decimal places."))
        discount = parse_decimal(
            entry.discount_percent if entry.discount_percent not in (None, "") else 0
        )
        if discount is None or not 0 <= discount < 100:
            refuse(row, "discount_percent", _("the discount is a percentage from 0 to 99.99."))
        elif discount != discount.quantize(Decimal("0.01")):
            refuse(row, "discount_percent", _("the discount has at most 2 decimal places."))
        description = (entry.description or "").strip()
        if len(description) > 200:
            refuse(row, "description", _("the description is longer than 200 characters."))
        if len(errors) == before:
            clean.append(_CleanLine(item, quantity, price, discount, description))
    if errors:
        raise DomainError(" ".join(e["message"] for e in errors), field="lines", details=errors)
    return clean


def _check_header(quotation: Quotation) -> None:
    customer = quotation.customer
    if customer is None:
        raise DomainError(_("Choose the customer."), field="customer")
    if not customer.is_active:
        raise DomainError(
            _("Customer %(code)s is inactive.") % {"code": customer.code}, field="customer"
        )
    if not isinstance(quotation.quote_date, dt.date):
        raise DomainError(_("The quotation date is required."), field="quote_date")
    if not isinstance(quotation.valid_until, dt.date):
        raise DomainError(_("Say until when the prices are valid."), field="valid_until")
    if quotation.valid_until < quotation.quote_date:
        raise DomainError(
            _("The quotation cannot be valid until %(until)s, before its date %(date)s.")
            % {
                "until": f"{quotation.valid_until:%Y-%m-%d}",
                "date": f"{quotation.quote_date:%Y-%m-%d}",
            },
            field="valid_until",
        )
    if quotation.contact is not None and quotation.contact.customer_id != customer.pk:
        raise DomainError(
            _("%(name)s is not a contact of this customer.") % {"name": quotation.contact},
            field="contact",
        )
    currency = (quotation.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise DomainError(_("The currency is a 3-letter code such as CNY."), field="currency")
    quotation.currency = currency
    days = quotation.delivery_days
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DELIVERY_DAYS:
        raise DomainError(
            _("The delivery time is whole days from 0 to %(n)s.") % {"n": MAX_DELIVERY_DAYS},
            field="delivery_days",
        )
    quotation.notes = (quotation.notes or "").strip()
    if len(quotation.notes) > MAX_NOTES:
        raise DomainError(
            _("The notes are longer than %(n)s characters.") % {"n": MAX_NOTES}, field="notes"
        )


def _default_salesperson(user, customer: Customer):
    """Who follows the quotation up: the salesperson writing it, else the customer's."""
    if getattr(user, "is_authenticated", False) and has_role(user, Role.SALES.value):
        if not user.is_superuser:
            return user
    return customer.salesperson or (user if getattr(user, "is_authenticated", False) else None)


def _write_lines(quotation: Quotation, clean: list[_CleanLine]) -> None:
    quotation.lines.all().delete()
    QuotationLine.objects.bulk_create(
        QuotationLine(
            quotation=quotation,
            line=n,
            item=cl.item,
            quantity=cl.quantity,
            unit_price=cl.unit_price,
            discount_percent=cl.discount_percent,
            description=cl.description,
        )
        for n, cl in enumerate(clean, start=1)
    )


def _total(clean: list[_CleanLine]) -> Decimal:
    return sum(
        (line_amount(cl.quantity, cl.unit_price, cl.discount_percent) for cl in clean),
        Decimal(0),
    )


@transaction.atomic
def quotation_create(
    *,
    user: AbstractBaseUser | None,
    customer: Customer | None,
    valid_until: dt.date | None,
    lines: Sequence[QuotationLineInput | Mapping[str, Any]],
    quote_date: dt.date | None = None,
    contact: Contact | None = None,
    salesperson: AbstractBaseUser | None = None,
    currency: str = "CNY",
    delivery_days: int = 30,
    notes: str = "",
) -> Quotation:
    """A new draft quotation numbered QT-YYYY-NNNNNN; dated today unless given."""
    quotation = Quotation(
        customer=customer,
        contact=contact,
        quote_date=quote_date or timezone.localdate(),
        valid_until=valid_until,
        currency=currency,
        delivery_days=delivery_days,
        notes=notes,
        status=QuotationStatus.DRAFT,
    )
    _check_header(quotation)
    clean = _clean_lines(lines)
    quotation.salesperson = salesperson or _default_salesperson(user, customer)
    quotation.total = _total(clean)
    quotation.number = next_document_number(prefix=QUOTATION_PREFIX)
    quotation.stamp(user)
    quotation.save()
    _write_lines(quotation, clean)
    return quotation


def lock_quotation(quotation: Quotation) -> Quotation:
    """The quotation row, locked for this transaction and read fresh."""
    return (
        Quotation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer")
        .get(pk=quotation.pk)
    )


@transaction.atomic
def quotation_update(
    *,
    quotation: Quotation,
    user: AbstractBaseUser | None,
    lines: Sequence[QuotationLineInput | Mapping[str, Any]] | None = None,
    **header: Any,
) -> Quotation:
    """Change a draft or sent quotation: its header fields and (when `lines` is given) all
    of its lines. Extending the validity of an expired one revives it."""
    quotation = lock_quotation(quotation)
    if quotation.status not in EDITABLE:
        raise QuotationStateError(
            _("Quotation %(no)s is %(status)s; only a draft or sent quotation can be edited.")
            % {"no": quotation.number, "status": quotation.get_status_display()}
        )
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in header.items():
        setattr(quotation, name, value)
    _check_header(quotation)
    if lines is not None:
        clean = _clean_lines(lines)
        _write_lines(quotation, clean)
        quotation.total = _total(clean)
    quotation.stamp(user)
    quotation.save()
    return quotation


def _check_move(quotation: Quotation, target: str, *, today: dt.date) -> None:
    if not can_move(quotation.status, target):
        raise QuotationStateError(
            _("Quotation %(no)s is %(status)s; it cannot become %(target)s.")
            % {
                "no": quotation.number,
                "status": quotation.get_status_display(),
                "target": QuotationStatus(target).label,
            }
        )
    if target != QuotationStatus.CANCELLED and quotation.is_expired(today):
        raise QuotationStateError(
            _(
                "Quotation %(no)s expired on %(date)s. Extend its validity first (a draft or "
                "sent one), or write a new quotation."
            )
            % {"no": quotation.number, "date": f"{quotation.valid_until:%Y-%m-%d}"}
        )


def _set_status(quotation: Quotation, target: str, user) -> None:
    quotation.status = target
    quotation.status_changed_at = timezone.now()
    quotation.status_changed_by = user if getattr(user, "is_authenticated", False) else None
    quotation.stamp(user)
    quotation.save()


@transaction.atomic
def quotation_move(
    *, quotation: Quotation, user: AbstractBaseUser | None, target: str, reason: str = ""
) -> Quotation:
    """Sent to the customer, accepted by them, or cancelled (with a reason). An expired
    quotation may only be cancelled; converting is quotation_convert."""
    if target not in (QuotationStatus.SENT, QuotationStatus.ACCEPTED, QuotationStatus.CANCELLED):
        raise DomainError(_("A quotation is moved to sent, accepted or cancelled."), field="status")
    quotation = lock_quotation(quotation)
    if quotation.status == target:
        return quotation
    _check_move(quotation, target, today=timezone.localdate())
    if target == QuotationStatus.CANCELLED:
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("Say why the quotation is cancelled."), field="reason")
        quotation.cancel_reason = reason[:MAX_NOTES]
    _set_status(quotation, target, user)
    return quotation


@transaction.atomic
def quotation_convert(
    *,
    quotation: Quotation,
    user: AbstractBaseUser | None,
    order_date: dt.date | None = None,
    due_date: dt.date | None = None,
    customer_po: str = "",
) -> SalesOrder:
    """The customer order of this quotation, in one step: a draft order with every line at
    the quoted net price, due `delivery_days` after the order date (or on `due_date`); the
    quotation is marked converted and names the order. Refused for an expired, cancelled or
    already converted quotation; nothing is written when anything is refused."""
    quotation = lock_quotation(quotation)
    if quotation.status == QuotationStatus.CONVERTED:
        raise QuotationStateError(
            _("Quotation %(no)s was already converted into order %(order)s.")
            % {"no": quotation.number, "order": quotation.order.order_no}
        )
    _check_move(quotation, QuotationStatus.CONVERTED, today=timezone.localdate())
    order_date = order_date or timezone.localdate()
    if due_date is not None and due_date < order_date:
        raise DomainError(
            _("The due date %(due)s is before the order date %(date)s.")
            % {"due": f"{due_date:%Y-%m-%d}", "date": f"{order_date:%Y-%m-%d}"},
            field="due_date",
        )
    try:
        line_due = due_date or order_date + dt.timedelta(days=quotation.delivery_days)
    except OverflowError:
        raise DomainError(_("The order date is out of range."), field="order_date") from None
    lines = [
        OrderLineInput(
            item=ql.item,
            quantity=ql.quantity,
            unit_price=ql.net_price,
            due_date=line_due,
            specification=ql.description,
        )
        for ql in quotation.lines.select_related("item").order_by("line")
    ]
    words = _("From quotation %(no)s.") % {"no": quotation.number}
    order = order_create(
        user=user,
        customer=quotation.customer,
        order_date=order_date,
        customer_po=customer_po,
        notes=f"{words}\n{quotation.notes}".strip(),
        lines=lines,
    )
    quotation.order = order
    _set_status(quotation, QuotationStatus.CONVERTED, user)
    return order
