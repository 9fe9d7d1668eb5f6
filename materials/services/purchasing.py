"""Purchasing: purchase requisitions (物料申购单) for a shortfall, purchase orders from them
or direct, and goods receipts (入库) into a warehouse, partial receipts allowed, each one
writing the stock ledger.

Locks, always in this order: requisitions, requisition lines, purchase order, purchase order
line, document number, stock balances. After a receipt commits, `stock_received` tells the
apps above (orders refreshes its material status); materials never imports them.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import (
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
)
from materials.quantities import unit_refusal

log = logging.getLogger(__name__)
LARGEST = Decimal("1e14")  # QuantityField / MoneyField: 20 digits, 6 of them decimals
PLACES = Decimal("0.000001")


def _decimal(value, *, where: str, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{where}: the {what} must be a number.") from None
    if not number.is_finite() or abs(number) >= LARGEST:
        raise DomainError(f"{where}: the {what} must be a number below {fmt(LARGEST)}.")
    if number != number.quantize(PLACES, rounding=ROUND_DOWN):
        raise DomainError(f"{where}: the {what} has more than 6 decimals.")
    return number


def check_quantity(value, *, item: Item, where: str) -> Decimal:
    """A quantity > 0 that the item's unit can count (no more decimals than it has)."""
    quantity = _decimal(value, where=where, what="quantity")
    if quantity <= 0:
        raise DomainError(f"{where}: the quantity must be greater than 0.")
    if refusal := unit_refusal(item, quantity):
        raise DomainError(f"{where}: {refusal}")
    return quantity


def _check_price(value, *, where: str) -> Decimal:
    price = _decimal(value, where=where, what="unit price")
    if price < 0:
        raise DomainError(f"{where}: the unit price cannot be negative.")
    return price


def _check_text(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(f"The {field} is longer than {limit} characters.", field=field)
    return value


# Requisitions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequisitionLineInput:
    item: Item
    quantity: Decimal
    need_date: date
    supplier: Supplier | None = None  # a suggestion for purchasing


@transaction.atomic
def requisition_create(
    *, user, lines: Sequence[RequisitionLineInput], source: str = "", note: str = ""
) -> PurchaseRequisition:
    """A purchase requisition (物料申购单): what to buy, how much, needed by when."""
    if not lines:
        raise DomainError("A requisition needs at least one line.", field="lines")
    source = _check_text(source, field="source", limit=500)
    note = _check_text(note, field="note", limit=300)
    rows = []
    for n, line in enumerate(lines, start=1):
        where = f"Line {n}"
        if line.item is None:
            raise DomainError(f"{where}: choose an item.", field="lines")
        if not line.item.is_active:
            raise DomainError(f"{where}: {line.item.code} is inactive.", field="lines")
        if line.need_date is None:
            raise DomainError(f"{where}: give the date it is needed by.", field="lines")
        quantity = check_quantity(line.quantity, item=line.item, where=where)
        rows.append(
            RequisitionLine(
                item=line.item, quantity=quantity, need_date=line.need_date, supplier=line.supplier
            )
        )
    requisition = PurchaseRequisition(source=source, note=note)
    requisition.number = next_document_number(prefix="PR")
    requisition.stamp(user)
    requisition.save()
    for row in rows:
        row.requisition = requisition
    RequisitionLine.objects.bulk_create(rows)
    return requisition


def _lock_requisition(requisition: PurchaseRequisition) -> PurchaseRequisition:
    return PurchaseRequisition.objects.select_for_update(no_key=True).get(pk=requisition.pk)


@transaction.atomic
def requisition_cancel(*, user, requisition: PurchaseRequisition) -> PurchaseRequisition:
    """Cancel an open requisition none of whose lines is on a purchase order yet."""
    requisition = _lock_requisition(requisition)
    if requisition.status != PurchaseRequisition.Status.OPEN:
        raise ConflictError(
            f"Requisition {requisition.number} is {requisition.get_status_display()}; "
            "only an open requisition can be cancelled."
        )
    ordered = list(
        requisition.lines.filter(purchase_line__isnull=False).select_related(
            "item", "purchase_line__purchase_order"
        )
    )
    if ordered:
        on = ", ".join(f"{r.item.code} on {r.purchase_line.purchase_order.po_no}" for r in ordered)
        raise ConflictError(
            f"Requisition {requisition.number} is partly ordered ({on}); "
            "cancel those purchase orders first."
        )
    requisition.status = PurchaseRequisition.Status.CANCELLED
    requisition.stamp(user)
    requisition.save(update_fields=["status", "updated_at", "updated_by"])
    return requisition


# Purchase orders --------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseLineInput:
    item: Item
    quantity: Decimal
    due_date: date
    unit_price: Decimal = Decimal("0")


@dataclass(frozen=True)
class RequisitionOrderLine:
    """One requisition line put on a purchase order; quantity defaults to the requisition's."""

    requisition_line: int
    unit_price: Decimal
    due_date: date
    quantity: Decimal | None = None


def _create_purchase_order(
    *, user, supplier: Supplier | None, lines: Sequence[PurchaseLineInput], order_date
) -> tuple[PurchaseOrder, list[PurchaseOrderLine]]:
    if supplier is None:
        raise DomainError("Choose the supplier.", field="supplier")
    if not lines:
        raise DomainError("A purchase order needs at least one line.", field="lines")
    order_date = order_date or timezone.localdate()
    rows = []
    for n, line in enumerate(lines, start=1):
        where = f"Line {n}"
        if line.item is None:
            raise DomainError(f"{where}: choose an item.", field="lines")
        if line.due_date is None:
            raise DomainError(f"{where}: give the due date.", field="lines")
        if line.due_date < order_date:
            raise DomainError(
                f"{where}: the due date {line.due_date} is before the order date {order_date}.",
                field="lines",
            )
        rows.append(
            PurchaseOrderLine(
                line=n,
                item=line.item,
                quantity=check_quantity(line.quantity, item=line.item, where=where),
                due_date=line.due_date,
                unit_price=_check_price(line.unit_price, where=where),
            )
        )
    order = PurchaseOrder(supplier=supplier, order_date=order_date)
    order.po_no = next_document_number(prefix="PO", on=order_date)
    order.stamp(user)
    order.save()
    for row in rows:
        row.purchase_order = order
        row.stamp(user)
    return order, PurchaseOrderLine.objects.bulk_create(rows)


@transaction.atomic
def purchase_order_create(
    *, user, supplier: Supplier | None, lines: Sequence[PurchaseLineInput], order_date=None
) -> PurchaseOrder:
    """A purchase order straight to a supplier (po_no PO-YYYY-NNNNNN)."""
    order, _lines = _create_purchase_order(
        user=user, supplier=supplier, lines=lines, order_date=order_date
    )
    return order


@transaction.atomic
def purchase_order_from_requisitions(
    *,
    user,
    supplier: Supplier | None,
    lines: Sequence[RequisitionOrderLine],
    requisition: PurchaseRequisition | None = None,
    order_date=None,
) -> PurchaseOrder:
    """Put requisition lines on one purchase order to `supplier`, each with its price and due
    date (with `requisition`, only lines of that one). A requisition becomes `ordered` when
    all its lines are on purchase orders."""
    if not lines:
        raise DomainError("Choose at least one requisition line.", field="lines")
    ids = [line.requisition_line for line in lines]
    if len(set(ids)) != len(ids):
        raise DomainError("A requisition line is on the purchase order twice.", field="lines")
    if requisition is not None:
        own = set(requisition.lines.values_list("pk", flat=True))
        for n, line_id in enumerate(ids, start=1):
            if line_id not in own:
                raise DomainError(
                    f"Line {n}: requisition {requisition.number} has no line {line_id}.",
                    field="lines",
                )
    requisition_ids = set(
        RequisitionLine.objects.filter(pk__in=ids).values_list("requisition_id", flat=True)
    )
    requisitions = {
        r.pk: r
        for r in PurchaseRequisition.objects.select_for_update(no_key=True)
        .filter(pk__in=requisition_ids)
        .order_by("pk")
    }
    found = {
        r.pk: r
        for r in RequisitionLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item", "purchase_line__purchase_order")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    inputs = []
    for n, wanted in enumerate(lines, start=1):
        row = found.get(wanted.requisition_line)
        if row is None:
            raise DomainError(
                f"Line {n}: there is no requisition line {wanted.requisition_line}.", field="lines"
            )
        requisition = requisitions[row.requisition_id]
        if requisition.status != PurchaseRequisition.Status.OPEN:
            raise ConflictError(
                f"Line {n}: requisition {requisition.number} is {requisition.get_status_display()}."
            )
        if row.purchase_line_id is not None:
            raise ConflictError(
                f"Line {n}: {row.item.code} of requisition {requisition.number} is already on "
                f"purchase order {row.purchase_line.purchase_order.po_no}."
            )
        quantity = row.quantity if wanted.quantity is None else wanted.quantity
        inputs.append(PurchaseLineInput(row.item, quantity, wanted.due_date, wanted.unit_price))
    order, order_lines = _create_purchase_order(
        user=user, supplier=supplier, lines=inputs, order_date=order_date
    )
    linked = []
    for wanted, order_line in zip(lines, order_lines, strict=True):
        row = found[wanted.requisition_line]
        row.purchase_line = order_line
        linked.append(row)
    RequisitionLine.objects.bulk_update(linked, ["purchase_line"])
    _update_requisition_status(user, requisitions.values())
    return order


def _update_requisition_status(user, requisitions) -> None:
    """Ordered when every line is on a purchase order, open again when one is not."""
    requisitions = [r for r in requisitions if r.status != PurchaseRequisition.Status.CANCELLED]
    waiting = set(
        RequisitionLine.objects.filter(
            requisition__in=requisitions, purchase_line__isnull=True
        ).values_list("requisition_id", flat=True)
    )
    changed = []
    for requisition in requisitions:
        status = (
            PurchaseRequisition.Status.OPEN
            if requisition.pk in waiting
            else PurchaseRequisition.Status.ORDERED
        )
        if requisition.status != status:
            requisition.status = status
            requisition.stamp(user)
            changed.append(requisition)
    PurchaseRequisition.objects.bulk_update(changed, ["status", "updated_at", "updated_by"])


def _lock_purchase_order(order: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update(no_key=True).get(pk=order.pk)


def _refuse_unless_open(order: PurchaseOrder, doing: str) -> None:
    if order.status != PurchaseOrder.Status.OPEN:
        raise ConflictError(
            f"Purchase order {order.po_no} is {order.get_status_display()}; {doing}."
        )


@transaction.atomic
def purchase_order_cancel(*, user, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """Cancel an open purchase order nothing was received against; its requisition lines
    wait for another purchase order again."""
    order = _lock_purchase_order(purchase_order)
    _refuse_unless_open(order, "only an open purchase order can be cancelled")
    received = list(order.lines.filter(received_quantity__gt=0).select_related("item"))
    if received:
        got = ", ".join(f"{r.item.code} {fmt(r.received_quantity)} {r.item.uom}" for r in received)
        raise ConflictError(
            f"Purchase order {order.po_no} has receipts ({got}); close it instead of cancelling."
        )
    order.status = PurchaseOrder.Status.CANCELLED
    order.stamp(user)
    order.save(update_fields=["status", "updated_at", "updated_by"])
    rows = list(RequisitionLine.objects.filter(purchase_line__purchase_order=order))
    if rows:
        requisitions = (
            PurchaseRequisition.objects.select_for_update(no_key=True)
            .filter(pk__in={r.requisition_id for r in rows})
            .order_by("pk")
        )
        RequisitionLine.objects.filter(pk__in=[r.pk for r in rows]).update(purchase_line=None)
        _update_requisition_status(user, list(requisitions))
    return order


@transaction.atomic
def purchase_order_close(*, user, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """Close an open purchase order: what is still open will not come (it leaves the
    on-order quantities)."""
    order = _lock_purchase_order(purchase_order)
    _refuse_unless_open(order, "only an open purchase order can be closed")
    order.status = PurchaseOrder.Status.CLOSED
    order.stamp(user)
    order.save(update_fields=["status", "updated_at", "updated_by"])
    return order
