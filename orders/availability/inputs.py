"""What section 3b is computed from, read in a fixed number of set-based queries, and a
fingerprint of it: a reader compares it with the stored one to know whether the stored
availability is still true (no event hook can be forgotten: every input is in it)."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Sum

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import (
    BomLine,
    Item,
    LocationKind,
    Process,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockMove,
)
from materials.requirements import load_bom
from orders.availability.engine import Demand, Pool, Structure
from orders.models import LineStatus, OrderMaterial, SalesOrder, SalesOrderLine
from orders.states import ASKING_STATES, OPEN_STATES

ONE = Decimal(1)
OPEN_QUANTITY = ExpressionWrapper(
    F("quantity") - F("shipped_quantity"),
    output_field=DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES),
)
ORDERED_QUANTITY = ExpressionWrapper(
    F("quantity") - F("received_quantity"),
    output_field=DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES),
)


def taking_lines():
    """Open lines with something left to ship, of confirmed (taking) or draft (asking)
    orders."""
    return SalesOrderLine.objects.filter(
        status=LineStatus.OPEN,
        order__status__in=[*OPEN_STATES, *ASKING_STATES],
        shipped_quantity__lt=F("quantity"),
    )


def inputs_fingerprint() -> str:
    """Every input of section 3b, summed up: order lines and their orders' states, the
    stock ledger (every stock and counter change writes a ledger row), purchase-order lines,
    the BOM, the defect rates and the items' decimals."""
    lines = SalesOrderLine.objects.aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        quantity=Sum("quantity"),
        shipped=Sum("shipped_quantity"),
        open=Count("pk", filter=Q(status=LineStatus.OPEN)),
    )
    orders = SalesOrder.objects.aggregate(
        changed=Max("updated_at"),
        taking=Count("pk", filter=Q(status__in=OPEN_STATES)),
        drafts=Count("pk", filter=Q(status__in=ASKING_STATES)),
    )
    ledger = StockMove.objects.aggregate(last=Max("pk"))
    purchases = PurchaseOrderLine.objects.aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        quantity=Sum("quantity"),
        received=Sum("received_quantity"),
        open=Count("pk", filter=Q(purchase_order__status=PurchaseOrder.Status.OPEN)),
    )
    bom = BomLine.objects.aggregate(n=Count("pk"), changed=Max("updated_at"), q=Sum("quantity"))
    processes = Process.objects.aggregate(changed=Max("updated_at"), rate=Sum("defect_rate"))
    items = Item.objects.aggregate(n=Count("pk"), decimals=Sum("decimals"))
    parts = [lines, orders, ledger, purchases, bom, processes, items]
    return "|".join(",".join(str(v) for v in part.values()) for part in parts)[:400]


def load_structure(top_item_ids: Iterable[int]) -> Structure:
    """The BOM below these items, every level (materials.requirements.load_bom: one query
    per level), and the decimals of every item in it."""
    edges = load_bom(top_item_ids)
    bom = {parent: [(e.component_id, e.factor) for e in found] for parent, found in edges.items()}
    decimals = dict(
        Item.objects.filter(pk__in=edges.keys()).order_by().values_list("pk", "decimals")
    )
    return Structure({k: v for k, v in bom.items() if v}, decimals)


def load_pool(item_ids: set[int] | None = None) -> Pool:
    """Usable stock of every item (all warehouses, quarantine excluded) and open purchase
    quantities; bought items only take the latter (the engine asks for them only there)."""
    stock = StockBalance.objects.filter(location__kind=LocationKind.USABLE, quantity__gt=0)
    ordered = PurchaseOrderLine.objects.filter(
        purchase_order__status=PurchaseOrder.Status.OPEN, received_quantity__lt=F("quantity")
    )
    if item_ids is not None:
        stock, ordered = stock.filter(item_id__in=item_ids), ordered.filter(item_id__in=item_ids)
    usable = dict(
        stock.order_by().values("item_id").annotate(t=Sum("quantity")).values_list("item_id", "t")
    )
    on_order = dict(
        ordered.order_by()
        .values("item_id")
        .annotate(t=Sum(ORDERED_QUANTITY))
        .values_list("item_id", "t")
    )
    return Pool(usable, on_order)


def load_demands() -> tuple[list[Demand], list[Demand]]:
    """Confirmed lines in priority order (due date, order number, line), then draft lines by
    order; each with what it already holds of each item (section 3 counters)."""
    held: dict[int, dict[int, Decimal]] = defaultdict(dict)
    counters = (
        OrderMaterial.objects.filter(
            order_line__status=LineStatus.OPEN,
            order_line__order__status__in=[*OPEN_STATES, *ASKING_STATES],
        )
        .annotate(
            holds=F("picked") + F("replenished") - F("returned_surplus") - F("returned_defective")
        )
        .values_list("order_line_id", "item_id", "holds")
    )
    for line_id, item_id, holds in counters.iterator(chunk_size=20000):
        if holds:
            held[line_id][item_id] = holds
    rows = (
        taking_lines()
        .annotate(open_quantity=OPEN_QUANTITY)
        .order_by("due_date", "order__order_no", "line")
        .values_list("pk", "order_id", "item_id", "open_quantity", "order__status")
    )
    confirmed, drafts = [], []
    for line_id, order_id, item_id, open_quantity, status in rows.iterator(chunk_size=20000):
        demand = Demand(line_id, order_id, item_id, open_quantity, held.get(line_id, {}))
        (drafts if status in ASKING_STATES else confirmed).append(demand)
    drafts.sort(key=lambda d: d.order_id)
    return confirmed, drafts
