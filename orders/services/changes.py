"""Order change notices (订单变更通知单): cancellation, due-date, quantity and specification
changes. Each is a numbered document with its reason, who and when, applied to the order in
the same transaction. Nothing already picked, produced or shipped disappears: a quantity
below what is shipped is refused; a line with shipments is closed at the shipped quantity
instead of cancelled; material already picked opens the returns that must follow."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse

from erp.errors import DomainError
from erp.numbers import plain as fmt
from erp.roles import Role
from erp.services import next_document_number, notify
from orders.errors import OrderStateError
from orders.models import (
    ChangeKind,
    LineStatus,
    OrderChange,
    OrderStatus,
    SalesOrder,
    SalesOrderLine,
)
from orders.selectors.orders import ReturnDue, returns_due
from orders.services.orders import (
    check_quantity_fits,
    lock_order,
    parse_decimal,
    refresh_order_material,
    sync_order_status,
)
from orders.signals import order_changed
from orders.states import check_move

CHANGE_PREFIX = "CN"
FINAL_STATES = {OrderStatus.CLOSED, OrderStatus.CANCELLED}
MAX_MESSAGE = 500


@transaction.atomic
def change_apply(
    *,
    user: AbstractBaseUser | None,
    order: SalesOrder,
    kind: str,
    reason: str,
    order_line: SalesOrderLine | int | None = None,
    new_due_date: dt.date | None = None,
    new_quantity: Decimal | str | None = None,
    new_specification: str = "",
) -> OrderChange:
    """Record the change notice and apply it; then the order needs re-planning, its
    material status is refreshed and the people concerned are told."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the change.", field="reason")
    if kind not in ChangeKind.values:
        raise DomainError(
            "The change must be cancel, due_date, quantity or specification.", field="kind"
        )
    order = lock_order(order)
    if order.status in FINAL_STATES:
        raise OrderStateError(
            f"Order {order.order_no} is {order.get_status_display()}; it cannot be changed."
        )
    line = _lock_line(order, order_line) if order_line is not None else None
    if line is None and kind != ChangeKind.CANCEL:
        raise DomainError("Choose the order line to change.", field="order_line")
    if line is not None and line.status != LineStatus.OPEN:
        raise OrderStateError(
            f"Line {line.line} of order {order.order_no} is {line.get_status_display()}; "
            "it cannot be changed."
        )

    change = OrderChange(order=order, order_line=line, kind=kind, reason=reason)
    if kind == ChangeKind.DUE_DATE:
        _change_due_date(change, order, line, new_due_date, user)
    elif kind == ChangeKind.QUANTITY:
        _change_quantity(change, line, new_quantity, user)
    elif kind == ChangeKind.SPECIFICATION:
        _change_specification(change, line, new_specification, user)
    elif line is not None:
        change.before = _cancel_line(line, user)
        change.outcome = _cancel_words([line])
    else:
        change.before = {"status": order.status, "lines": {}}
        lines = list(
            SalesOrderLine.objects.select_for_update(no_key=True, of=("self",))
            .select_related("item")
            .filter(order=order, status=LineStatus.OPEN)
            .order_by("pk")
        )
        for ol in lines:
            change.before["lines"][str(ol.line)] = _cancel_line(ol, user)
        change.outcome = _cancel_words(lines)

    touched = [line] if line is not None else list(order.lines.select_related("item"))
    dues = returns_due(lines=touched) if kind in (ChangeKind.CANCEL, ChangeKind.QUANTITY) else []
    if dues:
        change.outcome = " ".join(filter(None, [change.outcome, _returns_words(dues)]))

    _settle_order_status(order, whole_order=line is None, user=user)
    order.replan_needed = True
    order.stamp(user)
    order.save()

    change.number = next_document_number(prefix=CHANGE_PREFIX)
    change.stamp(user)
    change.save()
    refresh_order_material(order)
    _notify(change, order, dues, user)
    order_changed.send(sender=OrderChange, change=change)
    return change


def _lock_line(order: SalesOrder, order_line: SalesOrderLine | int) -> SalesOrderLine:
    number = order_line.line if isinstance(order_line, SalesOrderLine) else order_line
    if isinstance(order_line, SalesOrderLine) and order_line.order_id != order.pk:
        raise DomainError(
            f"That line belongs to another order, not {order.order_no}.", field="order_line"
        )
    line = (
        SalesOrderLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item")
        .filter(order=order, line=number)
        .first()
    )
    if line is None:
        raise DomainError(f"Order {order.order_no} has no line {number}.", field="order_line")
    return line


def _save_line(line: SalesOrderLine, user: AbstractBaseUser | None, *fields: str) -> None:
    line.stamp(user)
    line.save(update_fields=[*fields, "updated_at", "updated_by"])


def _change_due_date(
    change: OrderChange,
    order: SalesOrder,
    line: SalesOrderLine,
    new_due_date: dt.date | None,
    user: AbstractBaseUser | None,
) -> None:
    if not isinstance(new_due_date, dt.date):
        raise DomainError("Give the new due date.", field="new_due_date")
    if new_due_date < order.order_date:
        raise DomainError(
            f"The new due date {new_due_date:%Y-%m-%d} is before the order date "
            f"{order.order_date:%Y-%m-%d}.",
            field="new_due_date",
        )
    if new_due_date == line.due_date:
        raise DomainError(
            f"Line {line.line} is already due {new_due_date:%Y-%m-%d}.", field="new_due_date"
        )
    change.before = {"due_date": line.due_date.isoformat()}
    change.new_due_date = new_due_date
    line.due_date = new_due_date
    _save_line(line, user, "due_date")


def _change_quantity(
    change: OrderChange,
    line: SalesOrderLine,
    new_quantity: Decimal | str | None,
    user: AbstractBaseUser | None,
) -> None:
    quantity = parse_decimal(new_quantity)
    if quantity is None:
        raise DomainError("Give the new quantity as a number.", field="new_quantity")
    item = line.item
    try:
        check_quantity_fits(item, quantity, what="the new quantity")
    except DomainError as refused:
        raise DomainError(refused.message, field="new_quantity") from None
    if quantity < line.shipped_quantity:
        shipped = fmt(line.shipped_quantity)
        raise DomainError(
            f"Line {line.line}: {shipped} {item.uom} already shipped; "
            f"the quantity cannot go below {shipped}.",
            field="new_quantity",
        )
    if quantity == line.quantity:
        raise DomainError(
            f"Line {line.line} is already {fmt(quantity)} {item.uom}.", field="new_quantity"
        )
    change.before = {"quantity": fmt(line.quantity), "shipped_quantity": fmt(line.shipped_quantity)}
    change.new_quantity = quantity
    line.quantity = quantity
    _save_line(line, user, "quantity")


def _change_specification(
    change: OrderChange, line: SalesOrderLine, new_specification: str, user: AbstractBaseUser | None
) -> None:
    text = (new_specification or "").strip()
    if text == line.specification.strip():
        raise DomainError(
            f"Line {line.line} already has this specification.", field="new_specification"
        )
    change.before = {"specification": line.specification}
    change.new_specification = text
    line.specification = text
    _save_line(line, user, "specification")


def _cancel_line(line: SalesOrderLine, user: AbstractBaseUser | None) -> dict[str, Any]:
    """Cancel the line; one with shipments is closed at the shipped quantity instead."""
    before = {
        "status": line.status,
        "quantity": fmt(line.quantity),
        "shipped_quantity": fmt(line.shipped_quantity),
    }
    if line.shipped_quantity > 0:
        line.status = LineStatus.CLOSED
        line.quantity = line.shipped_quantity
        _save_line(line, user, "status", "quantity")
    else:
        line.status = LineStatus.CANCELLED
        _save_line(line, user, "status")
    return before


def _cancel_words(lines: list[SalesOrderLine]) -> str:
    closed = [ol for ol in lines if ol.status == LineStatus.CLOSED]
    return " ".join(
        f"Line {ol.line} had {fmt(ol.shipped_quantity)} {ol.item.uom} shipped: it is closed at "
        f"{fmt(ol.shipped_quantity)} {ol.item.uom} instead of cancelled."
        for ol in closed
    )


def _returns_words(dues: list[ReturnDue]) -> str:
    listed = ", ".join(
        f"{d.item.code} {fmt(d.quantity)} {d.item.uom} (line {d.order_line.line})" for d in dues
    )
    return f"Material to return to the warehouse: {listed}."


def _settle_order_status(
    order: SalesOrder, *, whole_order: bool, user: AbstractBaseUser | None
) -> None:
    """After a change: a whole-order cancellation cancels the order (or closes it when
    something was shipped); when every line is cancelled the order is too; otherwise the
    shipped quantities decide (a quantity change may make an order shipped or not)."""
    lines = list(SalesOrderLine.objects.filter(order=order))
    if whole_order:
        shipped = any(ol.shipped_quantity > 0 for ol in lines)
        target = OrderStatus.CLOSED if shipped else OrderStatus.CANCELLED
    elif lines and all(ol.status == LineStatus.CANCELLED for ol in lines):
        target = OrderStatus.CANCELLED
    else:
        sync_order_status(order=order, user=user)
        return
    check_move(order=order, target=target)
    order.status = target


def change_summary(change: OrderChange) -> str:
    """One line saying what the notice changed, for notifications."""
    line = change.order_line
    unit = line.item.uom if line is not None else ""
    where = f"line {line.line}" if line is not None else "the whole order"
    before = change.before or {}
    if change.kind == ChangeKind.DUE_DATE:
        return f"{where} due date {before.get('due_date')} -> {change.new_due_date:%Y-%m-%d}"
    if change.kind == ChangeKind.QUANTITY:
        return f"{where} quantity {before.get('quantity')} -> {fmt(change.new_quantity)} {unit}"
    if change.kind == ChangeKind.SPECIFICATION:
        return f"{where} specification changed"
    return f"{where} cancelled"


def _notify(
    change: OrderChange, order: SalesOrder, dues: list[ReturnDue], user: AbstractBaseUser | None
) -> None:
    """The customer's salesperson, production and the warehouse; the warehouse also reads
    what it must take back. The person who applied the change is not told."""
    users = get_user_model().objects.filter(is_active=True)
    production = set(users.filter(groups__name=Role.PRODUCTION.value))
    warehouse = set(users.filter(groups__name=Role.WAREHOUSE.value))
    salesperson = order.customer.salesperson
    others = production - warehouse
    if salesperson is not None and salesperson.is_active and salesperson not in warehouse:
        others.add(salesperson)
    actor_pk = getattr(user, "pk", None)
    others = {u for u in others if u.pk != actor_pk}
    warehouse = {u for u in warehouse if u.pk != actor_pk}
    text = (
        f"Order change {change.number} on order {order.order_no} "
        f"({order.customer.code}): {change_summary(change)}. Reason: {change.reason}"
    )
    if change.outcome:
        text += f" {change.outcome}"
    url = reverse("orders:order-detail", args=[order.order_no])
    by_pk = lambda people: sorted(people, key=lambda u: u.pk)  # noqa: E731
    notify(users=by_pk(others), message=text[:MAX_MESSAGE], url=url)
    if dues:
        # The returns come first for the warehouse so a long reason cannot cut them off.
        returns = (
            f"Returns due for order {order.order_no} after change {change.number}: "
            f"{_returns_words(dues)} "
        )
        notify(users=by_pk(warehouse), message=(returns + text)[:MAX_MESSAGE], url=url)
    else:
        notify(users=by_pk(warehouse), message=text[:MAX_MESSAGE], url=url)
