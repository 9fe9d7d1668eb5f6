"""Goods receipts (入库): purchased goods into a warehouse against a purchase order line,
partial receipts allowed, each writing the stock ledger. Locks: purchase order, its line,
the document number, then stock balances."""

import logging
from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import (
    GoodsReceipt,
    InspectionKind,
    LocationKind,
    MoveKind,
    PurchaseOrder,
    PurchaseOrderLine,
    Warehouse,
)
from materials.services.inspection import open_inspection_lot, receiving_location
from materials.services.purchasing import _refuse_unless_open, check_quantity
from materials.services.stock import StockChange, apply_stock_changes
from materials.signals import stock_received

log = logging.getLogger(__name__)


class ReceiptLimitExceeded(ConflictError):
    """A receipt of more than the purchase order line still has open."""


@transaction.atomic
def goods_receipt(
    *,
    user,
    purchase_line: PurchaseOrderLine | int,
    quantity: Decimal,
    warehouse_code: str = "MAIN",
    receipt_date: date | None = None,
) -> GoodsReceipt:
    """Receive (入库) `quantity` of a purchase order line into a warehouse's usable stock at
    the line's unit price (on inspection hold when quality inspects the item). Partial receipts are allowed; more than is open is refused. The
    purchase order closes itself when every line is fully received."""
    line_id = purchase_line.pk if isinstance(purchase_line, PurchaseOrderLine) else purchase_line
    order_id = (
        PurchaseOrderLine.objects.filter(pk=line_id)
        .values_list("purchase_order_id", flat=True)
        .first()
    )
    if order_id is None:
        raise DomainError("There is no such purchase order line.", field="line")
    order = PurchaseOrder.objects.select_for_update(no_key=True).get(pk=order_id)
    line = (
        PurchaseOrderLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item")
        .get(pk=line_id)
    )
    item, where = line.item, f"{order.po_no} line {line.line}"
    _refuse_unless_open(order, "nothing more can be received against it")
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")
    quantity = check_quantity(quantity, item=item, where=f"Receipt for {where}")
    today = timezone.localdate()
    receipt_date = receipt_date or today
    if receipt_date > today:
        raise DomainError(
            f"The receipt date {receipt_date} is in the future.", field="receipt_date"
        )
    open_quantity = line.quantity - line.received_quantity
    if quantity > open_quantity:
        raise ReceiptLimitExceeded(
            f"Receipt refused for {item.code} on {where}: {fmt(line.quantity)} {item.uom} "
            f"ordered, {fmt(line.received_quantity)} {item.uom} already received, "
            f"{fmt(open_quantity)} {item.uom} open; {fmt(quantity)} {item.uom} to receive."
        )
    line.received_quantity += quantity
    line.stamp(user)
    line.save(update_fields=["received_quantity", "updated_at", "updated_by"])
    receipt = GoodsReceipt(
        purchase_line=line, warehouse=warehouse, quantity=quantity, receipt_date=receipt_date
    )
    receipt.number = next_document_number(prefix="GR", on=receipt_date)
    receipt.stamp(user)
    receipt.save()
    # An item quality inspects lands on inspection hold (待检) with its inspection lot.
    location = receiving_location(item=item, warehouse=warehouse)
    apply_stock_changes(
        changes=[StockChange(item.pk, location.pk, quantity, line.unit_price)],
        kind=MoveKind.RECEIPT,
        user=user,
        document_type="goods_receipt",
        document_id=receipt.pk,
        document_number=receipt.number,
        reason=where,
    )
    if location.kind == LocationKind.INSPECTION:
        open_inspection_lot(
            user=user,
            kind=InspectionKind.INCOMING,
            item=item,
            warehouse=warehouse,
            quantity=quantity,
            goods_receipt=receipt,
        )
    if not order.lines.filter(received_quantity__lt=F("quantity")).exists():
        order.status = PurchaseOrder.Status.CLOSED
        order.stamp(user)
        order.save(update_fields=["status", "updated_at", "updated_by"])
    transaction.on_commit(partial(announce_stock_received, item_ids={item.pk}), robust=True)
    return receipt


def announce_stock_received(*, item_ids: set[int]) -> None:
    """Tell the apps above that stock came in. Their failure must not fail the (committed)
    receipt: it is logged, and the nightly refresh repairs what they keep."""
    for receiver, error in stock_received.send_robust(sender=GoodsReceipt, item_ids=item_ids):
        if isinstance(error, Exception):
            log.error("stock_received receiver %r failed: %r", receiver, error, exc_info=error)
