"""Reads of fast order entry: customers and items by the code being typed (a few matches,
each through the code's unique index), an item's stock on hand and the customer's last
price, the price a new line starts with and its warnings; the figures of the printable
order confirmation."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from customers.models import Customer
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Item, ItemKind, LocationKind, StockBalance
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine
from orders.pricing import (
    SuggestedPrice,
    below_margin_floor,
    default_price,
    floor_for,
    margin_floors,
    margin_percent,
)

LOOKUP_LIMIT = 8
CENT = Decimal("0.01")
SOLD_KINDS = (ItemKind.FINISHED, ItemKind.SEMI)


def _prefix(field_name: str, typed: str) -> Q:
    """Codes starting with what was typed, as typed or in capitals. The range lets the
    code's unique index answer (byte order, the database's C collation); startswith keeps
    the answer exact under any collation."""
    condition = Q()
    for text in {typed, typed.upper()}:
        condition |= Q(
            **{
                f"{field_name}__gte": text,
                f"{field_name}__lt": text + "\U0010ffff",
                f"{field_name}__startswith": text,
            }
        )
    return condition


def customer_matches(*, typed: str, limit: int = LOOKUP_LIMIT) -> list[Customer]:
    """Active customers whose code starts with `typed`, the exact code first. One query."""
    typed = (typed or "").strip()
    if not typed:
        return []
    return list(
        Customer.objects.filter(_prefix("code", typed), is_active=True)
        .select_related("salesperson")
        .only(
            "code",
            "name",
            "region",
            "salesperson__username",
            "salesperson__first_name",
            "salesperson__last_name",
        )
        .order_by("code")[:limit]
    )


def exact_match(matches: list, typed: str) -> Any:
    """The match whose code is what was typed (or its capitals), else None."""
    typed = (typed or "").strip()
    for record in matches:
        if record.code in (typed, typed.upper()):
            return record
    return None


def _money_field() -> DecimalField:
    return DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)


def item_matches(*, typed: str, customer_id: int | None, limit: int = LOOKUP_LIMIT) -> list[Item]:
    """Active items sold to customers whose code starts with `typed`, each with
    `on_hand` (usable stock in every warehouse) and `last_price` (the customer's latest
    order line for it, drafts and cancelled orders left out). One query."""
    typed = (typed or "").strip()
    if not typed:
        return []
    on_hand = (
        StockBalance.objects.filter(item=OuterRef("pk"), location__kind=LocationKind.USABLE)
        .values("item")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    items: QuerySet = Item.objects.filter(
        _prefix("code", typed), is_active=True, kind__in=SOLD_KINDS
    ).annotate(
        on_hand=Coalesce(
            Subquery(on_hand, output_field=_money_field()),
            Value(Decimal(0)),
            output_field=_money_field(),
        )
    )
    if customer_id is not None:
        last = (
            SalesOrderLine.objects.filter(item=OuterRef("pk"), order__customer_id=customer_id)
            .exclude(order__status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
            .order_by("-order__order_date", "-order_id", "-line")
            .values("unit_price")[:1]
        )
        items = items.annotate(last_price=Subquery(last, output_field=_money_field()))
    else:
        items = items.annotate(last_price=Value(None, output_field=_money_field()))
    return list(items.order_by("code")[:limit])


@dataclass
class LineCheck:
    """What order entry tells about one line: the price it starts with and where that came
    from, and its warnings. `margin`/`floor` only for those who may see costs."""

    suggested: SuggestedPrice | None = None
    price: Decimal | None = None
    price_zero: bool = False
    below_floor: bool = False
    margin: Decimal | None = None
    floor: Decimal | None = None


def check_line(
    *,
    item: Item,
    customer_id: int | None,
    on: date,
    price: Decimal | None,
    sees_costs: bool,
) -> LineCheck:
    """The suggested price (when there is a customer) and the warnings of selling `item` at
    `price` (the suggested price when none is typed). A fixed number of queries."""
    check = LineCheck()
    if customer_id is not None:
        check.suggested = default_price(customer_id, item.pk, on)
    if price is None and check.suggested is not None:
        price = check.suggested.price
    check.price = price
    if price is None:
        return check
    check.price_zero = price == 0
    floors = margin_floors(item_ids=[item.pk])
    check.below_floor = below_margin_floor(item, price, floors=floors)
    if sees_costs:
        check.margin = margin_percent(item, price)
        check.floor = floor_for(item.pk, floors)
    return check


@dataclass
class Confirmation:
    order: SalesOrder
    lines: list[SalesOrderLine]
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    gross: Decimal


def line_amount(line: SalesOrderLine) -> Decimal:
    return (line.quantity * line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def order_lines_with_amounts(
    *, order: SalesOrder, lines: list | None = None
) -> tuple[list, Decimal]:
    """The order's lines (given, or read with their items), each with `amount` (quantity x
    unit price, 0.01 half up), and the total of those not cancelled."""
    if lines is None:
        lines = list(order.lines.select_related("item").order_by("line"))
    total = Decimal(0)
    for ol in lines:
        ol.amount = line_amount(ol)
        if ol.status != LineStatus.CANCELLED:
            total += ol.amount
    return lines, total


def order_confirmation(*, order: SalesOrder) -> Confirmation:
    """The figures of the printable order confirmation: the lines not cancelled with their
    amounts, the net total, VAT at the factory's rate and the total with VAT."""
    lines = list(
        order.lines.exclude(status=LineStatus.CANCELLED).select_related("item").order_by("line")
    )
    lines, net = order_lines_with_amounts(order=order, lines=lines)
    rate = Decimal(settings.VAT_RATE)
    vat = (net * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return Confirmation(order=order, lines=lines, net=net, vat_rate=rate, vat=vat, gross=net + vat)
