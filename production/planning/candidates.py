"""The customer order lines a plan proposal schedules, turned into scheduler jobs. Reads.

A candidate is an open line of a confirmed order (confirmed, in production, partly
shipped) due by the end of the period, with something left to make:
quantity - max(shipped, what its work order already completed) (goods received for the
line are either in stock or shipped, so neither is counted twice).

Material: a line of an order whose stored material status is not `covered` is looked up in
the stored availability (CONTRACT.md section 3b, made items' stock covering the material
below them); it may not start before every bought item it takes from open purchase orders
arrives: the earliest due date of the open purchase order lines of that item. Short of a
bought item (more than stock and open purchase orders), the line is left unscheduled with
the reason. Made items are never "short": they are made.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Min

from materials.models import Item, PurchaseOrder, PurchaseOrderLine, Routing
from orders.availability.read import line_shortages, sub_assemblies_to_make
from orders.models import LineStatus, MaterialStatus, SalesOrderLine
from orders.states import OPEN_STATES
from production.models import PlanLine, PlanStatus, WorkOrder
from production.planning.calendar import ZERO
from production.planning.scheduler import Job, StepSpec


@dataclass
class Candidate:
    order_line: SalesOrderLine
    quantity: Decimal  # what is left to make
    work_order: WorkOrder | None = None  # the work order of the revision being replaced


def to_make(line: SalesOrderLine, completed: Decimal) -> Decimal:
    return max(ZERO, line.quantity - max(line.shipped_quantity, completed))


def planned_elsewhere(*, except_number: str | None = None) -> set[int]:
    """Order lines already in a submitted or approved plan (other than `except_number`):
    a new proposal leaves them to that plan."""
    taken = PlanLine.objects.filter(
        plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED]
    ).order_by()
    if except_number:
        taken = taken.exclude(plan__number=except_number)
    return set(taken.values_list("order_line_id", flat=True).distinct())


def open_lines(
    *,
    due_by: dt.date,
    exclude_line_ids: Iterable[int] = (),
    only_line_ids: Iterable[int] | None = None,
) -> list[SalesOrderLine]:
    lines = SalesOrderLine.objects.filter(
        status=LineStatus.OPEN,
        order__status__in=OPEN_STATES,
        shipped_quantity__lt=F("quantity"),
    ).select_related("order__customer", "item")
    if only_line_ids is not None:
        lines = lines.filter(pk__in=list(only_line_ids))
    else:
        lines = lines.filter(due_date__lte=due_by)
    excluded = set(exclude_line_ids)
    return [line for line in lines.order_by("due_date", "pk") if line.pk not in excluded]


def routings_of(item_ids: Iterable[int]) -> dict[int, list[Routing]]:
    steps: dict[int, list[Routing]] = defaultdict(list)
    for routing in Routing.objects.filter(item_id__in=set(item_ids)).order_by("item_id", "seq"):
        steps[routing.item_id].append(routing)
    return steps


def step_minutes(routing: Routing, quantity: Decimal) -> Decimal:
    return routing.setup_minutes + routing.minutes_per_unit * quantity


def material_ready(
    lines: Sequence[SalesOrderLine],
) -> dict[int, tuple[dt.date | None, str]]:
    """For lines of orders not covered: (the day their missing material arrives, or None
    with the reason it will not)."""
    unsure = [line for line in lines if line.order.material_status != MaterialStatus.COVERED]
    if not unsure:
        return {}
    shortages = line_shortages(line_ids=[line.pk for line in unsure])
    items = {item_id for found in shortages.values() for item_id, _o, _s in found}
    codes = dict(Item.objects.filter(pk__in=items).values_list("pk", "code"))
    arrivals = dict(
        PurchaseOrderLine.objects.filter(
            item_id__in=items,
            purchase_order__status=PurchaseOrder.Status.OPEN,
            received_quantity__lt=F("quantity"),
        )
        .values("item_id")
        .annotate(first=Min("due_date"))
        .values_list("item_id", "first")
    )
    ready: dict[int, tuple[dt.date | None, str]] = {}
    own = {line.pk: line.item_id for line in unsure}
    for line_id, found in shortages.items():
        # The line's own item is what the plan makes: only what goes into it can be short.
        found = [f for f in found if f[0] != own.get(line_id)]
        if not found:
            continue
        missing = sorted(codes[item_id] for item_id, _on_order, short in found if short > 0)
        if missing:
            ready[line_id] = (
                None,
                f"Short of {', '.join(missing)} with no open purchase order.",
            )
        else:
            ready[line_id] = (max(arrivals[item_id] for item_id, _o, _s in found), "")
    return ready


def jobs_for(
    candidates: Sequence[Candidate], *, earliest: dt.date, tiers: dict[int, int] | None = None
) -> list[Job]:
    """Scheduler jobs of the candidates: each routing step's minutes for the quantity, the
    material date, the priority facts (portfolio tier, key customer, due date, margin)."""
    tiers = tiers or {}
    lines = [c.order_line for c in candidates]
    below = sub_assemblies_to_make(lines=lines)
    made_below = {s.item_id for found in below.values() for s in found}
    steps = routings_of({line.item_id for line in lines} | made_below)
    ready = material_ready(lines)
    jobs = []
    for candidate in candidates:
        line = candidate.order_line
        quantity = candidate.quantity
        routing = steps.get(line.item_id, [])
        blocked = "" if routing else f"Item {line.item.code} has no routing."
        start = earliest
        if line.pk in ready:
            arrives, reason = ready[line.pk]
            blocked = blocked or reason
            if arrives is not None:
                start = max(start, arrives)
        # Sub-assemblies first, deepest first, each on its own routing's machines; one
        # without a routing is bought-in work nobody schedules here (MRP shows it).
        specs = [
            StepSpec(
                r.seq,
                r.process_id,
                r.work_center_id,
                step_minutes(r, sub.to_make),
                item_id=sub.item_id,
                quantity=sub.to_make,
                stage=-sub.depth,
            )
            for sub in below.get(line.pk, [])
            for r in steps.get(sub.item_id, [])
        ]
        specs += [
            StepSpec(r.seq, r.process_id, r.work_center_id, step_minutes(r, quantity))
            for r in routing
        ]
        jobs.append(
            Job(
                key=line.pk,
                steps=specs,
                due_date=line.due_date,
                key_account=line.order.customer.key_account,
                margin=(line.unit_price - line.item.standard_cost) * quantity,
                earliest=start,
                tiebreak=(line.order.order_no, line.line),
                blocked=blocked,
                tier=tiers.get(line.pk, 1),
            )
        )
    return jobs
