"""Logging a contact with a customer (call, visit, e-mail, message, quote with its prices)."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ContactReason, Interaction, InteractionKind, QuoteLine
from customers.models import Contact, Customer
from erp.errors import DomainError
from erp.models import QUANTITY_PLACES

MAX_SUBJECT = Interaction._meta.get_field("subject").max_length
MAX_QUOTE_LINES = 200
# A contact is logged when it happened; a clock a few minutes fast is not the future.
FUTURE_SLACK = dt.timedelta(minutes=10)


def _decimal(value, *, line: int, field: str, allow_none: bool = False) -> Decimal | None:
    if value in (None, "") and allow_none:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise DomainError(
            _("Quote line %(line)s: %(field)s is not a number.") % {"line": line, "field": field},
            field="quote_lines",
        )
    if number != number.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise DomainError(
            _("Quote line %(line)s: %(field)s has more than %(n)s decimal places.")
            % {"line": line, "field": field, "n": QUANTITY_PLACES},
            field="quote_lines",
        )
    return number


def _quote_lines(kind: str, lines: Sequence[Mapping]) -> list[QuoteLine]:
    if kind != InteractionKind.QUOTE:
        if lines:
            raise DomainError(_("Only a quote carries prices."), field="quote_lines")
        return []
    if not lines:
        raise DomainError(_("A quote needs at least one product and price."), field="quote_lines")
    if len(lines) > MAX_QUOTE_LINES:
        raise DomainError(
            _("A quote has at most %(n)s lines.") % {"n": MAX_QUOTE_LINES}, field="quote_lines"
        )
    result = []
    for number, line in enumerate(lines, start=1):
        item = line.get("item")
        if item is None:
            raise DomainError(
                _("Quote line %(line)s: choose the product.") % {"line": number},
                field="quote_lines",
            )
        price = _decimal(line.get("unit_price"), line=number, field=_("the price"))
        quantity = _decimal(
            line.get("quantity"), line=number, field=_("the quantity"), allow_none=True
        )
        if price < 0:
            raise DomainError(
                _("Quote line %(line)s: the price cannot be negative.") % {"line": number},
                field="quote_lines",
            )
        if quantity is not None and quantity <= 0:
            raise DomainError(
                _("Quote line %(line)s: the quantity must be above 0.") % {"line": number},
                field="quote_lines",
            )
        result.append(QuoteLine(item=item, unit_price=price, quantity=quantity))
    return result


@transaction.atomic
def interaction_log(
    *,
    user,
    customer: Customer,
    kind: str,
    reason: str,
    subject: str,
    notes: str = "",
    occurred_at: dt.datetime | None = None,
    order=None,
    contact: Contact | None = None,
    quote_lines: Sequence[Mapping] = (),
) -> Interaction:
    """Record one contact with the customer and why it happened (a ContactReason code,
    required); a quote records the prices given."""
    if kind not in InteractionKind.values:
        raise DomainError(
            _("Unknown kind %(kind)s; choose one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(InteractionKind.values)},
            field="kind",
        )
    if not reason or reason not in ContactReason.values:
        raise DomainError(_("Say why the contact happened: choose a reason."), field="reason")
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Say in a few words what the contact was about."), field="subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(
            _("The subject is longer than %(n)s characters.") % {"n": MAX_SUBJECT},
            field="subject",
        )
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + FUTURE_SLACK:
        raise DomainError(
            _("A contact is logged after it happened, not ahead."), field="occurred_at"
        )
    if order is not None and order.customer_id != customer.pk:
        raise DomainError(
            _("Order %(order)s belongs to another customer.") % {"order": order.order_no},
            field="order",
        )
    if contact is not None and contact.customer_id != customer.pk:
        raise DomainError(
            _("%(name)s is not a contact of this customer.") % {"name": contact}, field="contact"
        )
    lines = _quote_lines(kind, quote_lines)
    interaction = Interaction(
        customer=customer,
        order=order,
        contact=contact,
        kind=kind,
        reason=reason,
        occurred_at=occurred_at,
        subject=subject,
        notes=(notes or "").strip(),
    )
    interaction.stamp(user)
    interaction.save()
    for line in lines:
        line.interaction = interaction
    QuoteLine.objects.bulk_create(lines)
    return interaction
