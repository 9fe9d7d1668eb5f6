"""Reads behind the customer 360 page: everything a salesperson needs while the customer is
on the phone, in a fixed number of queries (about a dozen, whatever the history).

This page sits above the other apps: it reads orders, production progress and the latest
ranking run (reports), never writes."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.models import Complaint, ComplaintStatus, FollowUp, FollowUpStatus, Interaction, QuoteLine
from customers.models import Contact, Customer, CustomerPhone
from erp.models import QUANTITY_PLACES
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine
from production.models import WorkOrder

ZERO = Decimal(0)
AMOUNT = DecimalField(max_digits=40, decimal_places=QUANTITY_PLACES * 2)
RECENT_INTERACTIONS = 10
ORDERS_PER_PAGE = 25
CARE_DAYS = 14
OPEN_ORDER_STATES = (
    OrderStatus.DRAFT,
    OrderStatus.CREDIT_HOLD,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.PARTLY_SHIPPED,
)
OPEN_COMPLAINTS = (ComplaintStatus.OPEN, ComplaintStatus.INVESTIGATING, ComplaintStatus.RESOLVED)


@dataclass
class Customer360:
    customer: Customer
    phones: list[CustomerPhone]
    contacts: list[Contact]
    orders: list[SalesOrder]
    interactions: list[Interaction]
    quoted: list[QuoteLine]
    complaints: list[Complaint]
    follow_ups: list[FollowUp]
    birthdays: list[tuple[Contact, dt.date]] = field(default_factory=list)
    orders_page: Page | None = None  # `orders` is this page of the open orders
    open_total: Decimal | None = None

    @property
    def open_amount(self) -> Decimal:
        """Of every open order, not only the page shown."""
        if self.open_total is not None:
            return self.open_total
        return sum((o.open_amount for o in self.orders), ZERO)


def _work_orders(column: str) -> Subquery:
    totals = (
        WorkOrder.objects.filter(sales_order=OuterRef("pk"))
        .exclude(status=WorkOrder.Status.CANCELLED)
        .values("sales_order")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Subquery(totals, output_field=AMOUNT)


def open_orders(customer: Customer) -> QuerySet[SalesOrder]:
    """Orders not finished yet with their execution status: amounts ordered, shipped and
    open, the earliest promised date still open, production progress of their work orders;
    open lines prefetched."""
    live = ~Q(lines__status=LineStatus.CANCELLED)
    open_line = Q(lines__status=LineStatus.OPEN) & Q(
        lines__shipped_quantity__lt=F("lines__quantity")
    )

    def amount(quantity: str):
        return ExpressionWrapper(F(quantity) * F("lines__unit_price"), output_field=AMOUNT)

    open_lines = (
        SalesOrderLine.objects.filter(status=LineStatus.OPEN, shipped_quantity__lt=F("quantity"))
        .select_related("item")
        .order_by("due_date", "line")
    )
    return (
        SalesOrder.objects.filter(customer=customer, status__in=OPEN_ORDER_STATES)
        .annotate(
            ordered_amount=Coalesce(
                Sum(amount("lines__quantity"), filter=live), ZERO, output_field=AMOUNT
            ),
            shipped_amount=Coalesce(
                Sum(amount("lines__shipped_quantity"), filter=live), ZERO, output_field=AMOUNT
            ),
            open_amount=Coalesce(
                Sum(
                    ExpressionWrapper(
                        (F("lines__quantity") - F("lines__shipped_quantity"))
                        * F("lines__unit_price"),
                        output_field=AMOUNT,
                    ),
                    filter=open_line,
                ),
                ZERO,
                output_field=AMOUNT,
            ),
            promised=Min("lines__due_date", filter=open_line),
            planned_quantity=_work_orders("quantity"),
            made_quantity=_work_orders("completed_quantity"),
        )
        .prefetch_related(Prefetch("lines", queryset=open_lines, to_attr="open_lines"))
        .order_by(F("promised").asc(nulls_last=True), "order_no")
    )


def open_amount_total(customer: Customer) -> Decimal:
    """What the customer's open orders still have to ship, at their prices: one query."""
    total = SalesOrderLine.objects.filter(
        order__customer=customer,
        order__status__in=OPEN_ORDER_STATES,
        status=LineStatus.OPEN,
        shipped_quantity__lt=F("quantity"),
    ).aggregate(
        total=Sum(
            ExpressionWrapper(
                (F("quantity") - F("shipped_quantity")) * F("unit_price"), output_field=AMOUNT
            )
        )
    )["total"]
    return total or ZERO


def last_quoted_prices(customer: Customer) -> QuerySet[QuoteLine]:
    """The latest price quoted to the customer for each product."""
    mine = QuoteLine.objects.filter(interaction__customer=customer)
    newer = mine.filter(item=OuterRef("item")).filter(
        Q(interaction__occurred_at__gt=OuterRef("interaction__occurred_at"))
        | Q(interaction__occurred_at=OuterRef("interaction__occurred_at"), pk__gt=OuterRef("pk"))
    )
    return (
        mine.filter(~Exists(newer))
        .select_related("item", "interaction__created_by")
        .order_by("item__code")
    )


def recent_interactions(customer: Customer, limit: int = RECENT_INTERACTIONS):
    return (
        Interaction.objects.filter(customer=customer)
        .select_related("created_by", "contact", "order")
        .prefetch_related(
            Prefetch("quote_lines", queryset=QuoteLine.objects.select_related("item"))
        )
        .order_by("-occurred_at", "-id")[:limit]
    )


def upcoming_birthdays(
    contacts: list[Contact], *, today: dt.date, days: int = CARE_DAYS
) -> list[tuple[Contact, dt.date]]:
    """(contact, next birthday) within `days` from today, soonest first."""
    found = []
    for contact in contacts:
        if contact.birthday is None:
            continue
        upcoming = next_anniversary(contact.birthday, today)
        if (upcoming - today).days <= days:
            found.append((contact, upcoming))
    return sorted(found, key=lambda pair: pair[1])


def next_anniversary(date: dt.date, today: dt.date) -> dt.date:
    """The next time (today included) the day and month of `date` come round; 29 February
    falls on 28 February in other years."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date.replace(year=year)
        except ValueError:
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def customer_360(*, code: str, page: str | int | None = None) -> Customer360:
    """Raises Customer.DoesNotExist for an unknown code. `page`: which page of the open
    orders (a big customer has a thousand open at once)."""
    customer = Customer.objects.select_related("salesperson").get(code=code)
    contacts = list(
        Contact.objects.filter(customer=customer).prefetch_related("phones").order_by("name", "id")
    )
    orders = Paginator(open_orders(customer), ORDERS_PER_PAGE).get_page(page)
    return Customer360(
        customer=customer,
        phones=list(
            CustomerPhone.objects.filter(customer=customer)
            .select_related("contact")
            .order_by("position", "id")
        ),
        contacts=contacts,
        orders=list(orders),
        orders_page=orders,
        open_total=open_amount_total(customer),
        interactions=list(recent_interactions(customer)),
        quoted=list(last_quoted_prices(customer)),
        complaints=list(
            Complaint.objects.filter(customer=customer, status__in=OPEN_COMPLAINTS)
            .select_related("owner", "item", "order")
            .order_by("-opened_at")
        ),
        follow_ups=list(
            FollowUp.objects.filter(customer=customer, status=FollowUpStatus.OPEN)
            .select_related("owner")
            .order_by("due_date", "id")
        ),
        birthdays=upcoming_birthdays(contacts, today=timezone.localdate()),
    )
