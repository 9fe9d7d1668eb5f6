"""Read everything MRP needs with a fixed handful of queries (no query per item)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum

from materials.models import (
    BomLine,
    Item,
    LocationKind,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
)
from orders.models import (
    LineStatus,
    OrderMaterial,
    OrderStatus,
    SalesOrderLine,
    WorkOrderMaterial,
)
from production.models import WorkOrder
from production.mrp.engine import Component, Event, MrpInput, PlanItem

ONE = Decimal(1)
DEMAND_ORDER_STATES = [OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.PARTLY_SHIPPED]
OPEN_WORK_ORDER_STATES = [WorkOrder.Status.PLANNED, WorkOrder.Status.RELEASED]


def load_input(*, as_of: dt.date) -> MrpInput:
    data = MrpInput(as_of=as_of, items=_plan_items(Item.objects.all()), bom=_bom(BomLine.objects))
    data.on_hand = _on_hand(StockBalance.objects)
    _add_purchase_receipts(data, PurchaseOrderLine.objects)
    _add_order_demands(data, SalesOrderLine.objects)
    _add_work_orders(data, WorkOrder.objects)
    return data


def load_item_input(*, as_of: dt.date, item_id: int) -> MrpInput:
    """What a run sees of one item, read the same way: its stock, receipts and demands, and
    the allocated demand of its parents' work orders. (Dependent demand comes from the
    planned orders of a run.) `bom` holds the item's own BOM and the lines using it."""
    bom = _bom(BomLine.objects.filter(Q(parent_id=item_id) | Q(component_id=item_id)))
    parents = {p for p, comps in bom.items() if any(c.component_id == item_id for c in comps)}
    data = MrpInput(
        as_of=as_of, items=_plan_items(Item.objects.filter(id__in={item_id, *parents})), bom=bom
    )
    data.on_hand = _on_hand(StockBalance.objects.filter(item_id=item_id))
    _add_purchase_receipts(data, PurchaseOrderLine.objects.filter(item_id=item_id))
    _add_order_demands(data, SalesOrderLine.objects.filter(item_id=item_id))
    _add_work_orders(data, WorkOrder.objects.filter(item_id__in={item_id, *parents}))
    return data


def _plan_items(items) -> dict[int, PlanItem]:
    return {
        row[0]: PlanItem(*row)
        for row in items.values_list(
            "id",
            "code",
            "decimals",
            "lead_time_days",
            "safety_stock",
            "min_order_qty",
            "order_multiple",
        )
    }


def _bom(lines) -> dict[int, list[Component]]:
    bom: dict[int, list[Component]] = defaultdict(list)
    for parent, component, qty, rate in lines.values_list(
        "parent_id", "component_id", "quantity", "process__defect_rate"
    ):
        bom[parent].append(Component(component, qty * (ONE + (rate or 0))))
    return dict(bom)


def _on_hand(balances) -> dict[int, Decimal]:
    return dict(
        balances.filter(location__kind=LocationKind.USABLE)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )


def _add_purchase_receipts(data: MrpInput, lines) -> None:
    for item_id, due, open_qty in (
        lines.filter(
            purchase_order__status=PurchaseOrder.Status.OPEN, received_quantity__lt=F("quantity")
        )
        .annotate(open_qty=F("quantity") - F("received_quantity"))
        .values_list("item_id", "due_date", "open_qty")
    ):
        data.receipts[item_id].append(Event(due, open_qty))


def _add_order_demands(data: MrpInput, lines) -> None:
    for item_id, due, open_qty, order_no in (
        lines.filter(
            status=LineStatus.OPEN,
            order__status__in=DEMAND_ORDER_STATES,
            shipped_quantity__lt=F("quantity"),
        )
        .annotate(open_qty=F("quantity") - F("shipped_quantity"))
        .values_list("item_id", "due_date", "open_qty", "order__order_no")
    ):
        data.demands[item_id].append(Event(due, open_qty, frozenset({order_no})))


def _add_work_orders(data: MrpInput, work_orders) -> None:
    """Open work orders: a receipt of what they make, and the allocated demand of their
    components at their start date, less what was already picked for them."""
    rows = list(
        work_orders.filter(status__in=OPEN_WORK_ORDER_STATES, completed_quantity__lt=F("quantity"))
        .order_by("due_date", "wo_no")
        .values_list(
            "pk",
            "wo_no",
            "item_id",
            "due_date",
            "quantity",
            "completed_quantity",
            "sales_order_id",
            "sales_order__order_no",
        )
    )
    picked = _picked_for_orders({wo[6] for wo in rows if wo[6]})
    own = _picked_for_work_orders({wo[0] for wo in rows})
    for wo_id, wo_no, item_id, due, qty, done, so_id, order_no in rows:
        open_qty = qty - done
        data.receipts[item_id].append(Event(due, open_qty))
        start = due - dt.timedelta(days=data.items[item_id].lead_time_days)
        pegs = frozenset(p for p in (wo_no, order_no) if p)
        for comp in data.bom.get(item_id, ()):
            # What was picked against the work order itself, then against the order line.
            need = max(Decimal(0), open_qty * comp.factor - own.get((wo_id, comp.component_id), 0))
            pool_key = (so_id, item_id, comp.component_id)
            already = picked.get(pool_key, Decimal(0))
            used = min(already, need)
            if used:
                picked[pool_key] = already - used  # one pick is counted for one work order only
            if need - used > 0:
                data.demands[comp.component_id].append(Event(start, need - used, pegs))


def _picked_for_work_orders(work_order_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    """What was picked (net of surplus returns) against these work orders, by (work order,
    item): slips that name the work order itself."""
    return {
        (wo_id, item_id): qty - surplus
        for wo_id, item_id, qty, surplus in WorkOrderMaterial.objects.filter(
            work_order_id__in=work_order_ids
        ).values_list("work_order_id", "item_id", "picked", "returned_surplus")
    }


def _picked_for_orders(order_ids: set[int]) -> dict[tuple[int, int, int], Decimal]:
    """What was picked (net of surplus returns) for the lines of these customer orders,
    by (order, line item, picked item): the work orders that serve them consumed it."""
    if not order_ids:
        return {}
    picked: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    for order_id, line_item, item_id, qty, surplus in OrderMaterial.objects.filter(
        order_line__order_id__in=order_ids
    ).values_list(
        "order_line__order_id", "order_line__item_id", "item_id", "picked", "returned_surplus"
    ):
        picked[(order_id, line_item, item_id)] += qty - surplus
    return picked


def supplier_by_item() -> dict[int, int]:
    """Item -> the supplier of its most recent purchase order line: the supplier a planned
    purchase suggests. One query, a lookup per item with purchase lines."""
    latest = (
        PurchaseOrderLine.objects.filter(item=OuterRef("pk"))
        .order_by("-purchase_order__order_date", "-purchase_order_id", "-id")
        .values("purchase_order__supplier_id")[:1]
    )
    return dict(
        Item.objects.filter(Exists(PurchaseOrderLine.objects.filter(item=OuterRef("pk"))))
        .annotate(supplier=Subquery(latest))
        .values_list("id", "supplier")
    )
