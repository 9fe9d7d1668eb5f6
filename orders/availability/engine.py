"""CONTRACT.md section 3b, pure: no database here.

Open lines are taken one after another (due date, order number, line). A pool holds every
item's usable stock and, for a bought item (no BOM lines), then its open purchase-order
quantity. A line of item F with open quantity R takes F from stock, makes the rest, and
walks F's BOM tree parents before children: each item's need is what its parents still
have to make times quantity x (1 + defect rate), rounded up to the item's decimals once,
less what the line already holds of it; a made item takes stock and passes the rest on to
its components, a bought item takes stock, then what is on order, and the rest is short.

Cost per line is the size of its tree; trees are prepared once per top item.
"""

from collections import ChainMap
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal

from materials.requirements import round_up

ZERO = Decimal(0)
COVERED, PARTLY, SHORT = "covered", "partly", "short"
WORST = {COVERED: 0, PARTLY: 1, SHORT: 2}


class CycleError(Exception):
    """The BOM below an item loops; `item_id` is the top item."""

    def __init__(self, item_id: int):
        super().__init__(item_id)
        self.item_id = item_id


@dataclass(slots=True)
class Demand:
    """One open order line, in priority order."""

    line_id: int
    order_id: int
    item_id: int
    open_quantity: Decimal
    held: Mapping[int, Decimal] = field(default_factory=dict)  # item id -> held (section 3)


@dataclass(slots=True)
class Row:
    item_id: int
    seq: int
    made: bool
    need: Decimal
    from_stock: Decimal
    to_make: Decimal
    on_order: Decimal
    short: Decimal


def line_status(rows: Iterable[Row]) -> str:
    status = COVERED
    for row in rows:
        if row.short > 0:
            return SHORT
        if row.on_order > 0:
            status = PARTLY
    return status


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=WORST.__getitem__, default=COVERED)


class Structure:
    """The BOM as {parent: [(component, factor)]} with factor = quantity x (1 + defect rate),
    and each item's decimals; trees are prepared once per top item and kept."""

    def __init__(
        self, bom: Mapping[int, list[tuple[int, Decimal]]], decimals: Mapping[int, int]
    ) -> None:
        self.bom = bom
        self.decimals = decimals
        self._trees: dict[int, list[tuple[int, bool, tuple[tuple[int, Decimal], ...]]]] = {}

    def made(self, item_id: int) -> bool:
        return bool(self.bom.get(item_id))

    def tree(self, top: int) -> list[tuple[int, bool, tuple[tuple[int, Decimal], ...]]]:
        """Every item below `top` once, parents before children, with its parent edges
        (two BOM lines of one parent and component add their factors)."""
        found = self._trees.get(top)
        if found is not None:
            return found
        reachable: set[int] = set()
        stack = [top]
        while stack:
            for child, _factor in self.bom.get(stack.pop(), ()):
                if child not in reachable:
                    reachable.add(child)
                    stack.append(child)
        if top in reachable:
            raise CycleError(top)
        parents: dict[int, dict[int, Decimal]] = {item: {} for item in reachable}
        waiting = dict.fromkeys(reachable, 0)
        for parent in (top, *reachable):
            for child, factor in self.bom.get(parent, ()):
                edges = parents[child]
                if parent not in edges:
                    waiting[child] += 1
                edges[parent] = edges.get(parent, ZERO) + factor
        order: list[tuple[int, bool, tuple[tuple[int, Decimal], ...]]] = []
        ready = [top]
        while ready:
            parent = ready.pop()
            for child, _factor in self.bom.get(parent, ()):
                waiting[child] -= 1
                if waiting[child] == 0:
                    waiting[child] = -1  # queued once even with two lines to one parent
                    order.append((child, self.made(child), tuple(parents[child].items())))
                    ready.append(child)
        if len(order) < len(reachable):
            raise CycleError(top)
        self._trees[top] = order
        return order


class Pool:
    """Usable stock of every item, then (bought items only) what is on order."""

    def __init__(self, stock: MutableMapping[int, Decimal], ordered: MutableMapping[int, Decimal]):
        self.stock = stock
        self.ordered = ordered

    def trial(self) -> "Pool":
        """A pool that reads this one and keeps its own takes (a draft order asks what it
        would get after every confirmed line, without taking it from them)."""
        return Pool(ChainMap({}, self.stock), ChainMap({}, self.ordered))

    def take_stock(self, item_id: int, need: Decimal) -> Decimal:
        have = self.stock.get(item_id, ZERO)
        taken = min(need, have) if have > 0 else ZERO
        if taken:
            self.stock[item_id] = have - taken
        return taken

    def take_ordered(self, item_id: int, need: Decimal) -> Decimal:
        have = self.ordered.get(item_id, ZERO)
        taken = min(need, have) if have > 0 else ZERO
        if taken:
            self.ordered[item_id] = have - taken
        return taken


def take_line(demand: Demand, *, structure: Structure, pool: Pool) -> list[Row]:
    """What one line takes from the pool (the pool is left smaller), as rows: the line's own
    item first, then its tree parents before children; items its parents' stock covers
    entirely (gross need 0) have no row."""
    top = demand.item_id
    need = demand.open_quantity
    rows = [_take(top, 0, structure.made(top), need, pool)]
    to_make = {top: rows[0].to_make}
    if not to_make[top]:
        return rows
    held = demand.held
    decimals = structure.decimals
    for seq, (item_id, made, parents) in enumerate(structure.tree(top), start=1):
        gross = ZERO
        for parent, factor in parents:
            making = to_make.get(parent)
            if making:
                gross += making * factor
        if not gross:
            continue
        need = round_up(gross, decimals[item_id]) - held.get(item_id, ZERO)
        row = _take(item_id, seq, made, need if need > 0 else ZERO, pool)
        if made and row.to_make:
            to_make[item_id] = row.to_make
        rows.append(row)
    return rows


def _take(item_id: int, seq: int, made: bool, need: Decimal, pool: Pool) -> Row:
    from_stock = pool.take_stock(item_id, need) if need else ZERO
    rest = need - from_stock
    if made:
        return Row(item_id, seq, True, need, from_stock, rest, ZERO, ZERO)
    on_order = pool.take_ordered(item_id, rest) if rest else ZERO
    return Row(item_id, seq, False, need, from_stock, ZERO, on_order, rest - on_order)


@dataclass(slots=True)
class LineResult:
    demand: Demand
    rows: list[Row]
    status: str
    broken: bool = False  # the line's BOM loops: nothing could be computed


def allocate(
    confirmed: Iterable[Demand],
    drafts: Iterable[Demand],
    *,
    structure: Structure,
    pool: Pool,
) -> Iterator[LineResult]:
    """Confirmed lines in the order given take from the pool one after another; then each
    draft order (its lines in the order given, consecutive) tries what is left without
    taking it from the others."""
    for demand in confirmed:
        yield _result(demand, structure, pool)
    trial, order_id = None, None
    for demand in drafts:
        if demand.order_id != order_id:
            trial, order_id = pool.trial(), demand.order_id
        yield _result(demand, structure, trial)


def _result(demand: Demand, structure: Structure, pool: Pool) -> LineResult:
    try:
        rows = take_line(demand, structure=structure, pool=pool)
    except CycleError:
        return LineResult(demand, [], SHORT, broken=True)
    return LineResult(demand, rows, line_status(rows))
