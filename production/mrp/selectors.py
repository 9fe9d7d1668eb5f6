"""Reads of MRP results: the latest succeeded run is what pages and reports show.

Planned orders read through `planned_orders()` carry `pegging`: every customer order and
work order they serve, through every BOM level, resolved from the pegging graph with one
query per level whatever the number of rows."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, Q, QuerySet, Sum
from django.db.models.query import ModelIterable
from django.utils import timezone

from materials.models import (
    GoodsReceipt,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    StockMove,
    Supplier,
)
from orders.models import OrderChange, SalesOrder, SalesOrderLine
from production.models import MrpRun, PlannedOrder, WorkOrder

CHUNK = 2000
WHOLE_RUN = 200_000  # above this many planned orders to look up, read the whole run at once
RUNNING_FOR_AT_MOST = dt.timedelta(hours=2)  # longer than the task's time limit


def latest_run() -> MrpRun | None:
    return (
        MrpRun.objects.filter(status=MrpRun.Status.SUCCEEDED).order_by("-started_at", "-id").first()
    )


def run_in_progress() -> MrpRun | None:
    """The run being computed now, if any (a run older than the time limit died)."""
    since = timezone.now() - RUNNING_FOR_AT_MOST
    return (
        MrpRun.objects.filter(status=MrpRun.Status.RUNNING, started_at__gte=since)
        .order_by("-started_at")
        .first()
    )


def last_failed_since(run: MrpRun | None) -> MrpRun | None:
    """A failed run after `run` (the results shown): the page says so."""
    runs = MrpRun.objects.filter(status=MrpRun.Status.FAILED)
    if run is not None:
        runs = runs.filter(started_at__gt=run.started_at)
    return runs.order_by("-started_at").first()


def results_stale(run: MrpRun | None) -> bool:
    """Did orders, purchases, work orders or stock change after the run started? One query
    of a few EXISTS, each stopping at the first row found."""
    if run is None:
        return False
    since = run.started_at
    changed = (
        MrpRun.objects.filter(pk=run.pk)
        .annotate(
            order_change=Exists(OrderChange.objects.filter(created_at__gt=since)),
            order=Exists(SalesOrder.objects.filter(updated_at__gt=since)),
            order_line=Exists(SalesOrderLine.objects.filter(updated_at__gt=since)),
            purchase_line=Exists(PurchaseOrderLine.objects.filter(updated_at__gt=since)),
            receipt=Exists(GoodsReceipt.objects.filter(created_at__gt=since)),
            stock_move=Exists(StockMove.objects.filter(created_at__gt=since)),
            work_order=Exists(WorkOrder.objects.filter(updated_at__gt=since)),
        )
        .values_list(
            "order_change",
            "order",
            "order_line",
            "purchase_line",
            "receipt",
            "stock_move",
            "work_order",
        )
        .first()
    )
    return bool(changed and any(changed))


class PeggedIterable(ModelIterable):
    """Model rows with `pegging` resolved, a chunk of rows at a time; what one chunk read of
    the graph serves the next ones."""

    def __iter__(self) -> Iterator[PlannedOrder]:
        resolver = PeggingResolver()
        chunk: list[PlannedOrder] = []
        for row in super().__iter__():
            chunk.append(row)
            if len(chunk) >= CHUNK:
                resolver.attach(chunk)
                yield from chunk
                chunk = []
        if chunk:
            resolver.attach(chunk)
            yield from chunk


def planned_orders(*, run: MrpRun | None = None) -> QuerySet[PlannedOrder]:
    run = run or latest_run()
    if run is None:
        return PlannedOrder.objects.none()
    queryset = (
        PlannedOrder.objects.filter(run=run)
        .select_related("item")
        .order_by("release_date", "item__code", "due_date")
    )
    return with_pegging(queryset)


def with_pegging(queryset: QuerySet[PlannedOrder]) -> QuerySet[PlannedOrder]:
    """The same rows, each with `pegging` (sorted order numbers) when it is read."""
    queryset = queryset.all()
    queryset._iterable_class = PeggedIterable
    return queryset


def attach_pegging(rows: Iterable[PlannedOrder]) -> None:
    """Set `pegging` on each row: the orders it covers directly and those of every planned
    order it serves, up the levels. One query per level above the rows."""
    PeggingResolver().attach(rows)


class PeggingResolver:
    """The pegging graph read so far (planned order -> the orders it covers directly, as a
    bit set, and the planned orders it supplies) and the order sets resolved from it. Bit
    sets: a deep component's planned order serves thousands of orders."""

    def __init__(self) -> None:
        self.graph: dict[int, tuple[int, list[int]]] = {}
        self.resolved: dict[int, int] = {}
        self.names: list[str] = []
        self.bits: dict[str, int] = {}
        self.whole_runs: set[int] = set()

    def attach(self, rows: Iterable[PlannedOrder]) -> None:
        rows = list(rows)
        for r in rows:
            self.graph[r.pk] = (self._mask(r.direct_pegging), r.pegged_to)
        self._read({p for r in rows for p in r.pegged_to}, {r.run_id for r in rows})
        for row in rows:
            row.pegging = self._names(self._orders_of(row.pk))

    def _mask(self, names) -> int:
        mask = 0
        for name in names or ():
            bit = self.bits.get(name)
            if bit is None:
                bit = self.bits[name] = len(self.names)
                self.names.append(name)
            mask |= 1 << bit
        return mask

    def _names(self, mask: int) -> list[str]:
        digits = bin(mask)[:1:-1]  # lowest bit first
        found, at = [], digits.find("1")
        while at >= 0:
            found.append(self.names[at])
            at = digits.find("1", at + 1)
        return sorted(found)

    def _read(self, wanted: set[int], runs: set[int]) -> None:
        """One query per level up; most of a run at once: the whole run, once."""
        wanted -= self.graph.keys()
        while wanted:
            if len(wanted) > WHOLE_RUN:
                found = _graph_rows(runs=runs - self.whole_runs)
                self.whole_runs |= runs
            else:
                found = _graph_rows(runs=runs, ids=wanted)
            for pk, direct, parents in found:
                if pk not in self.graph:
                    self.graph[pk] = (self._mask(direct), parents or [])
            for pk in wanted - self.graph.keys():  # an old run's results, removed meanwhile
                self.graph[pk] = (0, [])
            wanted = {p for pk in wanted for p in self.graph[pk][1]} - self.graph.keys()

    def _orders_of(self, pk: int) -> int:
        done = self.resolved.get(pk)
        if done is not None:
            return done
        mask, parents = self.graph[pk]
        for parent in parents:
            mask |= self._orders_of(parent)
        self.resolved[pk] = mask
        return mask


GRAPH_SQL = """
SELECT id,
       CASE WHEN direct_pegging = '[]'::jsonb THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(direct_pegging)) END,
       translate(pegged_to::text, '[]', '{}')::bigint[]
FROM production_plannedorder
WHERE run_id = ANY(%(runs)s) AND (%(all)s OR id = ANY(%(ids)s))
"""


def _graph_rows(*, runs: set[int], ids: set[int] | None = None) -> Iterable[tuple]:
    """(id, direct orders, planned orders supplied) of planned orders: as arrays straight
    from PostgreSQL, which is many times faster than decoding JSON row by row."""
    if not runs:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                GRAPH_SQL, {"runs": list(runs), "all": ids is None, "ids": list(ids or ())}
            )
            return cursor.fetchall()
    rows = PlannedOrder.objects.filter(run_id__in=runs)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.values_list("pk", "direct_pegging", "pegged_to")


# The pages' reads ---------------------------------------------------------------------------

NO_SUPPLIER = "none"


def shortfalls(
    *, run: MrpRun, supplier: str = "", late_only: bool = False, search: str = ""
) -> QuerySet[PlannedOrder]:
    """Planned purchases of `run`, grouped by suggested supplier (none last), late first,
    then by order-by date. `supplier`: a supplier code, or NO_SUPPLIER."""
    rows = PlannedOrder.objects.filter(run=run, kind=PlannedOrder.Kind.PURCHASE)
    if supplier == NO_SUPPLIER:
        rows = rows.filter(supplier__isnull=True)
    elif supplier:
        rows = rows.filter(supplier__code=supplier)
    if late_only:
        rows = rows.filter(late=True)
    if search:
        rows = rows.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    return rows.select_related("item", "supplier").order_by(
        F("supplier__code").asc(nulls_last=True), "-late", "release_date", "item__code", "pk"
    )


def shortfall_suppliers(*, run: MrpRun) -> list[dict]:
    """Per suggested supplier: how many planned purchases, how many late; late first. Read
    once per run object (the shortfall page pages by it and lists it)."""
    known = getattr(run, "_shortfall_suppliers", None)
    if known is not None:
        return known
    counts = supplier_counts(run=run)
    names = {
        pk: (code, name)
        for pk, code, name in Supplier.objects.filter(
            pk__in=[r["supplier_id"] for r in counts if r["supplier_id"]]
        ).values_list("pk", "code", "name")
    }
    rows = [
        {
            "supplier_id": r["supplier_id"],
            "supplier__code": names.get(r["supplier_id"], (None, None))[0],
            "supplier__name": names.get(r["supplier_id"], (None, None))[1],
            "lines": r["lines"],
            "late": r["late"],
        }
        for r in counts
    ]
    run._shortfall_suppliers = sorted(
        rows, key=lambda r: (-r["late"], r["supplier__code"] is None, r["supplier__code"] or "")
    )
    return run._shortfall_suppliers


def supplier_counts(*, run: MrpRun) -> list[dict]:
    """Planned purchases and late ones per suggested supplier id: as the run counted them
    while writing, else counted now (by id: joining the suppliers to every planned purchase
    took most of the time)."""
    if run.shortfall_suppliers is not None:
        return [
            {"supplier_id": supplier, "lines": lines, "late": late}
            for supplier, lines, late in run.shortfall_suppliers
        ]
    return list(
        PlannedOrder.objects.filter(run=run, kind=PlannedOrder.Kind.PURCHASE)
        .values("supplier_id")
        .annotate(lines=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .order_by()
    )


def planned_production(
    *, run: MrpRun, late_only: bool = False, search: str = ""
) -> QuerySet[PlannedOrder]:
    """Planned production orders of `run` by item and date."""
    rows = PlannedOrder.objects.filter(run=run, kind=PlannedOrder.Kind.PRODUCTION)
    if late_only:
        rows = rows.filter(late=True)
    if search:
        rows = rows.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    return rows.select_related("item").order_by("item__code", "due_date", "pk")


def released_work_orders(*, planned_order_ids: Iterable[int]) -> dict[int, str]:
    """The work orders these planned orders were released as: planned order id -> wo_no."""
    return dict(
        WorkOrder.objects.filter(mrp_planned_order__in=set(planned_order_ids)).values_list(
            "mrp_planned_order", "wo_no"
        )
    )


def open_requisition_quantities(*, item_ids: Iterable[int]) -> dict[int, Decimal]:
    """What open purchase requisitions already ask for, not yet on a purchase order."""
    return dict(
        RequisitionLine.objects.filter(
            item_id__in=set(item_ids),
            purchase_line__isnull=True,
            requisition__status=PurchaseRequisition.Status.OPEN,
        )
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )


@dataclass(frozen=True)
class Pegging:
    """Who a planned order is for: customer orders, work orders, and the planned orders
    (one level up) whose dependent demand it covers."""

    order: PlannedOrder
    customer_orders: list[SalesOrder]
    work_orders: list[WorkOrder]
    served: list[PlannedOrder]


def planned_order_pegging(*, pk: int) -> Pegging:
    """Raises PlannedOrder.DoesNotExist."""
    order = PlannedOrder.objects.select_related("item", "run", "supplier").get(pk=pk)
    attach_pegging([order])
    numbers = order.pegging
    customer_orders = list(
        SalesOrder.objects.filter(order_no__in=numbers)
        .select_related("customer")
        .order_by("order_no")
    )
    work_orders = list(
        WorkOrder.objects.filter(wo_no__in=numbers)
        .select_related("item", "sales_order")
        .order_by("wo_no")
    )
    served = list(
        PlannedOrder.objects.filter(run_id=order.run_id, pk__in=order.pegged_to)
        .select_related("item")
        .order_by("item__code", "due_date")
    )
    return Pegging(order, customer_orders, work_orders, served)


def customer_orders_of(*, numbers: Iterable[str]) -> list[str]:
    """Which of these order numbers are customer orders (pegging also names work orders)."""
    return list(
        SalesOrder.objects.filter(order_no__in=set(numbers))
        .order_by("order_no")
        .values_list("order_no", flat=True)
    )
