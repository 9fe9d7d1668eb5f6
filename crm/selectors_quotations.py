"""Reads of quotations (报价单): who sees which (managers and administrators all; sales the
quotations of its customers and its own), lists in a fixed number of queries, the ones
expiring soon for the sales work queue, and the quoted price orders.pricing asks for."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from crm.models_quotations import (
    GIVEN_STATUSES,
    OPEN_STATUSES,
    Quotation,
    QuotationLine,
    QuotationStatus,
    net_price,
)
from erp.roles import Role, has_role

EXPIRING_DAYS = 7


def sees_all_quotations(user) -> bool:
    """Managers and administrators see every quotation; sales those of its customers and
    the ones it follows up."""
    return has_role(user, Role.MANAGER.value)


def may_quote(user) -> bool:
    """Sales follow-up, managers and administrators write and convert quotations."""
    return has_role(user, Role.SALES.value, Role.MANAGER.value)


def scoped(quotations: QuerySet, user) -> QuerySet:
    if sees_all_quotations(user):
        return quotations
    return quotations.filter(Q(customer__salesperson=user) | Q(salesperson=user))


def quotation_list(
    *,
    user,
    today: dt.date,
    status: str = "",
    customer: str = "",
    expiring_days: int | None = None,
    mine: bool = False,
) -> QuerySet:
    """Quotations `user` may see, newest first, with customer and salesperson. `status`
    may be `expired` (open and past validity) or `open` (open and still valid); a stored
    open status means it and not expired. `customer` matches code or name."""
    quotations = scoped(Quotation.objects.select_related("customer", "salesperson", "order"), user)
    if mine:
        quotations = quotations.filter(Q(customer__salesperson=user) | Q(salesperson=user))
    if status == QuotationStatus.EXPIRED:
        quotations = quotations.filter(status__in=OPEN_STATUSES, valid_until__lt=today)
    elif status == "open":
        quotations = quotations.filter(status__in=OPEN_STATUSES, valid_until__gte=today)
    elif status in OPEN_STATUSES:
        quotations = quotations.filter(status=status, valid_until__gte=today)
    elif status:
        quotations = quotations.filter(status=status)
    if customer:
        quotations = quotations.filter(
            Q(customer__code__iexact=customer) | Q(customer__name__icontains=customer)
        )
    if expiring_days is not None:
        quotations = quotations.filter(
            status__in=OPEN_STATUSES,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=expiring_days),
        )
    return quotations.order_by("-quote_date", "-number")


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=QuotationLine.objects.select_related("item").order_by("line"))


def quotation_by_number(*, user, number: str) -> Quotation:
    """One quotation `user` may see, with its lines and their items (Quotation.DoesNotExist
    otherwise)."""
    quotations = scoped(
        Quotation.objects.select_related(
            "customer",
            "customer__salesperson",
            "contact",
            "salesperson",
            "order",
            "created_by",
            "updated_by",
            "status_changed_by",
        ),
        user,
    ).prefetch_related(_lines())
    return quotations.get(number=number)


def quotations_for_api(*, user) -> QuerySet:
    return scoped(
        Quotation.objects.select_related(
            "customer", "contact", "salesperson", "order", "updated_by"
        ),
        user,
    ).prefetch_related(_lines())


def quotations_expiring(user, today: dt.date, days: int = EXPIRING_DAYS) -> QuerySet:
    """The sales work queue: open quotations of `user`'s (all for managers) whose validity
    ends within `days` (today included), soonest first."""
    return (
        scoped(Quotation.objects.select_related("customer", "salesperson"), user)
        .filter(
            status__in=OPEN_STATUSES,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=days),
        )
        .order_by("valid_until", "number")
    )


def customer_quotations(*, customer, user, limit: int = 10) -> list[Quotation]:
    """The customer's latest quotations for its 360 page (none for those who may not see)."""
    if not may_quote(user):
        return []
    return list(
        Quotation.objects.filter(customer=customer)
        .select_related("salesperson", "order")
        .order_by("-quote_date", "-number")[:limit]
    )


def quoted_price(customer_id: int, item_id: int, on_date: dt.date) -> tuple[Decimal, str] | None:
    """orders.pricing's first source: the net price of the item on the newest quotation the
    customer was given (sent or accepted) that is valid on `on_date`, with its label."""
    line = (
        QuotationLine.objects.filter(
            quotation__customer_id=customer_id,
            item_id=item_id,
            quotation__status__in=GIVEN_STATUSES,
            quotation__quote_date__lte=on_date,
            quotation__valid_until__gte=on_date,
        )
        .select_related("quotation")
        .order_by("-quotation__quote_date", "-quotation__number", "line")
        .first()
    )
    if line is None:
        return None
    label = _("quotation %(no)s (valid until %(date)s)") % {
        "no": line.quotation.number,
        "date": f"{line.quotation.valid_until:%Y-%m-%d}",
    }
    return net_price(line.unit_price, line.discount_percent), label
