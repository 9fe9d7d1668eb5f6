"""Reads behind the warehouse pages: each order line's material picture (limit, issued,
remaining) for the slip page, slip and delivery lists, order look-up. No writes."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from erp.models import ZERO
from materials.models import Item, LocationKind, StockBalance
from materials.requirements import direct_requirements
from orders.models import (
    LineStatus,
    MaterialSlip,
    OrderMaterial,
    SalesOrder,
    SalesOrderLine,
    Shipment,
    SlipKind,
)
from orders.selectors.line_requirements import order_line_requirements
from orders.slip_limits import pick_left, replenish_left

ORDER_SEARCH_LIMIT = 10


@dataclass
class MaterialRow:
    """One item of one order line: its pick limit and what has happened against it."""

    order_line: SalesOrderLine
    item: Item
    requirement: Decimal
    picked: Decimal = ZERO
    returned_surplus: Decimal = ZERO
    returned_defective: Decimal = ZERO
    replenished: Decimal = ZERO
    usable: Decimal = ZERO  # usable stock of the item in the chosen warehouse

    @property
    def key(self) -> str:
        return f"{self.order_line.line}-{self.item.pk}"

    @property
    def held(self) -> Decimal:
        return self.picked + self.replenished - self.returned_surplus - self.returned_defective

    @property
    def pick_remaining(self) -> Decimal:
        return max(pick_left(self, self.requirement), ZERO)

    @property
    def replenish_remaining(self) -> Decimal:
        return max(replenish_left(self), ZERO)

    @property
    def takes_material(self) -> bool:
        """The order line may still be issued to (open, not cancelled or closed)."""
        return self.order_line.status == LineStatus.OPEN


def order_material_rows(*, order: SalesOrder, warehouse_code: str = "MAIN") -> list[MaterialRow]:
    """For every line of `order` and every item of its BOM tree (and any item still issued
    to the line though no longer in the BOM): requirement (CONTRACT.md 3), picked, returned,
    replenished and the usable stock in `warehouse_code`. A fixed number of queries (one
    per BOM level plus five)."""
    lines = list(order.lines.select_related("item").order_by("line"))
    requirements = order_line_requirements(lines)
    counters = {
        (c.order_line_id, c.item_id): c
        for c in OrderMaterial.objects.filter(order_line__order=order)
    }
    item_ids = {i for reqs in requirements.values() for i in reqs} | {i for _l, i in counters}
    items = {i.pk: i for i in Item.objects.filter(pk__in=item_ids)}
    usable = usable_stock(item_ids=item_ids, warehouse_code=warehouse_code)
    rows = []
    for ol in lines:
        ids = set(requirements[ol.pk]) | {i for (line_id, i) in counters if line_id == ol.pk}
        for item_id in sorted(ids, key=lambda i: items[i].code):
            row = MaterialRow(
                order_line=ol,
                item=items[item_id],
                requirement=requirements[ol.pk].get(item_id, ZERO),
                usable=usable.get(item_id, ZERO),
            )
            counter = counters.get((ol.pk, item_id))
            if counter is not None:
                row.picked = counter.picked
                row.returned_surplus = counter.returned_surplus
                row.returned_defective = counter.returned_defective
                row.replenished = counter.replenished
            rows.append(row)
    return rows


def row_is_settled(row, kind: str) -> bool:
    """A row the clerk has nothing left to do with for this kind of slip, hidden on the
    slip page until asked: a pick or replenishment of a line or work order that takes no
    more material (cancelled, closed, finished) or has nothing left under its limit; a
    return of a row that holds nothing."""
    if kind == SlipKind.RETURN:
        return row.held <= ZERO
    if not row.takes_material:
        return True
    left = row.pick_remaining if kind == SlipKind.PICK else row.replenish_remaining
    return left <= ZERO


def kit_quantities(*, rows: Sequence, pieces: Decimal) -> dict[str, Decimal]:
    """{row key: what to pick to kit `pieces` finished pieces}: each row's requirement for
    `pieces` of its order line's item (or of the work order's item, one BOM level), with
    the defect allowances and rounding of the pick limit (CONTRACT.md section 3), capped at
    what the row may still pick. Rows that take no more material get nothing. One BOM load
    (plus a query per BOM level)."""
    open_rows = [r for r in rows if r.takes_material and r.pick_remaining > ZERO]
    if not open_rows:
        return {}
    order_lines = {r.order_line.pk: r.order_line for r in open_rows if r.order_line is not None}
    needs = order_line_requirements(order_lines.values(), quantity=pieces)
    work_orders = {r.work_order.pk: r.work_order for r in open_rows if r.order_line is None}
    wo_needs = direct_requirements([(wo.pk, wo.item_id, pieces) for wo in work_orders.values()])
    kit = {}
    for row in open_rows:
        if row.order_line is not None:
            need = needs.get(row.order_line.pk, {}).get(row.item.pk, ZERO)
        else:
            need = wo_needs.get(row.work_order.pk, {}).get(row.item.pk, ZERO)
        if need > ZERO:
            kit[row.key] = min(need, row.pick_remaining)
    return kit


def pick_all_quantities(*, rows: Sequence) -> dict[str, Decimal]:
    """{row key: everything the row may still pick} for the rows that take material."""
    return {r.key: r.pick_remaining for r in rows if r.takes_material and r.pick_remaining > ZERO}


def order_by_number(*, order_no: str) -> SalesOrder | None:
    return SalesOrder.objects.select_related("customer").filter(order_no=order_no).first()


def order_search(*, text: str, limit: int = ORDER_SEARCH_LIMIT) -> list[SalesOrder]:
    """Orders whose number (or customer code or name) contains `text`, newest first."""
    text = text.replace("\x00", "").strip()
    if not text:
        return []
    return list(
        SalesOrder.objects.select_related("customer")
        .filter(
            Q(order_no__icontains=text)
            | Q(customer__code__icontains=text)
            | Q(customer__name__icontains=text)
        )
        .order_by("-order_date", "order_no")[:limit]
    )


def slip_list(
    *,
    kind: str = "",
    order_no: str = "",
    warehouse_code: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[MaterialSlip]:
    """Slips newest first, with their order or work order, warehouse, author and number of
    lines; `order_no` matches customer order and work order numbers."""
    slips = (
        MaterialSlip.objects.select_related(
            "order__customer", "work_order", "warehouse", "created_by"
        )
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    if kind:
        slips = slips.filter(kind=kind)
    order_no = order_no.replace("\x00", "").strip()
    if order_no:
        slips = slips.filter(
            Q(order__order_no__icontains=order_no) | Q(work_order__wo_no__icontains=order_no)
        )
    if warehouse_code:
        slips = slips.filter(warehouse__code=warehouse_code)
    if date_from:
        slips = slips.filter(created_at__date__gte=date_from)
    if date_to:
        slips = slips.filter(created_at__date__lte=date_to)
    return slips


def slip_detail(*, number: str) -> MaterialSlip | None:
    """A slip with its lines (order line, item) for the printed page."""
    slip = (
        MaterialSlip.objects.select_related(
            "order__customer", "work_order__item", "warehouse", "created_by"
        )
        .filter(number=number)
        .first()
    )
    if slip is not None:
        slip.line_rows = list(
            slip.lines.select_related("order_line__item", "item").order_by("order_line__line", "id")
        )
    return slip


def shipment_list() -> QuerySet[Shipment]:
    return Shipment.objects.select_related(
        "order_line__order__customer", "order_line__item", "warehouse", "created_by"
    ).order_by("-ship_date", "-id")


def delivery(*, delivery_no: str) -> list[Shipment]:
    """The shipments of one delivery (出货单), in line order."""
    return list(
        shipment_list().filter(delivery_no=delivery_no).order_by("order_line__line", "number")
    )


def usable_stock(*, item_ids: Iterable[int], warehouse_code: str) -> dict[int, Decimal]:
    """Usable stock of each of `item_ids` in one warehouse (items without stock left out)."""
    return dict(
        StockBalance.objects.filter(
            item_id__in=item_ids,
            location__kind=LocationKind.USABLE,
            location__warehouse__code=warehouse_code,
        ).values_list("item_id", "quantity")
    )
