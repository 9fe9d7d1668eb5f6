"""Contact analysis (接触分析): every contact with customers counted by its reason, by month
and by customer, so all contacts can be read, not only complaints. Aggregated in SQL: two
queries whatever the number of contacts."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from crm.models import ContactReason, Interaction
from customers.models import Customer
from erp.roles import Role, has_role

TOP_CUSTOMERS = 50


def sees_all_contacts(user) -> bool:
    return has_role(user, Role.MANAGER.value)


def _contacts(*, user, start: dt.date, end: dt.date) -> QuerySet[Interaction]:
    found = Interaction.objects.filter(occurred_at__date__gte=start, occurred_at__date__lte=end)
    if not sees_all_contacts(user):
        found = found.filter(customer__salesperson=user)
    return found


def reasons_by_month(*, user, start: dt.date, end: dt.date) -> dict:
    """{"months": [first days], "rows": [{"reason", "label", "counts": [n per month],
    "total"}], "totals": [n per month], "total": n}: every reason, months with a contact."""
    counts = (
        _contacts(user=user, start=start, end=end)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "reason")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    table: dict[tuple, int] = {}
    months: list[dt.date] = []
    for row in counts:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        if month not in months:
            months.append(month)
        table[(row["reason"], month)] = row["n"]
    rows = []
    for reason in ContactReason:
        numbers = [table.get((reason.value, m), 0) for m in months]
        rows.append(
            {
                "reason": reason.value,
                "label": reason.label,
                "counts": numbers,
                "total": sum(numbers),
            }
        )
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(months))]
    return {"months": months, "rows": rows, "totals": totals, "total": sum(totals)}


def reasons_by_customer(
    *, user, start: dt.date, end: dt.date, limit: int = TOP_CUSTOMERS
) -> QuerySet[Customer]:
    """The customers contacted most in the period, each with its count per reason
    (attributes `n_<reason>`) and in all (`n_contacts`)."""
    period = Q(interactions__occurred_at__date__gte=start, interactions__occurred_at__date__lte=end)
    found = Customer.objects.all()
    if not sees_all_contacts(user):
        found = found.filter(salesperson=user)
    per_reason = {
        f"n_{reason.value}": Count("interactions", filter=period & Q(interactions__reason=reason))
        for reason in ContactReason
    }
    return (
        found.annotate(n_contacts=Count("interactions", filter=period), **per_reason)
        .filter(n_contacts__gt=0)
        .order_by("-n_contacts", "code")[:limit]
    )
