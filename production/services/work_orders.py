"""Work orders from an approved plan: what MRP and the warehouse see of it.

One work order per customer order line of the plan and item it makes (the line's own item,
and each sub-assembly the proposal scheduled before it; due date = the end of its last
routing step, the customer order). A revision updates the work order of the line
instead of making another: a re-planned line's work order becomes what it has completed
plus what is left to make; a carried-over line keeps its quantity and moves its due date;
a line the revision drops (or can no longer schedule) loses its work order: cancelled if
nothing was made, else closed at what was made.
"""

from collections import defaultdict

from erp.services import next_document_number
from orders.models import OrderStatus, SalesOrder
from orders.states import check_move
from production.models import PlanLine, ProductionPlan, WorkOrder

WO_PREFIX = "WO"
CLOSED_WO = (WorkOrder.Status.COMPLETED, WorkOrder.Status.CANCELLED)


def _save(work_order: WorkOrder, user, *fields: str) -> None:
    work_order.stamp(user)
    if work_order.pk is None:
        work_order.save()
    else:
        work_order.save(update_fields=[*fields, "updated_at", "updated_by"])


def _drop(work_order: WorkOrder, user) -> None:
    if work_order.status in CLOSED_WO:
        return
    if work_order.completed_quantity > 0:
        work_order.quantity = work_order.completed_quantity
        work_order.status = WorkOrder.Status.COMPLETED
    else:
        work_order.status = WorkOrder.Status.CANCELLED
    _save(work_order, user, "quantity", "status")


def work_orders_for_plan(*, plan: ProductionPlan, user) -> list[WorkOrder]:
    """Create or update the work orders of an approved plan (called inside its approval)."""
    lines = list(
        plan.lines.select_related("order_line__order", "item", "work_order").order_by("pk")
    )
    # One work order per order line and item made: the line's own item and each
    # sub-assembly the proposal scheduled before it.
    scheduled: dict[tuple[int, int], list[PlanLine]] = defaultdict(list)
    for pl in lines:
        if pl.scheduled:
            scheduled[(pl.order_line_id, pl.item_id)].append(pl)
    before: dict[tuple[int, int], PlanLine] = {}
    if plan.previous_id:
        for pl in plan.previous.lines.select_related("work_order"):
            if pl.work_order_id:
                before[(pl.order_line_id, pl.item_id)] = pl
    ids = {pl.work_order_id for pl in lines if pl.work_order_id}
    ids |= {pl.work_order_id for pl in before.values()}
    locked = {
        wo.pk: wo
        for wo in WorkOrder.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
    }

    result = []
    for key, steps in scheduled.items():
        first = steps[0]
        due = max(pl.end_date for pl in steps)
        previous = before.get(key)
        wo_id = first.work_order_id or (previous.work_order_id if previous else None)
        work_order = locked.get(wo_id) if wo_id else None
        if work_order is None or work_order.status in CLOSED_WO:
            work_order = WorkOrder(
                wo_no=next_document_number(prefix=WO_PREFIX),
                item=first.item,
                quantity=first.quantity,
                due_date=due,
                sales_order=first.order_line.order,
            )
            _save(work_order, user)
        else:
            carried = previous is not None and previous.planned_at == first.planned_at
            if not carried:
                work_order.quantity = work_order.completed_quantity + first.quantity
            work_order.due_date = due
            _save(work_order, user, "quantity", "due_date")
        result.append(work_order)
        PlanLine.objects.filter(pk__in=[pl.pk for pl in steps]).update(work_order=work_order)

    for key, pl in before.items():
        if key not in scheduled:
            _drop(locked[pl.work_order_id], user)
    _start_production({pl.order_line.order_id for pls in scheduled.values() for pl in pls}, user)
    return result


def _start_production(order_ids: set[int], user) -> None:
    """Confirmed orders with an approved plan are in production now; their re-plan (if an
    order change asked for one) is done."""
    for order in SalesOrder.objects.filter(pk__in=order_ids, status=OrderStatus.CONFIRMED):
        check_move(order=order, target=OrderStatus.IN_PRODUCTION)
        order.status = OrderStatus.IN_PRODUCTION
        order.stamp(user)
        order.save(update_fields=["status", "updated_at", "updated_by"])
    SalesOrder.objects.filter(pk__in=order_ids, replan_needed=True).update(replan_needed=False)
