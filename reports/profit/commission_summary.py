"""Every salesperson's commission for a month on one page (the manager's default view of
the commission page): the same grades and rates as the statements, set-based."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F, Q

from erp.roles import Role
from reports.profit.amounts import ZERO, revenue_of, total
from reports.profit.commissions import current_policy, item_grades, month_bounds
from reports.profit.selectors import CUSTOMER, ITEM, shipments_between


@dataclass
class SalespersonCommission:
    salesperson: object
    revenue: Decimal = ZERO
    commission: Decimal = ZERO
    year_to_date: "SalespersonCommission | None" = None  # filled in by the page


def commission_summary(
    *, month: dt.date, start: dt.date | None = None
) -> list[SalespersonCommission]:
    """Every active salesperson (and anyone else whose customers got shipments in the
    month) with the month's revenue and commission, by name: four queries. With `start`
    (in the month's year), from that day to the end of the month instead (the year to
    date); a product's grade comes from the year before either way."""
    policy = current_policy()
    first, last = month_bounds(month)
    first = start or first
    shipped = list(
        shipments_between(first, last)
        .exclude(**{f"{CUSTOMER}__salesperson": None})
        .values(person=F(f"{CUSTOMER}__salesperson_id"), item=F(f"{ITEM}_id"))
        .annotate(revenue=total(revenue_of()))
        .order_by()
    )
    grades = item_grades(
        year=first.year - 1, item_ids=sorted({row["item"] for row in shipped}), policy=policy
    )
    people = (
        get_user_model()
        .objects.filter(
            Q(groups__name=Role.SALES.value, is_active=True)
            | Q(pk__in={row["person"] for row in shipped})
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    summary = {user.pk: SalespersonCommission(salesperson=user) for user in people}
    for row in shipped:
        line = summary[row["person"]]
        line.revenue += row["revenue"]
        line.commission += row["revenue"] * policy.rate(grades[row["item"]].grade)
    return list(summary.values())
