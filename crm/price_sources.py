"""The prices crm gives order entry (orders.pricing, filled from CrmConfig.ready(), so that
orders never imports crm):

- `quotation` (first): the net price on the newest quotation the customer was given (sent
  or accepted) that is valid on the order date;
- `last_quoted` (after it): the last price quoted to the customer for the item, on any
  quotation given to them (sent, accepted or converted, valid or not) or in a contact
  logged as a quote, whichever is newest."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from crm.models import QuoteLine
from crm.models_quotations import QuotationLine, QuotationStatus, net_price
from crm.selectors_quotations import quoted_price

QUOTED_STATUSES = (QuotationStatus.SENT, QuotationStatus.ACCEPTED, QuotationStatus.CONVERTED)


def last_quoted_price(customer_id: int, item_id: int, on: dt.date) -> tuple[Decimal, str] | None:
    """The newest price quoted to the customer for the item on or before `on`."""
    line = (
        QuotationLine.objects.filter(
            quotation__customer_id=customer_id,
            item_id=item_id,
            quotation__status__in=QUOTED_STATUSES,
            quotation__quote_date__lte=on,
        )
        .select_related("quotation")
        .order_by("-quotation__quote_date", "-quotation__number", "line")
        .first()
    )
    logged = (
        QuoteLine.objects.filter(
            interaction__customer_id=customer_id,
            item_id=item_id,
            interaction__occurred_at__date__lte=on,
        )
        .select_related("interaction")
        .order_by("-interaction__occurred_at", "-id")
        .first()
    )
    logged_on = logged.interaction.occurred_at.date() if logged else None
    if line is not None and (logged_on is None or line.quotation.quote_date >= logged_on):
        label = _("last quoted on quotation %(no)s of %(date)s") % {
            "no": line.quotation.number,
            "date": f"{line.quotation.quote_date:%Y-%m-%d}",
        }
        return net_price(line.unit_price, line.discount_percent), label
    if logged is not None:
        label = _("last quoted in a contact of %(date)s") % {"date": f"{logged_on:%Y-%m-%d}"}
        return logged.unit_price, label
    return None


def register() -> None:
    from orders.pricing import LAST_QUOTED_PRIORITY, QUOTATION_PRIORITY, register_price_source

    register_price_source("quotation", QUOTATION_PRIORITY, quoted_price)
    register_price_source("last_quoted", LAST_QUOTED_PRIORITY, last_quoted_price)
