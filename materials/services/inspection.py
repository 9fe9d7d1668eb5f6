"""Inspection holds (品管课: 执行检验). A receipt of an item marked "inspect on receipt" puts
the goods on the warehouse's inspection location (not usable, not in MRP's on-hand) with an
inspection lot; quality accepts (to usable), rejects (to quarantine) or accepts part, as
often as needed until nothing is on hold. Rejected purchased goods leave quarantine with a
return to the supplier (退货单). Every move is a ledger row under the stock row locks;
the lot and its decision are written in the same transaction.

Locks: the inspection lot, then the number sequence, then stock (apply_stock_changes)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import (
    GoodsReceipt,
    InspectionDecision,
    InspectionKind,
    InspectionLot,
    InspectionStatus,
    Item,
    LocationKind,
    MoveKind,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    SupplierReturn,
    Warehouse,
)
from materials.quantities import unit_refusal
from materials.services.stock import StockChange, apply_stock_changes, ensure_locations
from materials.signals import inspection_rejected

LOT_PREFIX = {InspectionKind.INCOMING: "IQC", InspectionKind.FINAL: "FQC"}
ZERO = Decimal(0)


class InspectionLimitExceeded(ConflictError):
    """More accepted or rejected than is on hold, or returned than is rejected."""


def receiving_location(*, item: Item, warehouse: Warehouse):
    """Where a receipt of `item` goes: the inspection hold when quality inspects it, else
    usable stock."""
    kind = LocationKind.INSPECTION if item.inspect_on_receipt else LocationKind.USABLE
    return ensure_locations(warehouse=warehouse)[kind]


def open_inspection_lot(
    *,
    user,
    kind: str,
    item: Item,
    warehouse: Warehouse,
    quantity: Decimal,
    goods_receipt: GoodsReceipt | None = None,
    source_type: str = "",
    source_id: int | None = None,
    source_number: str = "",
) -> InspectionLot:
    """The lot of a receipt that went on inspection hold (called in the receipt's
    transaction, after its stock move)."""
    supplier = goods_receipt.purchase_line.purchase_order.supplier if goods_receipt else None
    lot = InspectionLot(
        kind=kind,
        item=item,
        warehouse=warehouse,
        quantity=quantity,
        goods_receipt=goods_receipt,
        supplier=supplier,
        source_type=source_type or ("goods_receipt" if goods_receipt else ""),
        source_id=source_id if source_id is not None else getattr(goods_receipt, "pk", None),
        source_number=source_number or getattr(goods_receipt, "number", ""),
    )
    lot.number = next_document_number(prefix=LOT_PREFIX[kind])
    lot.stamp(user)
    lot.save()
    return lot


def _amount(value, what: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise DomainError(f"The {what} must be a number.", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(f"The {what} cannot be negative.", field=field)
    return amount


def _lock_lot(lot: InspectionLot) -> InspectionLot:
    return (
        InspectionLot.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item", "warehouse")
        .get(pk=lot.pk)
    )


@transaction.atomic
def decide_inspection(
    *,
    user,
    lot: InspectionLot,
    accepted=ZERO,
    rejected=ZERO,
    sample_size=ZERO,
    defective_in_sample=ZERO,
    defect_reason: str = "",
    notes: str = "",
) -> InspectionDecision:
    """Accept and/or reject part or all of what is on hold. Accepted goods move to usable
    stock, rejected ones to quarantine (at the lot's cost)."""
    lot = _lock_lot(lot)
    if lot.status != InspectionStatus.ON_HOLD:
        raise ConflictError(f"Inspection {lot.number} is {lot.get_status_display()} already.")
    accepted = _amount(accepted, "accepted quantity", "accepted")
    rejected = _amount(rejected, "rejected quantity", "rejected")
    sample_size = _amount(sample_size, "sample size", "sample_size")
    defective = _amount(defective_in_sample, "defective quantity in the sample", "defective")
    item = lot.item
    for value, field in ((accepted, "accepted"), (rejected, "rejected")):
        if value and (refusal := unit_refusal(item, value)):
            raise DomainError(refusal, field=field)
    if accepted + rejected == 0:
        raise DomainError("Accept or reject some quantity.", field="accepted")
    if accepted + rejected > lot.on_hold:
        raise InspectionLimitExceeded(
            f"Inspection {lot.number}: {fmt(lot.on_hold)} {item.uom} of {item.code} is on "
            f"hold; {fmt(accepted)} accepted + {fmt(rejected)} rejected is more."
        )
    if defective > sample_size:
        raise DomainError("More defective than sampled.", field="defective")
    defect_reason = (defect_reason or "").strip()[:100]
    if rejected and not defect_reason:
        raise DomainError("Say why goods are rejected (the defect reason).", field="defect_reason")
    locations = ensure_locations(warehouse=lot.warehouse)
    hold = locations[LocationKind.INSPECTION]
    cost = (
        StockBalance.objects.filter(item=item, location=hold)
        .values_list("unit_cost", flat=True)
        .first()
    )
    decision = InspectionDecision(
        lot=lot,
        sample_size=sample_size,
        defective_in_sample=defective,
        accepted=accepted,
        rejected=rejected,
        defect_reason=defect_reason,
        notes=(notes or "").strip()[:300],
    )
    decision.stamp(user)
    decision.save()
    changes = [StockChange(item.pk, hold.pk, -(accepted + rejected))]
    if accepted:
        changes.append(StockChange(item.pk, locations[LocationKind.USABLE].pk, accepted, cost))
    if rejected:
        changes.append(StockChange(item.pk, locations[LocationKind.QUARANTINE].pk, rejected, cost))
    apply_stock_changes(
        changes=changes,
        kind=MoveKind.INSPECTION,
        user=user,
        document_type="inspection",
        document_id=lot.pk,
        document_number=lot.number,
        reason=defect_reason,
    )
    if rejected:  # the apps above record the nonconformance (production: an NCR)
        inspection_rejected.send(
            sender=InspectionLot, lot=lot, quantity=rejected, reason=defect_reason, user=user
        )
    if accepted:  # usable stock came in: the apps above refresh what waits for it
        from functools import partial

        from materials.services.receipts import announce_stock_received

        transaction.on_commit(partial(announce_stock_received, item_ids={item.pk}), robust=True)
    lot.accepted += accepted
    lot.rejected += rejected
    if lot.on_hold == 0:
        lot.status = InspectionStatus.DONE
    lot.stamp(user)
    lot.save(update_fields=["accepted", "rejected", "status", "updated_at", "updated_by"])
    return decision


@transaction.atomic
def cancel_inspection_lot(*, user, lot: InspectionLot) -> InspectionLot:
    """The receipt behind the lot is reversed before quality decided anything: the lot ends
    (the reversal takes the goods off the hold). Called by the reversal."""
    lot = _lock_lot(lot)
    if lot.accepted or lot.rejected:
        raise ConflictError(
            f"Quality has decided on part of inspection {lot.number}: the receipt cannot be "
            "reversed any more."
        )
    lot.status = InspectionStatus.CANCELLED
    lot.stamp(user)
    lot.save(update_fields=["status", "updated_at", "updated_by"])
    return lot


@transaction.atomic
def return_to_supplier(*, user, lot: InspectionLot, quantity, reason: str) -> SupplierReturn:
    """Rejected purchased goods of `lot` back to the supplier (退货单): out of quarantine;
    the purchase order line is open for them again (re-opened if it had closed)."""
    lot = _lock_lot(lot)
    if lot.goods_receipt_id is None:
        raise DomainError("Only purchased goods go back to a supplier.", field="lot")
    quantity = _amount(quantity, "quantity", "quantity")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the goods go back.", field="reason")
    item = lot.item
    if quantity == 0:
        raise DomainError("The quantity must be greater than 0.", field="quantity")
    if refusal := unit_refusal(item, quantity):
        raise DomainError(refusal, field="quantity")
    returned = sum(lot.supplier_returns.values_list("quantity", flat=True), ZERO)
    if quantity > lot.rejected - returned:
        raise InspectionLimitExceeded(
            f"Inspection {lot.number}: {fmt(lot.rejected)} {item.uom} rejected, "
            f"{fmt(returned)} already returned; {fmt(quantity)} is more."
        )
    line = (
        PurchaseOrderLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("purchase_order")
        .get(pk=lot.goods_receipt.purchase_line_id)
    )
    back = SupplierReturn(
        supplier=line.purchase_order.supplier,
        purchase_line=line,
        item=item,
        warehouse=lot.warehouse,
        quantity=quantity,
        lot=lot,
        reason=reason[:200],
    )
    back.number = next_document_number(prefix="RTV")
    back.stamp(user)
    back.save()
    quarantine = ensure_locations(warehouse=lot.warehouse)[LocationKind.QUARANTINE]
    apply_stock_changes(
        changes=[StockChange(item.pk, quarantine.pk, -quantity)],
        kind=MoveKind.SUPPLIER_RETURN,
        user=user,
        document_type="supplier_return",
        document_id=back.pk,
        document_number=back.number,
        reason=reason[:200],
    )
    line.received_quantity -= quantity
    line.stamp(user)
    line.save(update_fields=["received_quantity", "updated_at", "updated_by"])
    order = line.purchase_order
    if order.status == PurchaseOrder.Status.CLOSED:
        order.status = PurchaseOrder.Status.OPEN
        order.stamp(user)
        order.save(update_fields=["status", "updated_at", "updated_by"])
    return back
