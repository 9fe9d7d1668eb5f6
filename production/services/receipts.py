"""Finished goods into the warehouse (成品入库), against a work order or a customer order
line: stock in at the item's standard cost, the work order's completed quantity kept in
the same transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import InspectionKind, LocationKind, Warehouse
from materials.quantities import unit_refusal
from materials.services.inspection import open_inspection_lot, receiving_location
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import OrderStateError
from orders.models import LineStatus, OrderStatus, SalesOrderLine
from orders.services.material_status import refresh_material_status
from production.models import FinishedGoodsReceipt, WorkOrder

RECEIPT_PREFIX = "FG"
CLOSED_ORDER_STATES = {
    OrderStatus.DRAFT,
    OrderStatus.CREDIT_HOLD,
    OrderStatus.CANCELLED,
    OrderStatus.CLOSED,
}


class ReceiptExceedsWorkOrder(ConflictError):
    """More finished goods than the work order still has open."""


class ReceiptExceedsOrderLine(ConflictError):
    """More finished goods than the order line still has open (no work order named)."""


@transaction.atomic
def finished_goods_receipt(
    *,
    user,
    quantity: Decimal,
    warehouse_code: str = "MAIN",
    work_order: WorkOrder | None = None,
    order_line: SalesOrderLine | None = None,
) -> FinishedGoodsReceipt:
    """Receive `quantity` finished goods into the usable stock of `warehouse_code`.

    Against a work order (a finished item's or a semi's): at most its open quantity
    (quantity - completed); the work order is completed when all of it is in. Against an
    order line alone: at most the line's open quantity (quantity - the larger of what was
    received against it and what was shipped). Given both, they must be for the same item.
    Reversed receipts do not count."""
    if work_order is None and order_line is None:
        raise DomainError("Say which work order or order line the goods are for.")
    quantity = _quantity(quantity)
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")

    if work_order is not None:
        work_order = (
            WorkOrder.objects.select_for_update(no_key=True, of=("self",))
            .select_related("item")
            .get(pk=work_order.pk)
        )
        item = work_order.item
    if order_line is not None:
        order_line = (
            SalesOrderLine.objects.select_for_update(no_key=True, of=("self",))
            .select_related("item", "order")
            .get(pk=order_line.pk)
        )
        _check_order_line(order_line)
        if work_order is not None and order_line.item_id != work_order.item_id:
            raise DomainError(
                f"Work order {work_order.wo_no} makes {work_order.item.code}, but order "
                f"{order_line.order.order_no} line {order_line.line} is for {order_line.item.code}."
            )
        item = order_line.item
    if refusal := unit_refusal(item, quantity):
        raise DomainError(refusal, field="quantity")
    if work_order is not None:
        _complete(work_order, quantity, user)
    else:
        _check_line_open_quantity(order_line, quantity)

    receipt = FinishedGoodsReceipt(
        number=next_document_number(prefix=RECEIPT_PREFIX),
        item=item,
        work_order=work_order,
        order_line=order_line,
        warehouse=warehouse,
        quantity=quantity,
    )
    receipt.stamp(user)
    receipt.save()
    # An item quality inspects waits on inspection hold (final inspection, 成品检验).
    location = receiving_location(item=item, warehouse=warehouse)
    apply_stock_changes(
        changes=[StockChange(item.pk, location.pk, quantity, item.standard_cost)],
        kind="finished_receipt",
        user=user,
        document_type="finished_receipt",
        document_id=receipt.pk,
        document_number=receipt.number,
    )
    if location.kind == LocationKind.INSPECTION:
        open_inspection_lot(
            user=user,
            kind=InspectionKind.FINAL,
            item=item,
            warehouse=warehouse,
            quantity=quantity,
            source_type="finished_receipt",
            source_id=receipt.pk,
            source_number=receipt.number,
        )
    order_id = order_line.order_id if order_line else work_order.sales_order_id
    if order_id:
        refresh_material_status(order_ids=[order_id])
    return receipt


def _quantity(value) -> Decimal:
    try:
        quantity = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("The quantity must be a number.", field="quantity") from None
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError("The quantity must be greater than 0.", field="quantity")
    return quantity


def _check_order_line(order_line: SalesOrderLine) -> None:
    where = f"order {order_line.order.order_no} line {order_line.line}"
    if order_line.order.status in CLOSED_ORDER_STATES:
        raise OrderStateError(
            f"Receipt refused: order {order_line.order.order_no} is "
            f"{order_line.order.get_status_display()}."
        )
    if order_line.status != LineStatus.OPEN:
        raise OrderStateError(f"Receipt refused: {where} is {order_line.get_status_display()}.")


def _complete(work_order: WorkOrder, quantity: Decimal, user) -> None:
    item = work_order.item
    if work_order.status in (WorkOrder.Status.COMPLETED, WorkOrder.Status.CANCELLED):
        raise ConflictError(
            f"Receipt refused: work order {work_order.wo_no} is {work_order.get_status_display()}."
        )
    open_quantity = work_order.open_quantity
    if quantity > open_quantity:
        raise ReceiptExceedsWorkOrder(
            f"Receipt refused for work order {work_order.wo_no} ({item.code}): "
            f"{fmt(work_order.quantity)} {item.uom} to make, {fmt(work_order.completed_quantity)} "
            f"{item.uom} already received, {fmt(open_quantity)} {item.uom} open; "
            f"{fmt(quantity)} {item.uom} asked."
        )
    work_order.completed_quantity += quantity
    fields = ["completed_quantity", "updated_at", "updated_by"]
    if work_order.completed_quantity == work_order.quantity:
        work_order.status = WorkOrder.Status.COMPLETED
        fields.append("status")
    work_order.stamp(user)
    work_order.save(update_fields=fields)


def line_received(order_line: SalesOrderLine) -> Decimal:
    """What was received against the order line, reversed receipts left out."""
    total = FinishedGoodsReceipt.objects.filter(
        order_line=order_line, reversal__isnull=True
    ).aggregate(total=Sum("quantity"))["total"]
    return total or Decimal(0)


def _check_line_open_quantity(order_line: SalesOrderLine, quantity: Decimal) -> None:
    item = order_line.item
    received = line_received(order_line)
    done = max(received, order_line.shipped_quantity)
    open_quantity = max(order_line.quantity - done, Decimal(0))
    if quantity > open_quantity:
        raise ReceiptExceedsOrderLine(
            f"Receipt refused for order {order_line.order.order_no} line {order_line.line} "
            f"({item.code}): {fmt(order_line.quantity)} {item.uom} ordered, "
            f"{fmt(received)} {item.uom} already received, {fmt(order_line.shipped_quantity)} "
            f"{item.uom} shipped, {fmt(open_quantity)} {item.uom} open; "
            f"{fmt(quantity)} {item.uom} asked. Receive against a work order to make more."
        )
