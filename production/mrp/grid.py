"""An item's time-phased view, the classic MRP grid: per date its gross requirements,
scheduled receipts, projected balance, planned receipts and planned releases.

It is computed from the same inputs as a run, read the same way (loader.load_item_input),
with the dependent demand of the run's planned orders of the item's parents, and netted by
the same engine code (engine.plan_item): its planned receipts are the run's planned orders.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from materials.models import Item
from production.models import MrpRun, PlannedOrder, WorkOrder
from production.mrp.engine import NO_PEGS, ZERO, Dependent, Planned, plan_item
from production.mrp.loader import load_item_input


@dataclass
class Bucket:
    date: dt.date
    past_due: bool = False  # releases dated before the run's date (late)
    independent: Decimal = ZERO  # customer order lines
    allocated: Decimal = ZERO  # components of open work orders
    dependent: Decimal = ZERO  # components of planned orders of the parents
    scheduled: Decimal = ZERO  # open purchase order lines and work orders
    planned_receipts: Decimal = ZERO
    planned_releases: Decimal = ZERO
    balance: Decimal | None = None  # projected, after the date

    @property
    def gross(self) -> Decimal:
        return self.independent + self.allocated + self.dependent


@dataclass
class Grid:
    item: Item
    run: MrpRun
    on_hand: Decimal
    made: bool  # has a BOM: its planned orders are production orders
    buckets: list[Bucket] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)


def item_grid(*, item: Item, run: MrpRun) -> Grid:
    """The grid of `item` as of the run's date, from today's inputs and the run's planned
    orders of its parents. A fixed number of queries."""
    as_of = run.as_of
    data = load_item_input(as_of=as_of, item_id=item.pk)

    def day_of(date: dt.date) -> dt.date:
        return date if date > as_of else as_of

    buckets: dict[dt.date, Bucket] = {}

    def bucket(date: dt.date) -> Bucket:
        if date not in buckets:
            buckets[date] = Bucket(date=date, past_due=date < as_of)
        return buckets[date]

    bucket(as_of)
    parents = {p for p, comps in data.bom.items() if any(c.component_id == item.pk for c in comps)}
    work_orders = set(WorkOrder.objects.filter(item_id__in=parents).values_list("wo_no", flat=True))
    for event in data.demands.get(item.pk, ()):
        target = bucket(day_of(event.date))
        if event.pegs & work_orders:
            target.allocated += event.quantity
        else:
            target.independent += event.quantity
    for event in data.receipts.get(item.pk, ()):
        bucket(day_of(event.date)).scheduled += event.quantity

    dependent = _dependent_demand(item=item, run=run, bom=data.bom)
    for date, quantity, _pegs, _source in dependent:
        bucket(date).dependent += quantity

    planned = plan_item(data, data.items[item.pk], dependent)
    for order in planned:
        bucket(order.due_date).planned_receipts += order.quantity
        bucket(order.release_date).planned_releases += order.quantity

    on_hand = data.on_hand.get(item.pk, ZERO)
    balance = on_hand
    ordered = [buckets[d] for d in sorted(buckets)]
    for b in ordered:
        if b.past_due:
            continue
        balance += b.scheduled + b.planned_receipts - b.gross
        b.balance = balance
    return Grid(
        item=item,
        run=run,
        on_hand=on_hand,
        buckets=ordered,
        planned=planned,
        made=bool(data.bom.get(item.pk)),
    )


def _dependent_demand(*, item: Item, run: MrpRun, bom) -> list[Dependent]:
    """What the run's planned production orders of the item's parents need of it, on their
    release dates (T at the earliest), parents in code order."""
    factors: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for parent, components in bom.items():
        for c in components:
            if c.component_id == item.pk:
                factors[parent] += c.factor
    if not factors:
        return []
    as_of = run.as_of
    out: list[Dependent] = []
    for parent in (
        PlannedOrder.objects.filter(run=run, item_id__in=factors.keys(), kind="production")
        .select_related("item")
        .order_by("item__code", "due_date", "pk")
    ):
        needed = parent.release_date if parent.release_date > as_of else as_of
        out.append((needed, parent.quantity * factors[parent.item_id], NO_PEGS, parent))
    return out
