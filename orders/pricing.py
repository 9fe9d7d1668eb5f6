"""Where an order line's price comes from, and the margin floor.

**Price sources.** `default_price(customer, item, on)` asks the registered price sources in
priority order (lowest number first) and takes the first answer. A source is a function
``func(customer_id, item_id, on_date) -> (Decimal price, label) | None``; the label says
where the price came from, in the reader's language ("quotation Q-2026-000012").
Apps above `orders` add their sources in their AppConfig.ready() with
`register_price_source(name, priority, func)` (orders never imports them):

=========  ===============================  =============================
priority   source                           registered by
=========  ===============================  =============================
100        a valid quotation (报价单)         crm (`QUOTATION_PRIORITY`)
300        the last price quoted            crm (`LAST_QUOTED_PRIORITY`)
500        the last price sold to them      orders (`last_order`)
1000       the item's list price            orders (`list_price`)
=========  ===============================  =============================

A source that fails is logged and skipped: order entry goes on with the next one.

**Margin floor.** A manager sets the lowest margin (in percent of the price) the factory
sells at, for the whole factory or for one item (`orders.models_pricing.MarginFloor`).
`below_margin_floor(item, price)` tells whether a price is under it. Order entry warns,
never refuses; people who may not see costs are told "below the floor" only, never the
cost or the margin (`erp.roles.can_see_costs`)."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

QUOTATION_PRIORITY = 100
LAST_QUOTED_PRIORITY = 300
LAST_ORDER_PRIORITY = 500
LIST_PRICE_PRIORITY = 1000
HUNDRED = Decimal(100)

PriceAnswer = tuple[Decimal, str] | None
PriceSource = Callable[[int, int, date], PriceAnswer]


@dataclass(frozen=True)
class SuggestedPrice:
    price: Decimal
    source: str  # the registered name: "quotation", "last_order", "list_price" ...
    label: str  # where it came from, for the reader


_sources: dict[str, tuple[int, PriceSource]] = {}


def register_price_source(name: str, priority: int, func: PriceSource) -> None:
    """Add (or replace, by name) a price source; lower `priority` is asked first."""
    _sources[name] = (priority, func)


def unregister_price_source(name: str) -> None:
    _sources.pop(name, None)


def price_sources() -> list[tuple[str, int]]:
    """(name, priority) of the registered sources, in the order they are asked."""
    return [(name, p) for name, (p, _f) in sorted(_sources.items(), key=lambda kv: kv[1][0])]


def _pk(value: Any) -> int:
    return value if isinstance(value, int) else value.pk


def default_price(customer: Any, item: Any, on: date) -> SuggestedPrice | None:
    """The price a new order line of `customer` for `item` starts with on `on` (both given
    as records or primary keys): the first answer of the price sources, else None."""
    customer_id, item_id = _pk(customer), _pk(item)
    for name, (_priority, func) in sorted(_sources.items(), key=lambda kv: kv[1][0]):
        try:
            answer = func(customer_id, item_id, on)
        except Exception:  # a broken source must not stop order entry
            logger.exception(
                "price source %s failed for customer %s item %s", name, customer_id, item_id
            )
            continue
        if answer is not None:
            price, label = answer
            return SuggestedPrice(Decimal(price), name, str(label))
    return None


def last_order_price(customer_id: int, item_id: int, on: date) -> PriceAnswer:
    """The unit price of the customer's latest order line for the item (cancelled orders and
    drafts left out), ordered on or before `on`."""
    from orders.models import OrderStatus, SalesOrderLine

    line = (
        SalesOrderLine.objects.filter(
            item_id=item_id, order__customer_id=customer_id, order__order_date__lte=on
        )
        .exclude(order__status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
        .order_by("-order__order_date", "-order_id", "-line")
        .values("unit_price", "order__order_no", "order__order_date")
        .first()
    )
    if line is None:
        return None
    label = _("last order %(no)s of %(date)s") % {
        "no": line["order__order_no"],
        "date": f"{line['order__order_date']:%Y-%m-%d}",
    }
    return line["unit_price"], label


def list_price(customer_id: int, item_id: int, on: date) -> PriceAnswer:
    from materials.models import Item

    price = Item.objects.filter(pk=item_id).values_list("list_price", flat=True).first()
    return None if price is None else (price, _("list price"))


register_price_source("last_order", LAST_ORDER_PRIORITY, last_order_price)
register_price_source("list_price", LIST_PRICE_PRIORITY, list_price)


# --- margin floor -------------------------------------------------------------------------

Floors = dict[int | None, Decimal | None]


def margin_floors(*, item_ids: Iterable[int] | None = None) -> Floors:
    """The floors in force: {item id: percent or None, None: the factory's percent or None},
    for `item_ids` (all items when None). One query; the table holds few rows."""
    from orders.models_pricing import MarginFloor

    rows = MarginFloor.objects.order_by("-created_at", "-id")
    if item_ids is not None:
        rows = rows.filter(Q(item__isnull=True) | Q(item_id__in=list(item_ids)))
    floors: Floors = {}
    for item_id, percent in rows.values_list("item_id", "percent"):
        floors.setdefault(item_id, percent)
    return floors


def floor_for(item_id: int, floors: Floors) -> Decimal | None:
    """The floor of an item: its own if it has one, else the factory's; None = no floor."""
    own = floors.get(item_id)
    if own is not None:
        return own
    return floors.get(None)


def margin_percent(item: Any, price: Decimal) -> Decimal | None:
    """(price - standard cost) / price x 100, or None without a price or a cost. A cost
    figure: for those who may see costs only."""
    cost = Decimal(item.standard_cost or 0)
    price = Decimal(price)
    if price <= 0 or cost <= 0:
        return None
    return ((price - cost) / price * HUNDRED).quantize(Decimal("0.01"))


def below_margin_floor(item: Any, price: Any, *, floors: Floors | None = None) -> bool:
    """True when selling `item` at `price` earns less margin than its floor. Without a
    floor (or a floor of 0) or without a standard cost nothing is below it; a price of 0
    with a cost is."""
    if floors is None:
        floors = margin_floors(item_ids=[item.pk])
    floor = floor_for(item.pk, floors)
    if not floor:
        return False
    cost = Decimal(item.standard_cost or 0)
    if cost <= 0:
        return False
    price = Decimal(price if price is not None else 0)
    if price <= 0:
        return True
    return (price - cost) / price * HUNDRED < floor
