"""Reads behind the warehouse pages: each order line's material picture (limit, issued,
remaining) for the slip page, slip and delivery lists, order look-up. No writes."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from erp.models import ZERO
from materials.models import Item, LocationKind, StockBalance
from orders.models import (
    MaterialSlip,
    OrderMaterial,
    SalesOrder,
    SalesOrderLine,
    Shipment,
)
from orders.selectors.line_requirements import order_line_requirements

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
        return max(self.requirement - (self.picked - self.returned_surplus), ZERO)

    @property
    def replenish_remaining(self) -> Decimal:
        return max(self.returned_defective - self.replenished, ZERO)


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
