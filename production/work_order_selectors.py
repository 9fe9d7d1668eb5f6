"""Reads of work orders: the list (filtered by status and item) and one work order with
everything the shop floor and the warehouse know of it: routing steps, material picked
for it, daily output, finished-goods receipts (and their reversals), the orders it serves.
A fixed number of queries whatever the size of each part. No writes."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from erp.models import ZERO
from materials.models import Routing
from orders.models import SalesOrder, SalesOrderLine
from production.models import DailyReport, FinishedGoodsReceipt, PlanLine, WorkOrder

DAILY_ROWS = 200  # the latest daily report rows shown; the totals count them all
ORDERS_SHOWN = 100  # pegging of a deep sub-assembly may name thousands of orders

try:  # the material picked against work orders (工单领料), where the orders app has it
    from orders.selectors.work_order_material import work_order_material
except ImportError:  # pragma: no cover
    work_order_material = None


def work_orders(*, status: str = "", item: str = "", search: str = "") -> QuerySet[WorkOrder]:
    """Work orders by due date; `item`: an item code; `search`: part of the number, the item
    code or name, or the customer order number. Two tables, one query."""
    rows = WorkOrder.objects.select_related("item", "sales_order")
    if status:
        rows = rows.filter(status=status)
    if item:
        rows = rows.filter(item__code=item)
    if search:
        rows = rows.filter(
            Q(wo_no__icontains=search)
            | Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
            | Q(sales_order__order_no__icontains=search)
        )
    return rows.order_by("due_date", "wo_no")


def work_order(*, wo_no: str) -> WorkOrder:
    """Raises WorkOrder.DoesNotExist."""
    return WorkOrder.objects.select_related(
        "item", "sales_order__customer", "created_by", "updated_by"
    ).get(wo_no=wo_no.replace("\x00", ""))


@dataclass
class WorkOrderView:
    work_order: WorkOrder
    steps: list[Routing]
    daily: list[DailyReport]
    daily_count: int
    good: Decimal
    defects: Decimal
    hours: Decimal
    receipts: list[FinishedGoodsReceipt]
    received: Decimal
    customer_orders: list[SalesOrder]
    work_orders: list[WorkOrder]
    orders_count: int
    material: list = field(default_factory=list)


def _order_lines(wo: WorkOrder) -> list[int]:
    """The customer order lines whose daily reports are this work order's output: those of
    its plan lines, else the lines of its customer order for the same item."""
    ids = set(PlanLine.objects.filter(work_order=wo).values_list("order_line_id", flat=True))
    if not ids and wo.sales_order_id:
        ids = set(
            SalesOrderLine.objects.filter(
                order_id=wo.sales_order_id, item_id=wo.item_id
            ).values_list("pk", flat=True)
        )
    return sorted(ids)


def work_order_view(*, wo: WorkOrder) -> WorkOrderView:
    steps = list(
        Routing.objects.filter(item_id=wo.item_id)
        .select_related("process", "work_center")
        .order_by("seq")
    )
    lines = _order_lines(wo)
    reports = DailyReport.objects.filter(Q(work_order=wo) | Q(order_line_id__in=lines))
    totals = reports.aggregate(
        rows=Count("pk"),
        good=Sum("good_quantity"),
        defects=Sum("defect_quantity"),
        hours=Sum("hours"),
    )
    daily = list(
        reports.select_related("work_center", "process", "order_line__order")
        .prefetch_related("defects")
        .order_by("-date", "process__code", "work_center__code", "pk")[:DAILY_ROWS]
    )
    receipts = list(
        FinishedGoodsReceipt.objects.filter(work_order=wo)
        .select_related("warehouse", "created_by", "order_line__order", "reversal")
        .order_by("created_at", "pk")
    )
    received = sum(
        (r.quantity for r in receipts if not hasattr(r, "reversal")), ZERO
    )  # reverse one-to-one: read by select_related, no query
    numbers = set(wo.pegging or ())
    if wo.sales_order_id:
        numbers.add(wo.sales_order.order_no)
    customer_orders = list(
        SalesOrder.objects.filter(order_no__in=numbers)
        .select_related("customer")
        .order_by("order_no")[:ORDERS_SHOWN]
    )
    served_work_orders = list(
        WorkOrder.objects.filter(wo_no__in=numbers - {wo.wo_no})
        .select_related("item")
        .order_by("wo_no")[:ORDERS_SHOWN]
    )
    material = []
    if work_order_material is not None:
        material = work_order_material(work_order=wo)
    return WorkOrderView(
        work_order=wo,
        steps=steps,
        daily=daily,
        daily_count=totals["rows"] or 0,
        good=totals["good"] or ZERO,
        defects=totals["defects"] or ZERO,
        hours=totals["hours"] or ZERO,
        receipts=receipts,
        received=received,
        customer_orders=customer_orders,
        work_orders=served_work_orders,
        orders_count=len(numbers),
        material=material,
    )
