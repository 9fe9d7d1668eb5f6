"""Material requirement and availability of customer orders (CONTRACT.md section 3).

Per order line and item of the line item's BOM tree: the requirement with allowances, what
was issued against it, what is in usable stock, what the other open order lines still have
to take of it ahead of this line ("claimed by others": the line due first takes first),
what is on open purchase orders, and a status.

Set-based: for any number of orders and lines the queries are fixed (one per BOM level for
the explosion and for the where-used walk, one per kind of fact otherwise).
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Min, Q, QuerySet, Sum

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES, ZERO
from materials.models import (
    BomLine,
    Item,
    LocationKind,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
)
from materials.requirements import exact_requirements, load_bom, round_up
from orders.models import (
    LineStatus,
    MaterialStatus,
    OrderMaterial,
    OrderStatus,
    SalesOrder,
    SalesOrderLine,
)
from orders.states import OPEN_STATES

# Lines of these orders still have material to take (a draft too: sales follow-up wants to
# know before confirming). Only lines of OPEN_STATES orders claim stock against the others.
TAKING_STATES = frozenset({OrderStatus.DRAFT, *OPEN_STATES})

Pair = tuple[int, int]  # (order line id, item id)


@dataclass
class MaterialRow:
    """One item of one order line's BOM tree (or an item issued to it that left the BOM)."""

    order_line: SalesOrderLine
    item: Item
    requirement: Decimal
    picked: Decimal
    returned_surplus: Decimal
    returned_defective: Decimal
    replenished: Decimal
    still_needed: Decimal  # what the line still has to take; 0 once it takes nothing more
    usable: Decimal  # usable stock, every warehouse, quarantine excluded
    claimed_by_others: Decimal  # still_needed of the item by the open order lines due before
    on_order: Decimal  # open purchase order lines: quantity - received

    @property
    def pick_remaining(self) -> Decimal:
        return max(ZERO, self.requirement - (self.picked - self.returned_surplus))

    @property
    def replenish_remaining(self) -> Decimal:
        return self.returned_defective - self.replenished

    @property
    def available(self) -> Decimal:
        """Usable stock left for this line once the other open lines have theirs."""
        return self.usable - self.claimed_by_others

    @property
    def status(self) -> str:
        if self.still_needed <= 0 or self.available >= self.still_needed:
            return MaterialStatus.COVERED
        return MaterialStatus.PARTLY if self.available > 0 else MaterialStatus.SHORT

    @property
    def shortfall(self) -> Decimal:
        """What still has to be bought: still needed - available - on order, rounded up to
        the item's unit; 0 when stock and open purchases cover it."""
        missing = self.still_needed - max(ZERO, self.available) - self.on_order
        return round_up(missing, self.item.decimals) if missing > 0 else ZERO


def order_status(rows: Iterable[MaterialRow]) -> str:
    """Short if any item is short, partly if any is partly covered, else covered."""
    statuses = {row.status for row in rows}
    for status in (MaterialStatus.SHORT, MaterialStatus.PARTLY):
        if status in statuses:
            return status
    return MaterialStatus.COVERED


def order_material(*, order: SalesOrder) -> list[MaterialRow]:
    """The material picture of one order, rows in line then item-code order."""
    return material_by_order(orders=[order])[order.pk]


class _Explosion:
    """Exact requirements of top items; the BOM is loaded once for every line."""

    def __init__(self) -> None:
        self.bom: dict = {}
        self._cache: dict[tuple[int, Decimal], dict[int, Decimal]] = {}

    def load(self, item_ids: Iterable[int]) -> None:
        missing = set(item_ids) - self.bom.keys()
        if missing:
            self.bom.update(load_bom(missing))

    def exact(self, item_id: int, quantity: Decimal) -> dict[int, Decimal]:
        key = (item_id, quantity)
        if key not in self._cache:
            self._cache[key] = exact_requirements(item_id=item_id, quantity=quantity, bom=self.bom)
        return self._cache[key]


def _ancestors(item_ids: Iterable[int]) -> set[int]:
    """Every item whose BOM tree contains one of `item_ids`: one query per BOM level."""
    found: set[int] = set()
    frontier = set(item_ids)
    while frontier:
        parents = set(
            BomLine.objects.filter(component_id__in=frontier)
            .order_by()
            .values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= parents
    return found


def _counters(queryset) -> dict[Pair, OrderMaterial]:
    return {(c.order_line_id, c.item_id): c for c in queryset}


def _net_picked(counter: OrderMaterial | None) -> Decimal:
    return counter.picked - counter.returned_surplus if counter else ZERO


def _still_needed(requirement: Decimal, counter: OrderMaterial | None) -> Decimal:
    return max(ZERO, requirement - _net_picked(counter))


def usable_stock(item_ids: Iterable[int]) -> dict[int, Decimal]:
    rows = (
        StockBalance.objects.filter(item_id__in=set(item_ids), location__kind=LocationKind.USABLE)
        .values("item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["item_id"]: row["total"] for row in rows}


def on_order(item_ids: Iterable[int]) -> dict[int, Decimal]:
    """Open purchase quantities (quantity - received of lines on open purchase orders)."""
    field = DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)
    rows = (
        PurchaseOrderLine.objects.filter(
            item_id__in=set(item_ids),
            purchase_order__status=PurchaseOrder.Status.OPEN,
            received_quantity__lt=F("quantity"),
        )
        .values("item_id")
        .annotate(total=Sum(ExpressionWrapper(F("quantity") - F("received_quantity"), field)))
    )
    return {row["item_id"]: row["total"] for row in rows}


def material_by_order(*, orders: Sequence[SalesOrder]) -> dict[int, list[MaterialRow]]:
    """The material picture of many orders at once: {order id: rows}."""
    orders_by_id = {order.pk: order for order in orders}
    if not orders_by_id:
        return {}
    lines = list(
        SalesOrderLine.objects.filter(order_id__in=orders_by_id)
        .select_related("item")
        .order_by("order_id", "line")
    )
    explosion = _Explosion()
    explosion.load({line.item_id for line in lines})
    own_exact = {line.pk: explosion.exact(line.item_id, line.quantity) for line in lines}
    counters = _counters(OrderMaterial.objects.filter(order_line__order_id__in=orders_by_id))
    involved = {i for reqs in own_exact.values() for i in reqs} | {i for _l, i in counters}

    items = Item.objects.in_bulk(involved)
    decimals = {pk: item.decimals for pk, item in items.items()}
    claimed = _claims(decimals, explosion, counters, exclude_orders=orders_by_id.keys())
    usable, ordered = usable_stock(involved), on_order(involved)

    issued_items: dict[int, set[int]] = defaultdict(set)
    for line_id, item_id in counters:
        issued_items[line_id].add(item_id)
    result: dict[int, list[MaterialRow]] = {order_id: [] for order_id in orders_by_id}
    for line in lines:
        line.order = orders_by_id[line.order_id]
        takes = line.status == LineStatus.OPEN and line.order.status in TAKING_STATES
        exact = own_exact[line.pk]
        item_ids = set(exact) | issued_items[line.pk]
        rows = []
        for item_id in item_ids:
            item = items[item_id]
            counter = counters.get((line.pk, item_id))
            requirement = round_up(exact[item_id], item.decimals) if item_id in exact else ZERO
            still = _still_needed(requirement, counter) if takes else ZERO
            rows.append(
                MaterialRow(
                    order_line=line,
                    item=item,
                    requirement=requirement,
                    picked=counter.picked if counter else ZERO,
                    returned_surplus=counter.returned_surplus if counter else ZERO,
                    returned_defective=counter.returned_defective if counter else ZERO,
                    replenished=counter.replenished if counter else ZERO,
                    still_needed=still,
                    usable=usable.get(item_id, ZERO),
                    claimed_by_others=claimed.ahead_of(
                        item_id, priority_key(line, line.order.order_no)
                    ),
                    on_order=ordered.get(item_id, ZERO),
                )
            )
        rows.sort(key=lambda row: row.item.code)
        result[line.order_id].extend(rows)
    return result


class Claims:
    """What open order lines still have to take of each item, in priority order: the line
    due first takes first (then by order number and line). An order's claim on stock is what
    the lines ahead of it still need."""

    def __init__(self, entries: dict[int, list[tuple[tuple, Decimal]]]):
        self._keys: dict[int, list[tuple]] = {}
        self._before: dict[int, list[Decimal]] = {}
        for item_id, rows in entries.items():
            rows.sort(key=lambda row: row[0])
            running, sums = ZERO, [ZERO]
            for _key, still in rows:
                running += still
                sums.append(running)
            self._keys[item_id] = [key for key, _still in rows]
            self._before[item_id] = sums

    def ahead_of(self, item_id: int, key: tuple) -> Decimal:
        keys = self._keys.get(item_id)
        if not keys:
            return ZERO
        return self._before[item_id][bisect_left(keys, key)]


def priority_key(line: SalesOrderLine, order_no: str) -> tuple:
    return (line.due_date, order_no, line.line)


def _claims(
    decimals: dict[int, int],
    explosion: _Explosion,
    own_counters: dict[Pair, OrderMaterial],
    *,
    exclude_orders: Iterable[int],
) -> Claims:
    """What every open order line still has to take of each involved item, by priority.

    Only lines whose item has an involved item in its BOM tree are read; their requirements
    are computed in one go on the BOM loaded once. `decimals` has every involved item."""
    involved = set(decimals)
    if not involved:
        return Claims({})
    open_lines = list(
        SalesOrderLine.objects.filter(
            status=LineStatus.OPEN,
            order__status__in=OPEN_STATES,
            item_id__in=_ancestors(involved),
        ).values_list("pk", "item_id", "quantity", "due_date", "order__order_no", "line")
    )
    explosion.load({row[1] for row in open_lines})
    counters = dict(own_counters)
    counters.update(
        _counters(
            OrderMaterial.objects.filter(
                item_id__in=involved,
                order_line__status=LineStatus.OPEN,
                order_line__order__status__in=OPEN_STATES,
            ).exclude(order_line__order_id__in=list(exclude_orders))
        )
    )
    entries: dict[int, list[tuple[tuple, Decimal]]] = defaultdict(list)
    for line_id, item_id, quantity, due_date, order_no, line_no in open_lines:
        for component_id, exact in explosion.exact(item_id, quantity).items():
            if component_id in involved:
                requirement = round_up(exact, decimals[component_id])
                counter = counters.get((line_id, component_id))
                still = _still_needed(requirement, counter)
                if still:
                    entries[component_id].append(((due_date, order_no, line_no), still))
    return Claims(entries)


def orders_using_items(*, item_ids: Iterable[int]) -> list[int]:
    """Ids of the orders still taking material whose lines have one of `item_ids` in
    their BOM tree."""
    ancestors = _ancestors(item_ids)
    if not ancestors:
        return []
    return list(
        SalesOrder.objects.filter(
            status__in=TAKING_STATES,
            lines__status=LineStatus.OPEN,
            lines__item_id__in=ancestors,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def orders_needing_material(*, statuses: Iterable[str] = ()) -> QuerySet[SalesOrder]:
    """Orders still taking material whose stored status is one of `statuses` (default: short
    or partly covered), the earliest open due date first: the material controller's list."""
    statuses = list(statuses) or [MaterialStatus.SHORT, MaterialStatus.PARTLY]
    return (
        SalesOrder.objects.filter(status__in=TAKING_STATES, material_status__in=statuses)
        .select_related("customer")
        .annotate(first_due=Min("lines__due_date", filter=Q(lines__status=LineStatus.OPEN)))
        .order_by(F("first_due").asc(nulls_last=True), "order_no")
    )
