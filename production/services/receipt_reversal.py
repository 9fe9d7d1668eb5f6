"""Reversing a finished-goods receipt (成品入库冲销): a receipt booked by mistake (wrong
quantity, booked twice) is taken back out by a reversal document. The ledger is never
edited: the reversal appends a compensating stock move, and the work order's completed
quantity goes down by the same amount. Refused when the goods are no longer in the
warehouse (shipped, issued) or the receipt was reversed already."""

from django.db import transaction

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.errors import InsufficientStock
from materials.models import InspectionLot, InspectionStatus, Location, LocationKind, MoveKind
from materials.services.inspection import cancel_inspection_lot
from materials.services.stock import StockChange, apply_stock_changes
from orders.services.material_status import refresh_material_status
from production.models import FinishedGoodsReceipt, FinishedGoodsReceiptReversal, WorkOrder
from production.services.common import require

REVERSAL_PREFIX = "FGR"
MAX_REASON = FinishedGoodsReceiptReversal._meta.get_field("reason").max_length


class ReceiptAlreadyReversed(ConflictError):
    """The receipt has a reversal already."""


@transaction.atomic
def finished_goods_receipt_reverse(
    *, user, receipt: FinishedGoodsReceipt, reason: str
) -> FinishedGoodsReceiptReversal:
    """Take `receipt` back out of its warehouse's usable stock, all of it."""
    require(
        user,
        "production.add_finishedgoodsreceipt",
        "Only the warehouse may reverse finished-goods receipts.",
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the receipt is reversed.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    receipt = (
        FinishedGoodsReceipt.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item", "warehouse", "order_line")
        .get(pk=receipt.pk)
    )
    done = FinishedGoodsReceiptReversal.objects.filter(receipt=receipt).first()
    if done is not None:
        raise ReceiptAlreadyReversed(
            f"Receipt {receipt.number} was reversed already ({done.number})."
        )
    item = receipt.item
    # Locks in the order a receipt takes them: the work order, then the stock.
    work_order = None
    if receipt.work_order_id:
        work_order = WorkOrder.objects.select_for_update(no_key=True, of=("self",)).get(
            pk=receipt.work_order_id
        )
    reversal = FinishedGoodsReceiptReversal(
        number=next_document_number(prefix=REVERSAL_PREFIX), receipt=receipt, reason=reason
    )
    reversal.stamp(user)
    reversal.save()
    kind = LocationKind.USABLE
    lot = InspectionLot.objects.filter(source_type="finished_receipt", source_id=receipt.pk).first()
    if lot is not None and lot.status != InspectionStatus.CANCELLED:
        # Still on inspection hold: quality must not have decided on any of it yet.
        cancel_inspection_lot(user=user, lot=lot)
        kind = LocationKind.INSPECTION
    location = Location.objects.get_or_create(warehouse=receipt.warehouse, kind=kind)
    try:
        apply_stock_changes(
            changes=[StockChange(item.pk, location[0].pk, -receipt.quantity, None)],
            kind=MoveKind.FINISHED_RECEIPT,
            user=user,
            document_type="finished_receipt_reversal",
            document_id=reversal.pk,
            document_number=reversal.number,
            reason=f"{receipt.number}: {reason}"[:200],
        )
    except InsufficientStock as short:
        raise InsufficientStock(
            f"Reversal of {receipt.number} refused: the {fmt(receipt.quantity)} {item.uom} "
            f"{item.code} are no longer all in {receipt.warehouse.code}. {short.message}"
        ) from None
    order_id = None
    if work_order is not None:
        _uncomplete(work_order, receipt, user)
        order_id = work_order.sales_order_id
    if receipt.order_line_id:
        order_id = receipt.order_line.order_id
    if order_id:
        refresh_material_status(order_ids=[order_id])
    return reversal


def _uncomplete(work_order: WorkOrder, receipt: FinishedGoodsReceipt, user) -> None:
    work_order.completed_quantity -= receipt.quantity
    if work_order.completed_quantity < 0:  # older data: receipts beyond what was counted
        work_order.completed_quantity = 0
    fields = ["completed_quantity", "updated_at", "updated_by"]
    if work_order.status == WorkOrder.Status.COMPLETED:
        work_order.status = WorkOrder.Status.RELEASED
        fields.append("status")
    work_order.stamp(user)
    work_order.save(update_fields=fields)
