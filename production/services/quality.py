"""Quality records (品管课): in-process checks against a work order and a process, and
nonconformance reports (不合格品报告) - opened by hand, from a check, or by itself when
quality rejects goods on inspection - and their disposition: rework, scrap, use as is, or
return to the supplier. Goods of an NCR that came from an inspection sit in quarantine;
the disposition moves them (scrap: out; use as is: to usable; return: a return to the
supplier), every move a ledger row under the stock locks."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import next_document_number
from materials.models import InspectionLot, Item, LocationKind, MoveKind, Process
from materials.quantities import unit_refusal
from materials.services.inspection import return_to_supplier
from materials.services.stock import StockChange, apply_stock_changes, ensure_locations
from production.models import (
    Disposition,
    InProcessCheck,
    NcrSource,
    NcrStatus,
    Nonconformance,
    WorkOrder,
)

CENT = Decimal("0.01")


def _quantity(value, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("The quantity must be a number.", field=field) from None
    if not quantity.is_finite() or quantity < 0 or (quantity == 0 and not allow_zero):
        raise DomainError("The quantity must be greater than 0.", field=field)
    return quantity


@transaction.atomic
def open_ncr(
    *,
    user,
    source: str,
    item: Item,
    quantity,
    defect_reason: str,
    description: str = "",
    inspection_lot: InspectionLot | None = None,
    work_order: WorkOrder | None = None,
    process: Process | None = None,
    complaint=None,
    supplier=None,
) -> Nonconformance:
    """A nonconformance report; its cost is quantity x the item's standard cost."""
    if source not in NcrSource.values:
        raise DomainError("Say where the nonconformance was found.", field="source")
    quantity = _quantity(quantity, "quantity")
    if refusal := unit_refusal(item, quantity):
        raise DomainError(refusal, field="quantity")
    defect_reason = (defect_reason or "").strip()[:100]
    if not defect_reason:
        raise DomainError("Give the defect reason.", field="defect_reason")
    if complaint is not None and complaint.item_id and complaint.item_id != item.pk:
        raise DomainError("The complaint is about another item.", field="complaint")
    ncr = Nonconformance(
        source=source,
        item=item,
        quantity=quantity,
        defect_reason=defect_reason,
        description=(description or "").strip()[:2000],
        cost=(quantity * item.standard_cost).quantize(CENT, rounding=ROUND_HALF_UP),
        inspection_lot=inspection_lot,
        supplier=supplier or (inspection_lot.supplier if inspection_lot else None),
        work_order=work_order,
        process=process,
        complaint=complaint,
    )
    ncr.number = next_document_number(prefix="NCR")
    ncr.stamp(user)
    ncr.save()
    return ncr


@transaction.atomic
def record_check(
    *,
    user,
    work_order: WorkOrder,
    process: Process,
    inspected,
    defective=0,
    defect_reason: str = "",
    notes: str = "",
    date: dt.date | None = None,
    raise_ncr: bool = False,
) -> InProcessCheck:
    """An in-process check (巡检) of a work order at a process; with defects and
    `raise_ncr`, the NCR is opened with it."""
    inspected = _quantity(inspected, "inspected")
    defective = _quantity(defective or 0, "defective", allow_zero=True)
    if defective > inspected:
        raise DomainError("More defective than inspected.", field="defective")
    defect_reason = (defect_reason or "").strip()[:100]
    if defective and not defect_reason:
        raise DomainError("Give the defect reason.", field="defect_reason")
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise DomainError("The check date is in the future.", field="date")
    check = InProcessCheck(
        work_order=work_order,
        process=process,
        date=date,
        inspected=inspected,
        defective=defective,
        defect_reason=defect_reason,
        notes=(notes or "").strip()[:300],
    )
    check.stamp(user)
    check.save()
    if raise_ncr and defective:
        open_ncr(
            user=user,
            source=NcrSource.IN_PROCESS,
            item=work_order.item,
            quantity=defective,
            defect_reason=defect_reason,
            description=check.notes,
            work_order=work_order,
            process=process,
        )
    return check


def ncr_from_rejection(sender, *, lot: InspectionLot, quantity, reason: str, user, **kwargs):
    """Receiver of materials.signals.inspection_rejected: rejected goods get their NCR."""
    open_ncr(
        user=user,
        source=NcrSource.INCOMING if lot.kind == "incoming" else NcrSource.FINAL,
        item=lot.item,
        quantity=quantity,
        defect_reason=reason,
        description=f"{lot.number} {lot.source_number}".strip(),
        inspection_lot=lot,
    )


@transaction.atomic
def dispose_ncr(*, user, ncr: Nonconformance, disposition: str, note: str = "") -> Nonconformance:
    """Decide what happens to the nonconforming goods, once. Goods from an inspection move
    out of quarantine as the disposition says."""
    ncr = (
        Nonconformance.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item", "inspection_lot__warehouse")
        .get(pk=ncr.pk)
    )
    if ncr.status != NcrStatus.OPEN:
        raise ConflictError(f"{ncr.number} is disposed already ({ncr.get_disposition_display()}).")
    if disposition not in Disposition.values:
        raise DomainError(
            "Choose rework, scrap, use as is or return to supplier.", field="disposition"
        )
    note = (note or "").strip()[:300]
    lot = ncr.inspection_lot
    if disposition == Disposition.RETURN:
        if lot is None or lot.goods_receipt_id is None:
            raise DomainError(
                "Only purchased goods rejected on incoming inspection go back to a supplier.",
                field="disposition",
            )
        return_to_supplier(
            user=user, lot=lot, quantity=ncr.quantity, reason=f"{ncr.number} {note}".strip()
        )
    elif lot is not None and disposition in (Disposition.SCRAP, Disposition.USE_AS_IS):
        locations = ensure_locations(warehouse=lot.warehouse)
        changes = [StockChange(ncr.item_id, locations[LocationKind.QUARANTINE].pk, -ncr.quantity)]
        if disposition == Disposition.USE_AS_IS:
            changes.append(
                StockChange(ncr.item_id, locations[LocationKind.USABLE].pk, ncr.quantity, None)
            )
        apply_stock_changes(
            changes=changes,
            kind=MoveKind.ADJUSTMENT,
            user=user,
            document_type="ncr",
            document_id=ncr.pk,
            document_number=ncr.number,
            reason=f"{Disposition(disposition).label}: {ncr.defect_reason}"[:200],
        )
    ncr.disposition = disposition
    ncr.disposition_note = note
    ncr.status = NcrStatus.CLOSED
    ncr.disposed_at = timezone.now()
    ncr.disposed_by = user if getattr(user, "is_authenticated", False) else None
    ncr.stamp(user)
    ncr.save()
    return ncr
