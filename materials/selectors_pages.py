"""Reads behind the master-data pages: the items list, an item's exploded BOM, where it is
used, its routing and stock, and the defect-control table. No writes."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES, ZERO
from materials.models import BomLine, Item, LocationKind, Process, Routing, StockBalance

ONE = Decimal("1")
# A BOM where shared sub-assemblies fan out can have very many paths; a page shows this many.
MAX_TREE_ROWS = 2000


def _stock_of(kind: str) -> Coalesce:
    total = (
        StockBalance.objects.filter(item=OuterRef("pk"), location__kind=kind)
        .values("item")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    field = DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)
    return Coalesce(Subquery(total, output_field=field), Value(ZERO), output_field=field)


def item_list(*, search: str = "", kind: str = "") -> QuerySet[Item]:
    """Items whose code or name contains `search`, of `kind` if given, with usable stock."""
    items = Item.objects.annotate(usable_stock=_stock_of(LocationKind.USABLE)).order_by("code")
    search = search.strip()
    if search:
        items = items.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if kind:
        items = items.filter(kind=kind)
    return items


def item_by_code(*, code: str) -> Item:
    return Item.objects.get(code=code)


@dataclass(frozen=True)
class BomRow:
    """One line of the exploded BOM: a path from the top item down to `component`."""

    level: int  # 1 = a direct component of the top item
    component: Item
    quantity_per_parent: Decimal
    process: Process | None
    defect_rate: Decimal
    quantity: Decimal  # for the asked quantity of the top item, allowances included, exact
    has_components: bool
    cycle: bool  # the component is already on the path above: the BOM is broken here


def _lines_below(item: Item) -> dict[int, list[BomLine]]:
    """Every BOM line under `item`, by parent id: one query per BOM level."""
    by_parent: dict[int, list[BomLine]] = {}
    frontier, seen = {item.pk}, set()
    while frontier:
        seen |= frontier
        lines = (
            BomLine.objects.filter(parent_id__in=frontier)
            .select_related("component", "process")
            .order_by("parent_id", "component__code")
        )
        frontier = set()
        for line in lines:
            by_parent.setdefault(line.parent_id, []).append(line)
            if line.component_id not in seen:
                frontier.add(line.component_id)
    return by_parent


def bom_tree(*, item: Item, quantity: Decimal = ONE) -> tuple[list[BomRow], bool]:
    """The multi-level BOM of `item` as rows in tree order, with the quantity each path
    needs for `quantity` units of `item`: quantity x product of (BOM quantity x (1 + defect
    rate of the line's process)), exact (CONTRACT.md 3). Returns (rows, truncated)."""
    by_parent = _lines_below(item)
    rows: list[BomRow] = []
    # Depth-first without recursion: (line, level, factor of the parent, ids on the path).
    stack = [(line, 1, quantity, (item.pk,)) for line in reversed(by_parent.get(item.pk, []))]
    while stack:
        if len(rows) >= MAX_TREE_ROWS:
            return rows, True
        line, level, factor, path = stack.pop()
        rate = line.process.defect_rate if line.process else ZERO
        needed = factor * line.quantity * (ONE + rate)
        cycle = line.component_id in path
        children = [] if cycle else by_parent.get(line.component_id, [])
        rows.append(
            BomRow(
                level=level,
                component=line.component,
                quantity_per_parent=line.quantity,
                process=line.process,
                defect_rate=rate,
                quantity=needed,
                has_components=bool(children),
                cycle=cycle,
            )
        )
        path_below = (*path, line.component_id)
        stack.extend((child, level + 1, needed, path_below) for child in reversed(children))
    return rows, False


def where_used(*, item: Item) -> QuerySet[BomLine]:
    """The BOM lines that consume `item`: its direct parents."""
    return (
        BomLine.objects.filter(component=item)
        .select_related("parent", "process")
        .order_by("parent__code")
    )


def routing_of(*, item: Item) -> QuerySet[Routing]:
    return (
        Routing.objects.filter(item=item).select_related("process", "work_center").order_by("seq")
    )


@dataclass
class WarehouseStock:
    warehouse: str
    warehouse_name: str
    usable: Decimal = ZERO
    quarantine: Decimal = ZERO
    inspection: Decimal = ZERO
    unit_cost: Decimal = ZERO


def stock_by_warehouse(*, item: Item) -> list[WarehouseStock]:
    """Usable, quarantine and on-hold stock of `item` in each warehouse holding a balance."""
    rows: dict[str, WarehouseStock] = {}
    balances = (
        StockBalance.objects.filter(item=item)
        .select_related("location__warehouse")
        .order_by("location__warehouse__code", "location__kind")
    )
    for balance in balances:
        warehouse = balance.location.warehouse
        row = rows.setdefault(warehouse.code, WarehouseStock(warehouse.code, warehouse.name))
        if balance.location.kind == LocationKind.USABLE:
            row.usable += balance.quantity
            row.unit_cost = balance.unit_cost
        elif balance.location.kind == LocationKind.INSPECTION:
            row.inspection += balance.quantity
        else:
            row.quarantine += balance.quantity
    return list(rows.values())


def defect_control_table() -> QuerySet[Process]:
    """Every process with its defect rate and machine (各工序不良控制比例表)."""
    return Process.objects.select_related("work_center").order_by("code")
