"""MRP (物料需求计划): time-phased netting in day buckets, CONTRACT.md section 4.

Pure computation on plain data: no database here. The loader reads the factory with a
handful of queries; this module plans every item once, in low-level-code order, with exact
decimals; the service writes the planned orders in bulk.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from materials.bom import describe_cycle, find_cycle

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class PlanItem:
    id: int
    code: str
    decimals: int
    lead_time_days: int
    safety_stock: Decimal
    min_order_qty: Decimal
    order_multiple: Decimal


@dataclass(frozen=True)
class Component:
    component_id: int
    factor: Decimal  # quantity per parent x (1 + defect rate), exact


@dataclass
class Event:
    date: dt.date
    quantity: Decimal
    pegs: frozenset[str] = frozenset()


@dataclass
class MrpInput:
    as_of: dt.date
    items: dict[int, PlanItem]
    bom: dict[int, list[Component]]  # parent id -> components
    on_hand: dict[int, Decimal] = field(default_factory=dict)
    receipts: dict[int, list[Event]] = field(default_factory=lambda: defaultdict(list))
    demands: dict[int, list[Event]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class Planned:
    item_id: int
    kind: str  # "purchase" or "production"
    quantity: Decimal
    due_date: dt.date
    release_date: dt.date
    late: bool
    pegging: tuple[str, ...]


class MrpBomCycle(ValueError):
    pass


def low_level_codes(items: dict[int, PlanItem], bom: dict[int, list[Component]]) -> dict[int, int]:
    """The deepest level at which each item appears in any BOM (0: in no BOM)."""
    children = {p: [c.component_id for c in comps] for p, comps in bom.items()}
    cycle = find_cycle(children)
    if cycle:
        raise MrpBomCycle(describe_cycle([items[i].code if i in items else str(i) for i in cycle]))
    parents_left: dict[int, int] = defaultdict(int)
    for comps in bom.values():
        for c in comps:
            parents_left[c.component_id] += 1
    level = {i: 0 for i in items}
    ready = [i for i in items if parents_left[i] == 0]
    while ready:
        parent = ready.pop()
        for c in bom.get(parent, ()):
            if level[parent] + 1 > level.get(c.component_id, 0):
                level[c.component_id] = level[parent] + 1
            parents_left[c.component_id] -= 1
            if parents_left[c.component_id] == 0:
                ready.append(c.component_id)
    return level


def lot_size(item: PlanItem, shortage: Decimal) -> Decimal:
    """lot(x) = max(x, min_order_qty), up to a multiple of order_multiple, up to the unit."""
    qty = max(shortage, item.min_order_qty)
    if item.order_multiple > 0:
        multiples = (qty / item.order_multiple).to_integral_value(rounding=ROUND_CEILING)
        qty = multiples * item.order_multiple
    return qty.quantize(Decimal(1).scaleb(-item.decimals), rounding=ROUND_CEILING)


def plan(data: MrpInput) -> list[Planned]:
    """Plan every item; returns the planned orders, lowest level first."""
    levels = low_level_codes(data.items, data.bom)
    order = sorted(data.items, key=lambda i: (levels[i], data.items[i].code))
    planned: list[Planned] = []
    for item_id in order:
        planned.extend(_plan_item(data, data.items[item_id]))
    return planned


def _plan_item(data: MrpInput, item: PlanItem) -> list[Planned]:
    as_of = data.as_of
    receipts: dict[dt.date, Decimal] = defaultdict(Decimal)
    for r in data.receipts.get(item.id, ()):
        receipts[max(r.date, as_of)] += r.quantity
    demands: dict[dt.date, list[Event]] = defaultdict(list)
    for d in data.demands.get(item.id, ()):
        demands[max(d.date, as_of)].append(d)
    dates = sorted({as_of, *receipts, *demands})

    balance = data.on_hand.get(item.id, ZERO)
    # Supply lots consumed first-in-first-out, to peg planned orders to the demands they serve.
    lots: list[list] = [[None, balance]] if balance > 0 else []
    unmet: list[list] = []  # [pegs, quantity] not yet covered by any lot
    pegs_of: dict[int, set[str]] = defaultdict(set)
    result: list[tuple[Decimal, dt.date]] = []
    is_made = bool(data.bom.get(item.id))

    for day in dates:
        if receipts.get(day):
            balance += receipts[day]
            lots.append([None, receipts[day]])
            _cover(lots, unmet, pegs_of)
        for demand in demands.get(day, ()):
            balance -= demand.quantity
            unmet.append([demand.pegs, demand.quantity])
            _cover(lots, unmet, pegs_of)
        if balance < item.safety_stock:
            qty = lot_size(item, item.safety_stock - balance)
            balance += qty
            result.append((qty, day))
            lots.append([len(result) - 1, qty])
            _cover(lots, unmet, pegs_of)

    out = []
    for index, (qty, due) in enumerate(result):
        release = due - dt.timedelta(days=item.lead_time_days)
        pegs = tuple(sorted(pegs_of.get(index, ())))
        out.append(
            Planned(
                item_id=item.id,
                kind="production" if is_made else "purchase",
                quantity=qty,
                due_date=due,
                release_date=release,
                late=release < as_of,
                pegging=pegs,
            )
        )
        if is_made:
            for comp in data.bom[item.id]:
                data.demands.setdefault(comp.component_id, []).append(
                    Event(release, qty * comp.factor, frozenset(pegs))
                )
    return out


def _cover(lots: list[list], unmet: list[list], pegs_of: dict[int, set[str]]) -> None:
    """Let the waiting demands take from the supply lots, oldest first."""
    while unmet and lots:
        pegs, need = unmet[0]
        lot = lots[0]
        take = min(need, lot[1])
        if lot[0] is not None and pegs:
            pegs_of[lot[0]].update(pegs)
        lot[1] -= take
        unmet[0][1] = need - take
        if lot[1] <= 0:
            lots.pop(0)
        if unmet[0][1] <= 0:
            unmet.pop(0)
