"""Reads of the relationship pages: a person's follow-ups, the daily care list (birthdays,
relationship anniversaries, holidays), complaints with their trend. No writes."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth

from crm.customer360 import next_anniversary
from crm.models import Complaint, ComplaintStatus, FollowUp, FollowUpStatus, Holiday
from customers.models import Contact, Customer
from orders.models import SalesOrder

CARE_DAYS = 7
TREND_MONTHS = 12


def follow_ups_of(*, owner, today: dt.date, days_ahead: int = 7) -> dict[str, list[FollowUp]]:
    """The owner's open follow-ups: overdue, due today, and coming up in `days_ahead` days."""
    open_ones = (
        FollowUp.objects.filter(owner=owner, status=FollowUpStatus.OPEN)
        .filter(due_date__lte=today + dt.timedelta(days=days_ahead))
        .select_related("customer")
        .order_by("due_date", "id")
    )
    groups: dict[str, list[FollowUp]] = {"overdue": [], "today": [], "soon": []}
    for followup in open_ones:
        key = "overdue" if followup.due_date < today else "today"
        if followup.due_date > today:
            key = "soon"
        groups[key].append(followup)
    return groups


def open_follow_up_counts(*, today: dt.date) -> dict[str, int]:
    """For the manager: open follow-ups overdue and due today, everyone's."""
    counts = FollowUp.objects.filter(status=FollowUpStatus.OPEN).aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        today=Count("id", filter=Q(due_date=today)),
        total=Count("id"),
    )
    return counts


@dataclass(frozen=True)
class CareEvent:
    day: dt.date
    kind: str  # birthday, anniversary, holiday
    customer: Customer | None
    text: str


def care_events(*, salesperson, today: dt.date, days: int = CARE_DAYS) -> list[CareEvent]:
    """Birthdays of the salesperson's customers' contacts, anniversaries of their first
    order, and holidays, from today for `days` days: greetings to send."""
    until = today + dt.timedelta(days=days)
    events: list[CareEvent] = []
    contacts = Contact.objects.filter(
        customer__salesperson=salesperson, birthday__isnull=False
    ).select_related("customer")
    for contact in contacts:
        day = next_anniversary(contact.birthday, today)
        if day <= until:
            events.append(CareEvent(day, "birthday", contact.customer, contact.name))
    first_orders = (
        SalesOrder.objects.filter(customer__salesperson=salesperson)
        .values("customer")
        .annotate(first=Min("order_date"))
    )
    customers = Customer.objects.in_bulk([row["customer"] for row in first_orders])
    for row in first_orders:
        day = next_anniversary(row["first"], today)
        years = day.year - row["first"].year
        if day <= until and years > 0:
            events.append(CareEvent(day, "anniversary", customers[row["customer"]], str(years)))
    for holiday in Holiday.objects.filter(date__gte=today, date__lte=until):
        events.append(CareEvent(holiday.date, "holiday", None, holiday.name))
    return sorted(events, key=lambda e: (e.day, e.kind, e.customer.code if e.customer else ""))


def complaint_list(
    *, status: str = "", customer: str = "", severity: str = "", open_only: bool = False
) -> QuerySet[Complaint]:
    complaints = Complaint.objects.select_related("customer", "owner", "item", "order")
    if status:
        complaints = complaints.filter(status=status)
    if open_only:
        complaints = complaints.exclude(status=ComplaintStatus.CLOSED)
    if customer:
        complaints = complaints.filter(customer__code=customer)
    if severity:
        complaints = complaints.filter(severity=severity)
    return complaints.order_by("-opened_at", "-id")


def month_start(today: dt.date, months_back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def complaint_trend(*, today: dt.date, months: int = TREND_MONTHS) -> list[dict]:
    """Complaints opened per month (the last `months` months, empty months included)."""
    start = month_start(today, months - 1)
    counted = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
        for row in Complaint.objects.filter(opened_at__date__gte=start)
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        {"month": month_start(today, back), "count": counted.get(month_start(today, back), 0)}
        for back in range(months - 1, -1, -1)
    ]


def complaint_leaders(*, today: dt.date, by: str, months: int = TREND_MONTHS, limit: int = 10):
    """The customers (by="customer") or products (by="item") with the most complaints in the
    last `months` months, with how many are still open."""
    start = month_start(today, months - 1)
    return list(
        Complaint.objects.filter(opened_at__date__gte=start, **{f"{by}__isnull": False})
        .values(code=F(f"{by}__code"), name=F(f"{by}__name"))
        .annotate(total=Count("id"), open=Count("id", filter=~Q(status=ComplaintStatus.CLOSED)))
        .order_by("-total", "code")[:limit]
    )
