"""Read everything MRP needs with a fixed handful of queries (no query per item)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum

from materials.models import (
    BomLine,
    Item,
    LocationKind,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
)
from orders.models import LineStatus, OrderMaterial, OrderStatus, SalesOrderLine
from production.models import WorkOrder
from production.mrp.engine import Component, Event, MrpInput, PlanItem

ONE = Decimal(1)
DEMAND_ORDER_STATES = [OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.PARTLY_SHIPPED]
OPEN_WORK_ORDER_STATES = [WorkOrder.Status.PLANNED, WorkOrder.Status.RELEASED]


def load_input(*, as_of: dt.date) -> MrpInput:
    items = {
        row[0]: PlanItem(*row)
        for row in Item.objects.values_list(
            "id",
            "code",
            "decimals",
            "lead_time_days",
            "safety_stock",
            "min_order_qty",
            "order_multiple",
        )
    }
    bom: dict[int, list[Component]] = defaultdict(list)
    for parent, component, qty, rate in BomLine.objects.values_list(
        "parent_id", "component_id", "quantity", "process__defect_rate"
    ):
        bom[parent].append(Component(component, qty * (ONE + (rate or 0))))
    data = MrpInput(as_of=as_of, items=items, bom=dict(bom))

    data.on_hand = dict(
        StockBalance.objects.filter(location__kind=LocationKind.USABLE)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    for item_id, due, open_qty in (
        PurchaseOrderLine.objects.filter(
            purchase_order__status=PurchaseOrder.Status.OPEN, received_quantity__lt=F("quantity")
        )
        .annotate(open_qty=F("quantity") - F("received_quantity"))
        .values_list("item_id", "due_date", "open_qty")
    ):
        data.receipts[item_id].append(Event(due, open_qty))

    for item_id, due, open_qty, order_no in (
        SalesOrderLine.objects.filter(
            status=LineStatus.OPEN,
            order__status__in=DEMAND_ORDER_STATES,
            shipped_quantity__lt=F("quantity"),
        )
        .annotate(open_qty=F("quantity") - F("shipped_quantity"))
        .values_list("item_id", "due_date", "open_qty", "order__order_no")
    ):
        data.demands[item_id].append(Event(due, open_qty, frozenset({order_no})))

    work_orders = list(
        WorkOrder.objects.filter(
            status__in=OPEN_WORK_ORDER_STATES, completed_quantity__lt=F("quantity")
        )
        .order_by("due_date", "wo_no")
        .values_list(
            "wo_no",
            "item_id",
            "due_date",
            "quantity",
            "completed_quantity",
            "sales_order_id",
            "sales_order__order_no",
        )
    )
    picked = _picked_for_orders({wo[5] for wo in work_orders if wo[5]})
    for wo_no, item_id, due, qty, done, so_id, order_no in work_orders:
        open_qty = qty - done
        data.receipts[item_id].append(Event(due, open_qty))
        start = due - dt.timedelta(days=items[item_id].lead_time_days)
        pegs = frozenset(p for p in (wo_no, order_no) if p)
        for comp in data.bom.get(item_id, ()):
            need = open_qty * comp.factor
            pool_key = (so_id, item_id, comp.component_id)
            already = picked.get(pool_key, Decimal(0))
            used = min(already, need)
            if used:
                picked[pool_key] = already - used  # one pick is counted for one work order only
            if need - used > 0:
                data.demands[comp.component_id].append(Event(start, need - used, pegs))
    return data


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
