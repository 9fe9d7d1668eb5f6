"""Reads of the stored availability (section 3b) and of the pick limits (section 3) of one
order: a fixed number of queries whatever the size of the factory."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from materials.models import Item
from orders.availability.engine import ZERO, worst
from orders.availability.inputs import load_structure
from orders.availability.store import ensure_fresh
from orders.models import (
    LineMaterial,
    LineStatus,
    MaterialStatus,
    OrderMaterial,
    SalesOrder,
    SalesOrderLine,
)
from orders.selectors.line_requirements import order_line_requirements
from orders.states import ASKING_STATES, OPEN_STATES


@dataclass
class AvailabilityRow:
    """One (line, item) of section 3b."""

    order_line: SalesOrderLine
    item: Item
    made: bool
    need: Decimal
    from_stock: Decimal
    to_make: Decimal
    on_order: Decimal
    short: Decimal
    depth: int = 0  # 0 for the line's own item

    @property
    def status(self) -> str:
        if self.short > 0:
            return MaterialStatus.SHORT
        return MaterialStatus.PARTLY if self.on_order > 0 else MaterialStatus.COVERED


@dataclass
class OrderAvailability:
    order: SalesOrder
    status: str
    rows: list[AvailabilityRow]
    computed_at: dt.datetime | None
    stale: bool  # the factory is large and a refresh is under way: figures as of computed_at

    @property
    def takes_material(self) -> bool:
        return self.order.status in (*OPEN_STATES, *ASKING_STATES)


def order_availability(*, order: SalesOrder) -> OrderAvailability:
    """Section 3b for one order: every open line's rows, the line's own item first, then
    its tree parents before children (items its parents' stock covers show zeros)."""
    current, stale = ensure_fresh()
    if not stale:
        order.refresh_from_db(fields=["material_status", "material_checked_at"])
    stored = list(
        LineMaterial.objects.filter(order=order)
        .select_related("order_line", "item")
        .order_by("order_line__line", "seq")
    )
    by_line: dict[int, list[LineMaterial]] = defaultdict(list)
    for row in stored:
        by_line[row.order_line_id].append(row)
    lines = [ln for ln in _open_lines(order) if ln.pk in by_line]
    rows: list[AvailabilityRow] = []
    structure = load_structure({line.item_id for line in lines}) if lines else None
    missing_items: set[int] = set()
    trees = {}
    for line in lines:
        trees[line.pk] = structure.tree(line.item_id) if structure else []
        have = {r.item_id for r in by_line[line.pk]}
        missing_items |= {item_id for item_id, _m, _p in trees[line.pk] if item_id not in have}
    extra = Item.objects.in_bulk(missing_items) if missing_items else {}
    for line in lines:
        own = {r.item_id: r for r in by_line[line.pk]}
        sequence = [(line.item_id, bool(structure and structure.made(line.item_id)))]
        sequence += [(item_id, made) for item_id, made, _p in trees[line.pk]]
        depth = _depths(line.item_id, structure) if structure else {}
        for item_id, made in sequence:
            row = own.get(item_id)
            if row is not None:
                rows.append(
                    AvailabilityRow(
                        line,
                        row.item,
                        row.made,
                        row.need,
                        row.from_stock,
                        row.to_make,
                        row.on_order,
                        row.short,
                        depth.get(item_id, 0),
                    )
                )
            else:
                rows.append(
                    AvailabilityRow(
                        line, extra[item_id], made, ZERO, ZERO, ZERO, ZERO, ZERO, depth[item_id]
                    )
                )
    if rows:
        status = worst(r.status for r in rows)
    elif order.status in (*OPEN_STATES, *ASKING_STATES) and not stale:
        status = MaterialStatus.COVERED  # nothing left to make or ship
    else:
        status = order.material_status
    return OrderAvailability(order, status, rows, current.computed_at, stale)


def _open_lines(order: SalesOrder) -> list[SalesOrderLine]:
    return list(order.lines.filter(status=LineStatus.OPEN).order_by("line"))


def _depths(top: int, structure) -> dict[int, int]:
    """The level at which each item of the tree first appears below `top` (for indenting)."""
    depth = {top: 0}
    for item_id, _made, parents in structure.tree(top):
        depth[item_id] = min(depth.get(p, 0) for p, _f in parents) + 1
    return depth


@dataclass
class RequirementRow:
    """Section 3 (领料上限) of one (line, item): the pick limit and what was issued."""

    order_line: SalesOrderLine
    item: Item
    requirement: Decimal
    picked: Decimal
    returned_surplus: Decimal
    returned_defective: Decimal
    replenished: Decimal

    @property
    def pick_remaining(self) -> Decimal:
        return max(ZERO, self.requirement - (self.picked - self.returned_surplus))

    @property
    def replenish_remaining(self) -> Decimal:
        return self.returned_defective - self.replenished


def order_requirements(*, order: SalesOrder) -> list[RequirementRow]:
    """Every line's requirement of every item of its BOM tree (and of items issued to it
    that left the BOM), in line then item-code order; only this order is read."""
    lines = list(order.lines.select_related("item").order_by("line"))
    required = order_line_requirements(lines)
    counters = {
        (c.order_line_id, c.item_id): c
        for c in OrderMaterial.objects.filter(order_line__order=order)
    }
    ids = {i for reqs in required.values() for i in reqs} | {i for _l, i in counters}
    items = Item.objects.in_bulk(ids)
    rows = []
    for line in lines:
        wanted = set(required[line.pk]) | {i for ln, i in counters if ln == line.pk}
        for item_id in sorted(wanted, key=lambda i: items[i].code):
            c = counters.get((line.pk, item_id))
            rows.append(
                RequirementRow(
                    line,
                    items[item_id],
                    required[line.pk].get(item_id, ZERO),
                    c.picked if c else ZERO,
                    c.returned_surplus if c else ZERO,
                    c.returned_defective if c else ZERO,
                    c.replenished if c else ZERO,
                )
            )
    return rows


def line_shortages(*, line_ids: Iterable[int]) -> dict[int, list[tuple[int, Decimal, Decimal]]]:
    """For open order lines that are not covered: [(bought item id, on order, short)]."""
    ensure_fresh()
    found: dict[int, list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    rows = (
        LineMaterial.objects.filter(order_line_id__in=list(line_ids), made=False)
        .exclude(on_order=0, short=0)
        .values_list("order_line_id", "item_id", "on_order", "short")
    )
    for line_id, item_id, on_order, short in rows:
        found[line_id].append((item_id, on_order, short))
    return found


@dataclass
class SubAssembly:
    item_id: int
    to_make: Decimal
    depth: int  # 1: directly under the line's item


def sub_assemblies_to_make(*, lines: Iterable[SalesOrderLine]) -> dict[int, list[SubAssembly]]:
    """For open order lines: the made items below the line's own item that the line must
    make (section 3b `to_make` > 0: what stock does not cover), deepest first."""
    lines = list(lines)
    if not lines:
        return {}
    ensure_fresh()
    rows = (
        LineMaterial.objects.filter(order_line_id__in=[ln.pk for ln in lines], made=True)
        .exclude(to_make=0)
        .exclude(seq=0)
        .values_list("order_line_id", "item_id", "to_make")
    )
    found: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for line_id, item_id, to_make in rows:
        found[line_id].append((item_id, to_make))
    if not found:
        return {}
    structure = load_structure({ln.item_id for ln in lines if ln.pk in found})
    result: dict[int, list[SubAssembly]] = {}
    for line in lines:
        if line.pk not in found:
            continue
        depth = _depths(line.item_id, structure)
        made = [SubAssembly(i, q, depth.get(i, 1)) for i, q in found[line.pk]]
        result[line.pk] = sorted(made, key=lambda s: (-s.depth, s.item_id))
    return result
