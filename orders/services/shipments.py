"""Shipments (出货) against customer order lines: finished goods leave usable stock, each
line records the unit cost it left at (the profit of CONTRACT.md section 5 is fixed then),
and the order's shipped quantities and status follow, all in one transaction.

Locks, in this order: the order, its lines (primary-key order), the delivery-number
sequence, the stock balances (materials.services.stock)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import Location, LocationKind, Warehouse
from materials.quantities import unit_refusal
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import OrderStateError
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine, Shipment
from orders.services.material_status import refresh_material_status
from orders.services.orders import sync_order_status
from orders.signals import delivery_shipped

DELIVERY_PREFIX = "DN"
NO_SHIPPING_STATES = {
    OrderStatus.DRAFT,
    OrderStatus.CREDIT_HOLD,
    OrderStatus.CANCELLED,
    OrderStatus.CLOSED,
}
ZERO = Decimal("0")


class ShipmentLimitExceeded(ConflictError):
    """More than the order line's open quantity (ordered - shipped)."""


@transaction.atomic
def ship(
    *,
    user,
    order_no: str,
    lines: Sequence[tuple[int, Decimal]],
    warehouse_code: str = "MAIN",
    ship_date: dt.date | None = None,
) -> list[Shipment]:
    """Ship `lines` [(order line number, quantity), ...] of order `order_no` from the
    usable stock of `warehouse_code`: one delivery (出货单, number DN-...) with one
    Shipment per line, or nothing at all with the reason."""
    wanted = _wanted(lines)
    order = SalesOrder.objects.select_for_update(no_key=True).filter(order_no=order_no).first()
    if order is None:
        raise DomainError(f"There is no customer order {order_no}.", field="order_no")
    if order.status in NO_SHIPPING_STATES:
        raise OrderStateError(
            f"Order {order_no} is {order.get_status_display()}: nothing can be shipped against it."
        )
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")
    usable = Location.objects.get_or_create(warehouse=warehouse, kind=LocationKind.USABLE)[0]

    order_lines = {
        ol.line: ol
        for ol in SalesOrderLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item")
        .filter(order=order, line__in=wanted)
        .order_by("pk")
    }
    for number, quantity in wanted.items():
        order_line = order_lines.get(number)
        if order_line is None:
            raise DomainError(f"Order {order_no} has no line {number}.", field="lines")
        _check_line(order_line, quantity, order_no)

    ship_date = ship_date or timezone.localdate()
    delivery_no = next_document_number(prefix=DELIVERY_PREFIX)
    moves = apply_stock_changes(
        changes=[
            StockChange(order_lines[n].item_id, usable.pk, -quantity)
            for n, quantity in wanted.items()
        ],
        kind="shipment",
        user=user,
        document_type="delivery",
        document_number=delivery_no,
    )
    shipments = []
    for position, ((number, quantity), move) in enumerate(
        zip(wanted.items(), moves, strict=True), start=1
    ):
        order_line = order_lines[number]
        shipment = Shipment(
            number=f"{delivery_no}-{position}",
            delivery_no=delivery_no,
            warehouse=warehouse,
            order_line=order_line,
            ship_date=ship_date,
            quantity=quantity,
            # What the goods cost in this warehouse as they left; the standard cost when
            # the stock has no cost of its own.
            unit_cost=move.unit_cost if move.unit_cost > 0 else order_line.item.standard_cost,
        )
        shipment.stamp(user)
        shipments.append(shipment)
        order_line.shipped_quantity += quantity
        order_line.stamp(user)
    Shipment.objects.bulk_create(shipments)
    SalesOrderLine.objects.bulk_update(
        order_lines.values(), ["shipped_quantity", "updated_at", "updated_by"]
    )
    sync_order_status(order=order, user=user)
    refresh_material_status(order_ids=[order.pk])
    delivery_shipped.send(sender=Shipment, order=order, delivery_no=delivery_no, user=user)
    return shipments


def _wanted(lines: Sequence[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Order line number -> quantity, the same line given twice added up."""
    if not lines:
        raise DomainError("A delivery needs at least one line.", field="lines")
    wanted: dict[int, Decimal] = {}
    for n, (number, quantity) in enumerate(lines, start=1):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise DomainError(f"Line {n}: the order line must be a number from 1.", field="lines")
        try:
            quantity = Decimal(quantity)
        except (InvalidOperation, TypeError, ValueError):
            raise DomainError(f"Line {n}: the quantity must be a number.", field="lines") from None
        if not quantity.is_finite() or quantity <= 0:
            raise DomainError(f"Line {n}: the quantity must be greater than 0.", field="lines")
        wanted[number] = wanted.get(number, ZERO) + quantity
    return wanted


def _check_line(order_line: SalesOrderLine, quantity: Decimal, order_no: str) -> None:
    item = order_line.item
    where = f"order {order_no} line {order_line.line}"
    if order_line.status != LineStatus.OPEN:
        raise OrderStateError(
            f"Shipment refused for {where}: the line is {order_line.get_status_display()}."
        )
    if refusal := unit_refusal(item, quantity):
        raise DomainError(f"{where}: {refusal}", field="lines")
    open_quantity = order_line.open_quantity
    if quantity > open_quantity:
        raise ShipmentLimitExceeded(
            f"Shipment refused for {item.code} on {where}: {fmt(order_line.quantity)} {item.uom} "
            f"ordered, {fmt(order_line.shipped_quantity)} {item.uom} already shipped, "
            f"{fmt(max(open_quantity, ZERO))} {item.uom} open; {fmt(quantity)} {item.uom} asked."
        )
