"""Reads of customer orders and their change notices: the follow-up list with its
highlights, one order with everything that happened to it, the returns an order owes the
warehouse. No writes."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Item
from orders.models import (
    LineStatus,
    MaterialSlipLine,
    MaterialStatus,
    OrderChange,
    OrderMaterial,
    OrderStatus,
    SalesOrder,
    SalesOrderLine,
    Shipment,
)
from orders.selectors.line_requirements import order_line_requirements

AT_RISK_DAYS = 7
# "Active": everything a salesperson still follows up, drafts included.
ACTIVE_STATES = (
    OrderStatus.DRAFT,
    OrderStatus.CREDIT_HOLD,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.PARTLY_SHIPPED,
)
ZERO = Decimal(0)

# A line still owed to the customer: open and not fully shipped.
_OWED = Q(lines__status=LineStatus.OPEN) & Q(lines__shipped_quantity__lt=F("lines__quantity"))


def order_list(
    *,
    salesperson_id: int | None = None,
    status: str = "",
    customer: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[SalesOrder]:
    """Orders with what the follow-up list shows, in a fixed number of queries:
    line_count, amount, next_due (earliest owed line), overdue_lines (owed lines due before
    today), at_risk_lines (owed lines due within 7 days while material is not covered).

    `status` is a state, "active" (draft to partly shipped) or "" (all); `customer` a code
    or part of the name; due_from/due_to keep orders with a line due in that range."""
    today = today or timezone.localdate()
    # Correlated subqueries, not a join with GROUP BY: the database sorts on next_due and
    # computes the other figures for the page's rows only (a salesperson may own 50,000
    # lines; the join aggregated all of them for every page).
    lines = SalesOrderLine.objects.filter(order=OuterRef("pk")).order_by()
    kept = lines.exclude(status=LineStatus.CANCELLED)
    owed = lines.filter(status=LineStatus.OPEN, shipped_quantity__lt=F("quantity"))
    money = DecimalField(max_digits=QUANTITY_DIGITS * 2, decimal_places=QUANTITY_PLACES)

    def figure(queryset, expression, field=None):
        return Subquery(
            queryset.values("order").annotate(v=expression).values("v")[:1],
            output_field=field or IntegerField(),
        )

    soon = today + dt.timedelta(days=AT_RISK_DAYS)
    orders = SalesOrder.objects.select_related("customer", "customer__salesperson").annotate(
        line_count=Coalesce(figure(kept, Count("pk")), 0),
        amount=figure(kept, Sum(ExpressionWrapper(F("quantity") * F("unit_price"), money)), money),
        next_due=figure(owed, Min("due_date"), DateField()),
        overdue_lines=Coalesce(figure(owed.filter(due_date__lt=today), Count("pk")), 0),
        at_risk_lines=Case(
            When(material_status=MaterialStatus.COVERED, then=Value(0)),
            default=Coalesce(
                figure(owed.filter(due_date__gte=today, due_date__lte=soon), Count("pk")), 0
            ),
            output_field=IntegerField(),
        ),
    )
    if salesperson_id is not None:
        orders = orders.filter(customer__salesperson_id=salesperson_id)
    if status == "active":
        orders = orders.filter(status__in=ACTIVE_STATES)
    elif status:
        orders = orders.filter(status=status)
    customer = (customer or "").strip().replace("\x00", "")
    if customer:
        orders = orders.filter(
            Q(customer__code__iexact=customer) | Q(customer__name__icontains=customer)
        )
    if due_from or due_to:
        due = SalesOrderLine.objects.filter(order=OuterRef("pk")).exclude(
            status=LineStatus.CANCELLED
        )
        if due_from:
            due = due.filter(due_date__gte=due_from)
        if due_to:
            due = due.filter(due_date__lte=due_to)
        orders = orders.filter(Exists(due))
    return orders.order_by(F("next_due").asc(nulls_last=True), "-order_date", "order_no")


def iso_week_range(year: int, week: int) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ISO week `week` of `year`."""
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


def order_by_no(*, order_no: str) -> SalesOrder:
    """One order with its customer and lines (items, shipments, finished-goods receipts,
    change notices and material counters prefetched)."""
    lines = SalesOrderLine.objects.select_related("item").order_by("line")
    return (
        SalesOrder.objects.select_related(
            "customer", "customer__salesperson", "created_by", "confirmed_by", "updated_by"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .get(order_no=order_no)
    )


def order_lines(*, order: SalesOrder) -> list[SalesOrderLine]:
    """The order's lines, each with `is_overdue` and `is_at_risk` set for the page."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=AT_RISK_DAYS)
    lines = list(order.lines.all())
    for ol in lines:
        owed = ol.status == LineStatus.OPEN and ol.shipped_quantity < ol.quantity
        ol.is_overdue = owed and ol.due_date < today
        ol.is_at_risk = (
            owed
            and today <= ol.due_date <= soon
            and order.material_status != MaterialStatus.COVERED
        )
    return lines


@dataclass(frozen=True)
class HistoryEvent:
    """One thing that happened to an order; `obj` is the record behind it."""

    at: dt.datetime
    kind: str  # created, confirmed, change, slip, shipment, receipt, closed
    who: Any
    obj: Any


def order_history(*, order: SalesOrder) -> list[HistoryEvent]:
    """Everything that happened to the order, oldest first: entered, confirmed, each change
    notice, each warehouse slip, each shipment, each finished-goods receipt, closed."""
    events = [HistoryEvent(order.created_at, "created", order.created_by, order)]
    if order.confirmed_at:
        events.append(HistoryEvent(order.confirmed_at, "confirmed", order.confirmed_by, order))
    for change in order_changes(order=order):
        events.append(HistoryEvent(change.created_at, "change", change.created_by, change))
    slips = order.slips.select_related("created_by", "warehouse").prefetch_related(
        Prefetch(
            "lines",
            queryset=MaterialSlipLine.objects.select_related("item", "order_line").order_by("id"),
        )
    )
    for slip in slips:
        events.append(HistoryEvent(slip.created_at, "slip", slip.created_by, slip))
    shipments = Shipment.objects.filter(order_line__order=order).select_related(
        "order_line", "order_line__item", "created_by"
    )
    for shipment in shipments:
        events.append(HistoryEvent(shipment.created_at, "shipment", shipment.created_by, shipment))
    # Finished-goods receipts belong to production; read them through the order lines.
    receipt_lines = SalesOrderLine.objects.filter(order=order).prefetch_related(
        "finished_receipts__created_by"
    )
    for ol in receipt_lines.select_related("item"):
        for receipt in ol.finished_receipts.all():
            receipt.order_line = ol
            events.append(HistoryEvent(receipt.created_at, "receipt", receipt.created_by, receipt))
    if order.status == OrderStatus.CLOSED:
        events.append(HistoryEvent(order.updated_at, "closed", order.updated_by, order))
    events.sort(key=lambda e: (e.at, e.kind != "created"))
    return events


def order_changes(*, order: SalesOrder) -> QuerySet[OrderChange]:
    return (
        OrderChange.objects.filter(order=order)
        .select_related("order_line", "order_line__item", "created_by")
        .order_by("created_at", "pk")
    )


def change_list(*, order_no: str = "", kind: str = "", customer: str = "") -> QuerySet[OrderChange]:
    """Change notices, newest first, with their order, customer, line and author."""
    changes = OrderChange.objects.select_related(
        "order", "order__customer", "order_line", "order_line__item", "created_by"
    )
    order_no = (order_no or "").strip().replace("\x00", "")
    if order_no:
        changes = changes.filter(order__order_no__icontains=order_no)
    if kind:
        changes = changes.filter(kind=kind)
    customer = (customer or "").strip().replace("\x00", "")
    if customer:
        changes = changes.filter(
            Q(order__customer__code__iexact=customer) | Q(order__customer__name__icontains=customer)
        )
    return changes.order_by("-created_at", "-pk")


def change_by_number(*, number: str) -> OrderChange:
    return OrderChange.objects.select_related(
        "order", "order__customer", "order__customer__salesperson", "order_line__item", "created_by"
    ).get(number=number)


@dataclass(frozen=True)
class ReturnDue:
    """Material an order line holds beyond what it still needs: the warehouse must take
    it back with a return slip (退料单)."""

    order_line: SalesOrderLine
    item: Item
    held: Decimal
    quantity: Decimal


def returns_due(*, lines: Iterable[SalesOrderLine]) -> list[ReturnDue]:
    """For these lines: a cancelled line owes back everything it holds; any other line what
    it picked (net of surplus returns) beyond the requirement of its present quantity,
    at most what it holds."""
    lines = {ol.pk: ol for ol in lines}
    held = [
        m
        for m in OrderMaterial.objects.filter(order_line_id__in=lines)
        .select_related("item")
        .order_by("order_line_id", "item__code")
        if m.held > 0
    ]
    if not held:
        return []
    live = {ol.pk for ol in lines.values() if ol.status != LineStatus.CANCELLED}
    needs = order_line_requirements(lines[pk] for pk in {m.order_line_id for m in held} & live)
    due = []
    for m in held:
        requirement = needs.get(m.order_line_id, {}).get(m.item_id, ZERO)
        excess = min(m.held, m.picked - m.returned_surplus - requirement)
        if excess > 0:
            due.append(ReturnDue(lines[m.order_line_id], m.item, m.held, excess))
    return due


def orders_for_api() -> QuerySet[SalesOrder]:
    """Orders with what the REST answer shows: customer, salesperson, lines with items."""
    lines = SalesOrderLine.objects.select_related("item").order_by("line")
    return SalesOrder.objects.select_related(
        "customer", "customer__salesperson", "updated_by"
    ).prefetch_related(Prefetch("lines", queryset=lines))


def changes_for_api() -> QuerySet[OrderChange]:
    return OrderChange.objects.select_related(
        "order", "order_line", "order_line__item", "created_by", "updated_by"
    )
