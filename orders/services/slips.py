"""Warehouse slips against a customer order: pick (领料单), return (退料单), replenish
(补料单). The limits of CONTRACT.md section 3 are checked here and only here, under row
locks taken in one order (the order, its issue counters, the number sequence, stock)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from erp.errors import DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number
from materials.models import Item, Location, LocationKind, Warehouse
from materials.quantities import unit_refusal
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import (
    OrderStateError,
    PickLimitExceeded,
    ReplenishLimitExceeded,
    ReturnLimitExceeded,
)
from orders.models import (
    LineStatus,
    MaterialSlip,
    MaterialSlipLine,
    OrderMaterial,
    OrderStatus,
    ReturnReason,
    SalesOrder,
    SalesOrderLine,
    SlipKind,
)
from orders.selectors.line_requirements import order_line_requirements
from orders.services.slip_rows import RowRefusals, check_stock, left_details
from orders.slip_limits import pick_left, replenish_left

COUNTER_FIELDS = ["picked", "returned_surplus", "returned_defective", "replenished"]
SLIP_PREFIX = {SlipKind.PICK: "PK", SlipKind.RETURN: "RT", SlipKind.REPLENISH: "RP"}
NO_ISSUE_STATES = {
    OrderStatus.DRAFT,
    OrderStatus.CREDIT_HOLD,
    OrderStatus.CANCELLED,
    OrderStatus.CLOSED,
}


@dataclass(frozen=True)
class SlipLineInput:
    line: int
    item: str
    quantity: Decimal
    reason: str = ""


@transaction.atomic
def issue_slip(
    *,
    kind: str,
    order_no: str,
    lines: Sequence[SlipLineInput],
    user,
    warehouse_code: str = "MAIN",
    note: str = "",
    dry_run: bool = False,
) -> MaterialSlip | None:
    """Write a pick, return or replenish slip whole, or refuse it whole: every failing row
    is named (orders.services.slip_rows) before the refusal. `dry_run` checks only: it
    refuses as the real slip would, or writes nothing and answers None."""
    if kind not in SlipKind.values:
        raise DomainError("Kind must be pick, return or replenish.", field="kind")
    if not lines:
        raise DomainError("A slip needs at least one line.", field="lines")
    # Locks in the house order: the order, its issue counters, the number sequence, stock.
    # Locking the order serialises slips with order changes (a cancel cannot slip between).
    order = (
        SalesOrder.objects.select_for_update(no_key=True, of=("self",))
        .filter(order_no=order_no)
        .first()
    )
    if order is None:
        raise DomainError(f"There is no customer order {order_no}.", field="order_no")
    if kind != SlipKind.RETURN and order.status in NO_ISSUE_STATES:
        raise OrderStateError(
            f"Order {order_no} is {order.get_status_display()}: nothing can be issued against it."
        )
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")

    order_lines = {ol.line: ol for ol in order.lines.select_related("item")}
    items = {i.code: i for i in Item.objects.filter(code__in={ln.item for ln in lines})}
    refusals = RowRefusals()
    wanted, rows_of = _validate_lines(kind, order_no, lines, order_lines, items, refusals)
    requirements = order_line_requirements({ol for (ol, _i, _r) in wanted})
    for key in list(wanted):
        order_line, item, _reason = key
        with refusals.row(rows_of[key], item=item.code, line=order_line.line) as check:
            _check_line(kind, order_no, order_line, item, requirements)
        if check.refused:
            del wanted[key]

    counters = _lock_counters({(ol.pk, item.pk) for (ol, item, _r) in wanted})
    locations = {loc.kind: loc for loc in Location.objects.filter(warehouse=warehouse)}
    changes: list[StockChange] = []
    change_rows = []
    for (order_line, item, reason), qty in list(wanted.items()):
        key = (order_line, item, reason)
        with refusals.row(rows_of[key], item=item.code, line=order_line.line) as check:
            change = apply_slip_line(
                kind=kind,
                counter=counters[(order_line.pk, item.pk)],
                quantity=qty,
                limit=requirements[order_line.pk][item.pk],
                item=item,
                reason=reason,
                where=f"order {order_no} line {order_line.line}",
                holder="the order line",
                locations=locations,
            )
        if check.refused:
            del wanted[key]
        else:
            changes.append(change)
            change_rows.append((rows_of[key], item.code, order_line.line))
    check_stock(
        refusals=refusals,
        changes=changes,
        rows=change_rows,
        items={item.pk: item for (_ol, item, _r) in wanted},
        warehouse_code=warehouse.code,
    )
    refusals.raise_if_any()
    if dry_run:
        transaction.set_rollback(True)
        return None
    OrderMaterial.objects.bulk_update(counters.values(), COUNTER_FIELDS)

    slip = MaterialSlip(kind=kind, order=order, warehouse=warehouse, note=note[:200])
    slip_lines = [
        MaterialSlipLine(order_line=ol, item=item, quantity=qty, reason=reason)
        for (ol, item, reason), qty in wanted.items()
    ]
    return write_slip(slip=slip, lines=slip_lines, changes=changes, user=user)


def write_slip(
    *, slip: MaterialSlip, lines: list[MaterialSlipLine], changes: list[StockChange], user
) -> MaterialSlip:
    """The slip's number (the number sequence is locked after the counters), its lines, then
    the stock ledger (stock rows locked last; refuses a change that would go negative)."""
    slip.number = next_document_number(prefix=SLIP_PREFIX[slip.kind])
    slip.stamp(user)
    slip.save()
    for line in lines:
        line.slip = slip
    MaterialSlipLine.objects.bulk_create(lines)
    apply_stock_changes(
        changes=changes,
        kind=slip.kind,
        user=user,
        document_type="material_slip",
        document_id=slip.pk,
        document_number=slip.number,
    )
    return slip


def _validate_lines(kind, order_no, lines, order_lines, items, refusals: RowRefusals):
    """Every line refers to a real order line and item, with a quantity the item's unit
    allows; quantities of the same (line, item, reason) are added up. A bad line is
    refused in `refusals` and left out."""
    wanted: dict[tuple[SalesOrderLine, Item, str], Decimal] = defaultdict(Decimal)
    rows_of: dict[tuple[SalesOrderLine, Item, str], list[int]] = defaultdict(list)
    for n, entry in enumerate(lines, start=1):
        with refusals.row([n], item=str(entry.item), line=_line_number(entry.line)) as check:
            order_line = order_lines.get(entry.line)
            if order_line is None:
                raise DomainError(
                    f"Line {n}: order {order_no} has no line {entry.line}.", field="lines"
                )
            item, qty, reason = clean_slip_line(n, kind, entry, items)
        if not check.refused:
            wanted[(order_line, item, reason)] += qty
            rows_of[(order_line, item, reason)].append(n)
    return wanted, rows_of


def _line_number(value) -> int | None:
    return value if isinstance(value, int) else None


def _check_line(kind, order_no, order_line, item, requirements) -> None:
    """The order line still takes material (returns excepted) and the item is in its BOM."""
    if kind != SlipKind.RETURN and order_line.status != LineStatus.OPEN:
        raise OrderStateError(
            f"Order {order_no} line {order_line.line} is {order_line.get_status_display()}: "
            "nothing can be issued against it; only returns."
        )
    if item.pk not in requirements[order_line.pk]:
        raise DomainError(
            f"{item.code} is not in the bill of materials of {order_line.item.code} "
            f"(order {order_no} line {order_line.line}).",
            field="lines",
        )


def clean_slip_line(n: int, kind: str, entry, items: dict[str, Item]) -> tuple[Item, Decimal, str]:
    """Line `n` of a slip: a real item, a quantity its unit allows, a reason on returns only."""
    item = items.get(entry.item)
    if item is None:
        raise DomainError(f"Line {n}: there is no item {entry.item}.", field="lines")
    try:
        qty = Decimal(entry.quantity)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"Line {n}: the quantity must be a number.", field="lines") from None
    if not qty.is_finite() or qty <= 0:
        raise DomainError(f"Line {n}: the quantity must be greater than 0.", field="lines")
    if refusal := unit_refusal(item, qty):
        raise DomainError(f"Line {n}: {refusal}", field="lines")
    reason = entry.reason or ""
    if kind == SlipKind.RETURN:
        if reason not in ReturnReason.values:
            raise DomainError(
                f"Line {n}: a return needs the reason defective or surplus.", field="lines"
            )
    elif reason:
        raise DomainError(f"Line {n}: only a return has a reason.", field="lines")
    return item, qty, reason


def apply_slip_line(
    *, kind, counter, quantity, limit, item, reason, where, holder, locations
) -> StockChange:
    """Check one (holder, item) line of a slip against its locked counters (CONTRACT.md
    section 3), count it and return its stock change. `counter` is an `OrderMaterial` or a
    `WorkOrderMaterial`; `where` and `holder` name it in the refusal."""
    usable = locations[LocationKind.USABLE].pk
    if kind == SlipKind.PICK:
        _check_pick(counter, quantity, limit, item, where)
        counter.picked += quantity
        return StockChange(item.pk, usable, -quantity)
    if kind == SlipKind.REPLENISH:
        _check_replenish(counter, quantity, item, where)
        counter.replenished += quantity
        return StockChange(item.pk, usable, -quantity)
    _check_return(counter, quantity, item, where, holder)
    if reason == ReturnReason.DEFECTIVE:
        counter.returned_defective += quantity
        return StockChange(item.pk, locations[LocationKind.QUARANTINE].pk, quantity)
    counter.returned_surplus += quantity
    return StockChange(item.pk, usable, quantity)


def _lock_counters(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], OrderMaterial]:
    OrderMaterial.objects.bulk_create(
        [OrderMaterial(order_line_id=ol, item_id=i) for ol, i in sorted(pairs)],
        ignore_conflicts=True,
    )
    rows = (
        OrderMaterial.objects.select_for_update(no_key=True)
        .filter(order_line_id__in={ol for ol, _ in pairs}, item_id__in={i for _, i in pairs})
        .order_by("pk")
    )
    return {(r.order_line_id, r.item_id): r for r in rows}


def _check_pick(counter, qty: Decimal, limit: Decimal, item: Item, where: str):
    issued = counter.picked - counter.returned_surplus
    left = pick_left(counter, limit)
    if qty > left:
        raise PickLimitExceeded(
            f"Pick refused for {item.code} on {where}: the limit is {fmt(limit)} {item.uom} "
            f"(requirement with allowance), {fmt(issued)} {item.uom} already picked "
            f"(net of surplus returns), {fmt(max(left, Decimal(0)))} {item.uom} left; "
            f"{fmt(qty)} {item.uom} asked.",
            details=left_details(left),
        )


def _check_replenish(counter, qty: Decimal, item: Item, where: str):
    left = replenish_left(counter)
    if qty > left:
        raise ReplenishLimitExceeded(
            f"Replenish refused for {item.code} on {where}: only defective returns may be "
            f"replenished; {fmt(counter.returned_defective)} {item.uom} returned defective, "
            f"{fmt(counter.replenished)} {item.uom} already replenished, {fmt(left)} {item.uom} "
            f"left; {fmt(qty)} {item.uom} asked.",
            details=left_details(left),
        )


def _check_return(counter, qty: Decimal, item: Item, where: str, holder: str):
    held = counter.held
    if qty > held:
        raise ReturnLimitExceeded(
            f"Return refused for {item.code} on {where}: {holder} holds {fmt(held)} "
            f"{item.uom} (picked {fmt(counter.picked)} + replenished {fmt(counter.replenished)} "
            f"- returned {fmt(counter.returned_surplus + counter.returned_defective)}); "
            f"{fmt(qty)} {item.uom} asked.",
            details=left_details(held),
        )
