"""Customer orders (客户订单): enter a draft with its lines, edit it while it is a draft,
confirm it, close it; and the shipping states derived from what was shipped. Status moves
only through orders.states.check_move."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from erp.errors import DomainError
from materials.models import Item
from materials.quantities import unit_refusal
from orders.errors import OrderStateError
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine
from orders.numbers import next_order_no
from orders.services.material_status import refresh_material_status
from orders.states import EDITABLE_STATES, check_move

MAX_ORDER_NO = SalesOrder._meta.get_field("order_no").max_length
# States in which shipments move the order between confirmed, partly shipped and shipped.
SHIPPING_STATES = {
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.PARTLY_SHIPPED,
    OrderStatus.SHIPPED,
}


@dataclass
class OrderLineInput:
    """One line as a person enters it. `item` is an Item or its code; `line` names an
    existing line when editing a draft (blank = a new line)."""

    item: Any
    quantity: Any
    unit_price: Any = Decimal(0)
    due_date: date | None = None
    specification: str = ""
    line: int | None = None


def check_quantity_fits(item: Item, quantity: Decimal, *, what: str = "the quantity") -> None:
    """A quantity a person enters must be > 0 and use no more decimals than the item's unit."""
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(f"{what.capitalize()} must be greater than 0.", field="quantity")
    if refusal := unit_refusal(item, quantity):
        raise DomainError(refusal, field="quantity")


def parse_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a number or text, or None when it is not one."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value) if value is not None and value != "" else None
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number is not None and number.is_finite() else None


def _as_input(raw: OrderLineInput | Mapping[str, Any]) -> OrderLineInput:
    if isinstance(raw, OrderLineInput):
        return raw
    known = {f.name for f in fields(OrderLineInput)}
    given = {k: v for k, v in raw.items() if k in known}
    return OrderLineInput(**{"item": None, "quantity": None, **given})


@dataclass
class _CleanLine:
    line: int | None
    item: Item
    quantity: Decimal
    unit_price: Decimal
    due_date: date
    specification: str


def _clean_lines(
    lines: Sequence[OrderLineInput | Mapping[str, Any]], *, order_date: date
) -> list[_CleanLine]:
    """Every line checked at once; all problems reported together, each naming its row."""
    inputs = [_as_input(raw) for raw in lines]
    codes = {i.item for i in inputs if isinstance(i.item, str)}
    items = {item.code: item for item in Item.objects.filter(code__in=codes)}
    errors: list[dict[str, Any]] = []
    clean: list[_CleanLine] = []

    def refuse(row: int, field: str, message: str) -> None:
        errors.append({"row": row, "field": field, "message": f"Line {row}: {message}"})

    for row, entry in enumerate(inputs, start=1):
        before = len(errors)
        item = entry.item if isinstance(entry.item, Item) else items.get(entry.item)
        if item is None:
            refuse(row, "item", f"there is no item {entry.item or '(blank)'}.")
        elif not item.is_active:
            refuse(row, "item", f"item {item.code} is inactive.")
        quantity = parse_decimal(entry.quantity)
        if quantity is None:
            refuse(row, "quantity", "the quantity must be a number.")
        elif quantity <= 0:
            refuse(row, "quantity", "the quantity must be greater than 0.")
        elif item is not None and (refusal := unit_refusal(item, quantity)):
            refuse(row, "quantity", refusal)
        price = parse_decimal(entry.unit_price if entry.unit_price is not None else 0)
        if price is None:
            refuse(row, "unit_price", "the unit price must be a number.")
        elif price < 0:
            refuse(row, "unit_price", "the unit price cannot be negative.")
        if not isinstance(entry.due_date, date):
            refuse(row, "due_date", "a due date is required.")
        elif entry.due_date < order_date:
            refuse(
                row,
                "due_date",
                f"the due date {entry.due_date:%Y-%m-%d} is before the order date "
                f"{order_date:%Y-%m-%d}.",
            )
        if len(errors) == before:
            clean.append(
                _CleanLine(
                    entry.line,
                    item,
                    quantity,
                    price,
                    entry.due_date,
                    (entry.specification or "").strip(),
                )
            )
    if errors:
        raise DomainError(" ".join(e["message"] for e in errors), field="lines", details=errors)
    return clean


def _check_header(*, customer: Customer | None, order_date: Any) -> None:
    if customer is None:
        raise DomainError("Choose the customer.", field="customer")
    if not customer.is_active:
        raise DomainError(f"Customer {customer.code} is inactive.", field="customer")
    if not isinstance(order_date, date):
        raise DomainError("The order date is required.", field="order_date")


def refresh_order_material(order: SalesOrder) -> None:
    """Recompute the order's material status (after its lines or state changed) and read
    it back into `order`. Call it after the last save of the order in the transaction."""
    refresh_material_status(order_ids=[order.pk])
    order.refresh_from_db(fields=["material_status", "material_checked_at"])


@transaction.atomic
def order_create(
    *,
    user: AbstractBaseUser | None,
    customer: Customer,
    order_date: date,
    customer_po: str = "",
    notes: str = "",
    lines: Sequence[OrderLineInput | Mapping[str, Any]] = (),
    order_no: str = "",
) -> SalesOrder:
    """A new draft order with its lines; the number is the next SO-YYYY-NNNNNN of the order
    date's year unless given (orders.numbers)."""
    _check_header(customer=customer, order_date=order_date)
    order_no = (order_no or "").strip()
    if len(order_no) > MAX_ORDER_NO:
        raise DomainError(
            f"An order number has at most {MAX_ORDER_NO} characters.", field="order_no"
        )
    if order_no and SalesOrder.objects.filter(order_no=order_no).exists():
        raise DomainError(f"Order {order_no} already exists.", field="order_no")
    clean = _clean_lines(lines, order_date=order_date)
    order = SalesOrder(
        order_no=order_no or next_order_no(on=order_date),
        customer=customer,
        order_date=order_date,
        customer_po=(customer_po or "").strip(),
        notes=notes or "",
        status=OrderStatus.DRAFT,
    )
    order.stamp(user)
    order.save()
    _write_lines(order, clean, user=user)
    refresh_order_material(order)
    return order


@transaction.atomic
def order_update(
    *,
    order: SalesOrder,
    user: AbstractBaseUser | None,
    lines: Sequence[OrderLineInput | Mapping[str, Any]] | None = None,
    **header: Any,
) -> SalesOrder:
    """Change a draft: its customer, order date, customer's PO, notes and (when `lines` is
    given) its lines: a line naming an existing `line` is updated, one without is added,
    an existing line left out is removed. A confirmed order changes by change notice only."""
    order = lock_order(order)
    if order.status not in EDITABLE_STATES:
        raise OrderStateError(
            f"Order {order.order_no} is {order.get_status_display()}; only a draft can be "
            "edited. Record an order change notice instead."
        )
    allowed = {"customer", "order_date", "customer_po", "notes"}
    unknown = set(header) - allowed
    if unknown:
        raise DomainError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for name, value in header.items():
        setattr(order, name, value.strip() if name == "customer_po" else value)
    _check_header(customer=order.customer, order_date=order.order_date)
    if lines is not None:
        clean = _clean_lines(lines, order_date=order.order_date)
        known = {ol.line for ol in order.lines.all()}
        for n, cl in enumerate(clean, start=1):
            if cl.line is not None and cl.line not in known:
                raise DomainError(
                    f"Line {n}: order {order.order_no} has no line {cl.line}.", field="lines"
                )
        kept = {cl.line for cl in clean if cl.line is not None}
        order.lines.exclude(line__in=kept).delete()
        _write_lines(order, clean, user=user)
    else:
        early = order.lines.filter(due_date__lt=order.order_date).order_by("line").first()
        if early is not None:
            raise DomainError(
                f"Line {early.line} is due {early.due_date:%Y-%m-%d}, before the order date "
                f"{order.order_date:%Y-%m-%d}.",
                field="order_date",
            )
    order.stamp(user)
    order.save()
    refresh_order_material(order)
    return order


def _write_lines(
    order: SalesOrder, clean: list[_CleanLine], *, user: AbstractBaseUser | None
) -> None:
    existing = {ol.line: ol for ol in order.lines.all()}
    next_no = max([0, *existing, *(cl.line or 0 for cl in clean)]) + 1
    for cl in clean:
        if cl.line is not None:
            ol = existing[cl.line]
        else:
            ol = SalesOrderLine(order=order, line=next_no)
            next_no += 1
        ol.item = cl.item
        ol.quantity = cl.quantity
        ol.unit_price = cl.unit_price
        ol.due_date = cl.due_date
        ol.specification = cl.specification
        ol.stamp(user)
        ol.save()


def lock_order(order: SalesOrder) -> SalesOrder:
    """The order row, locked for this transaction and read fresh. Locks are taken in this
    order everywhere: the order, then its lines (primary-key order)."""
    return (
        SalesOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer")
        .get(pk=order.pk)
    )


@transaction.atomic
def order_confirm(*, order: SalesOrder, user: AbstractBaseUser | None) -> SalesOrder:
    """Draft -> confirmed. Refused without lines or with a line due before the order date.
    The credit check (CONTRACT.md section 8, orders.receivables.credit) may stop it: the
    order is then returned awaiting credit approval (status credit_hold), not confirmed;
    confirming a held order again leaves it waiting."""
    from orders.receivables.credit import credit_check, hold_for_credit

    order = lock_order(order)
    check_move(order=order, target=OrderStatus.CONFIRMED)
    if order.status in (OrderStatus.CONFIRMED, OrderStatus.CREDIT_HOLD):
        return order
    lines = list(order.lines.order_by("line"))
    if not lines:
        raise OrderStateError(f"Order {order.order_no} has no lines; add one before confirming.")
    early = [ol for ol in lines if ol.due_date < order.order_date]
    if early:
        raise OrderStateError(
            f"Order {order.order_no} cannot be confirmed: "
            + "; ".join(
                f"line {ol.line} is due {ol.due_date:%Y-%m-%d}, before the order date "
                f"{order.order_date:%Y-%m-%d}"
                for ol in early
            )
            + "."
        )
    figures = credit_check(order)
    if figures.held:
        return hold_for_credit(order=order, figures=figures, user=user)
    return mark_confirmed(order=order, user=user)


def mark_confirmed(*, order: SalesOrder, user: AbstractBaseUser | None) -> SalesOrder:
    """The confirmation itself, on a locked order whose checks passed (or whose credit was
    approved): status, who and when, the material status."""
    check_move(order=order, target=OrderStatus.CONFIRMED)
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = timezone.now()
    order.confirmed_by = user if getattr(user, "is_authenticated", False) else None
    order.stamp(user)
    order.save()
    refresh_order_material(order)
    return order


@transaction.atomic
def order_close(*, order: SalesOrder, user: AbstractBaseUser | None) -> SalesOrder:
    """Nothing more will happen to the order: its open lines are closed as they stand
    (shipped quantities stay), so planning no longer counts them."""
    order = lock_order(order)
    check_move(order=order, target=OrderStatus.CLOSED)
    if order.status == OrderStatus.CLOSED:
        return order
    order.status = OrderStatus.CLOSED
    order.stamp(user)
    order.save()
    for ol in order.lines.filter(status=LineStatus.OPEN):
        ol.status = LineStatus.CLOSED
        ol.stamp(user)
        ol.save(update_fields=["status", "updated_at", "updated_by"])
    refresh_order_material(order)
    return order


def sync_order_status(*, order: SalesOrder, user: AbstractBaseUser | None = None) -> SalesOrder:
    """Derive partly shipped / shipped from the lines' shipped quantities. Call it in the
    same transaction after every shipment (and after a change of quantities)."""
    if order.status not in SHIPPING_STATES:
        return order
    lines = [
        ol
        for ol in SalesOrderLine.objects.filter(order_id=order.pk)
        if ol.status != LineStatus.CANCELLED
    ]
    shipped_any = any(ol.shipped_quantity > 0 for ol in lines)
    if not shipped_any:
        return order
    all_done = all(
        ol.status == LineStatus.CLOSED or ol.shipped_quantity >= ol.quantity for ol in lines
    )
    target = OrderStatus.SHIPPED if all_done else OrderStatus.PARTLY_SHIPPED
    if target != order.status:
        check_move(order=order, target=target)
        order.status = target
        changed = ["status"]
        if user is not None:
            order.stamp(user)
            changed += ["updated_at", "updated_by"]
        order.save(update_fields=changed)
    return order
