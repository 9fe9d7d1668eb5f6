"""Material requirement of a quantity of an item (CONTRACT.md section 3).

For Q of item F, the requirement of every item X in F's BOM tree is the sum over every BOM
path F -> ... -> X of Q x the product of `quantity x (1 + defect_rate)` of the path's lines,
kept exact and rounded up to X's decimals once, at the end.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from materials.bom import describe_cycle, find_cycle
from materials.errors import BomCycle
from materials.models import BomLine, DefectRateChange, Item

ONE = Decimal(1)


@dataclass(frozen=True)
class BomEdge:
    component_id: int
    factor: Decimal  # quantity x (1 + defect rate of the line's process), exact


def round_up(quantity: Decimal, decimals: int) -> Decimal:
    """A quantity a person must pick, buy or make: up to the unit's decimals, never down."""
    return quantity.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_CEILING)


def rates_as_of(when: dt.datetime) -> dict[int, Decimal]:
    """The defect rate each process had at `when`, where it has changed since: the old rate
    of its first change after `when` (processes not changed since keep today's rate)."""
    rates: dict[int, Decimal] = {}
    for process_id, old_rate in (
        DefectRateChange.objects.filter(changed_at__gte=when)
        .order_by("process_id", "changed_at", "pk")
        .values_list("process_id", "old_rate")
    ):
        rates.setdefault(process_id, old_rate)
    return rates


def load_bom(
    item_ids: Iterable[int], *, as_of: dt.datetime | None = None
) -> dict[int, list[BomEdge]]:
    """The BOM below `item_ids`, every level: one query per level of the tree. With
    `as_of`, each line's allowance uses its process's defect rate of that moment."""
    rates = rates_as_of(as_of) if as_of is not None else {}
    children: dict[int, list[BomEdge]] = {}
    frontier = set(item_ids)
    while frontier:
        rows = BomLine.objects.filter(parent_id__in=frontier).values_list(
            "parent_id", "component_id", "quantity", "process_id", "process__defect_rate"
        )
        found: dict[int, list[BomEdge]] = {parent: [] for parent in frontier}
        for parent_id, component_id, quantity, process_id, rate in rows:
            rate = rates.get(process_id, rate)
            found[parent_id].append(BomEdge(component_id, quantity * (ONE + (rate or 0))))
        children.update(found)
        frontier = {e.component_id for edges in found.values() for e in edges} - children.keys()
    return children


def exact_requirements(
    *, item_id: int, quantity: Decimal, bom: dict[int, list[BomEdge]]
) -> dict[int, Decimal]:
    """Exact (unrounded) requirement of every item below `item_id` for `quantity` of it.

    The sum over paths is taken level by level in topological order (each item once, after
    all its parents), so a BOM that shares sub-assemblies costs O(lines), not O(paths).
    """
    reachable: set[int] = set()
    stack = [item_id]
    while stack:
        for edge in bom.get(stack.pop(), ()):
            if edge.component_id not in reachable:
                reachable.add(edge.component_id)
                stack.append(edge.component_id)
    if item_id in reachable:
        _raise_cycle(item_id, bom)
    parents_left: dict[int, int] = defaultdict(int)
    for parent in (item_id, *reachable):
        for edge in bom.get(parent, ()):
            parents_left[edge.component_id] += 1
    totals: dict[int, Decimal] = defaultdict(Decimal)
    totals[item_id] = quantity
    ready = [item_id]
    done = 0
    while ready:
        parent = ready.pop()
        done += 1
        for edge in bom.get(parent, ()):
            totals[edge.component_id] += totals[parent] * edge.factor
            parents_left[edge.component_id] -= 1
            if parents_left[edge.component_id] == 0:
                ready.append(edge.component_id)
    if done < len(reachable) + 1:
        _raise_cycle(item_id, bom)
    del totals[item_id]
    return dict(totals)


def _raise_cycle(item_id: int, bom: dict[int, list[BomEdge]]) -> None:
    cycle = find_cycle({p: [e.component_id for e in edges] for p, edges in bom.items()})
    ids = cycle or [item_id]
    codes = dict(Item.objects.filter(pk__in=ids).values_list("pk", "code"))
    raise BomCycle(describe_cycle([codes[i] for i in ids]))


def requirements_for(
    lines: Iterable[tuple[object, int, Decimal]], *, as_of: dt.datetime | None = None
) -> dict[object, dict[int, Decimal]]:
    """For (key, item_id, quantity) triples (an order line each), the rounded requirement of
    every item in the item's BOM tree: {key: {item_id: requirement}}. With `as_of`, the
    defect rates of that moment (an order line that keeps its rates)."""
    lines = list(lines)
    bom = load_bom({item_id for _key, item_id, _qty in lines}, as_of=as_of)
    exact = {
        key: exact_requirements(item_id=item_id, quantity=qty, bom=bom)
        for key, item_id, qty in lines
    }
    ids = {i for reqs in exact.values() for i in reqs}
    decimals = dict(Item.objects.filter(pk__in=ids).values_list("pk", "decimals"))
    return {
        key: {i: round_up(q, decimals[i]) for i, q in reqs.items()} for key, reqs in exact.items()
    }


def direct_requirements(
    lines: Iterable[tuple[object, int, Decimal]],
) -> dict[object, dict[int, Decimal]]:
    """Like `requirements_for`, but one BOM level only: for (key, item_id, quantity), the
    rounded requirement of each direct component of the item, allowances included
    (quantity x BOM quantity x (1 + defect rate), summed over the item's lines, rounded up
    once). What a work order consumes: its sub-assemblies have work orders of their own."""
    lines = list(lines)
    parents = {item_id for _key, item_id, _qty in lines}
    bom: dict[int, list[BomEdge]] = {parent: [] for parent in parents}
    for parent_id, component_id, quantity, rate in BomLine.objects.filter(
        parent_id__in=parents
    ).values_list("parent_id", "component_id", "quantity", "process__defect_rate"):
        bom[parent_id].append(BomEdge(component_id, quantity * (ONE + (rate or 0))))
    exact = {
        key: exact_requirements(item_id=item_id, quantity=qty, bom={item_id: bom[item_id]})
        for key, item_id, qty in lines
    }
    ids = {i for reqs in exact.values() for i in reqs}
    decimals = dict(Item.objects.filter(pk__in=ids).values_list("pk", "decimals")) if ids else {}
    return {
        key: {i: round_up(q, decimals[i]) for i, q in reqs.items()} for key, reqs in exact.items()
    }
