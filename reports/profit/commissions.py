"""Sales commissions by product margin (DOMAIN.md: promote high-margin products).

- A product's margin for a statement month is its profit / revenue over the last full
  calendar year before that month (the product profit table of that year); a product not
  sold in that year is graded by its standard margin (list price - standard cost) / list
  price, and a product without a list price is low.
- Grades: high at or above the policy's high_margin, medium at or above medium_margin,
  else low (boundaries belong to the higher grade).
- Commission of a shipment = its revenue (quantity x the order line's price) x the rate of
  its product's grade. A salesperson's statement for a month covers the shipments of that
  month to the customers they look after (Customer.salesperson). Amounts are exact.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from erp.errors import DomainError
from materials.models import Item
from reports.models import CommissionPolicy, MarginGrade
from reports.profit.amounts import ZERO, ratio
from reports.profit.selectors import CUSTOMER, ProductProfit, product_profit, shipments_between


@dataclass(frozen=True)
class Grade:
    grade: str
    margin: Decimal | None
    basis: str  # "sales" (last year's table) or "standard" (list price and standard cost)


@dataclass(frozen=True)
class StatementLine:
    item_code: str
    item_name: str
    quantity: Decimal
    revenue: Decimal
    grade: Grade
    rate: Decimal

    @property
    def commission(self) -> Decimal:
        return self.revenue * self.rate


@dataclass
class Statement:
    salesperson: object
    month: dt.date
    policy: CommissionPolicy
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def revenue(self) -> Decimal:
        return sum((line.revenue for line in self.lines), ZERO)

    @property
    def commission(self) -> Decimal:
        return sum((line.commission for line in self.lines), ZERO)


def current_policy() -> CommissionPolicy:
    return CommissionPolicy.objects.filter(pk=1).first() or CommissionPolicy()


def grade_of(margin: Decimal | None, policy: CommissionPolicy) -> str:
    if margin is None:
        return MarginGrade.LOW
    if margin >= policy.high_margin:
        return MarginGrade.HIGH
    if margin >= policy.medium_margin:
        return MarginGrade.MEDIUM
    return MarginGrade.LOW


def item_grades(*, year: int, item_ids: list[int], policy: CommissionPolicy) -> dict[int, Grade]:
    """item id -> grade for statements of months in year + 1: two queries."""
    sold: dict[int, ProductProfit] = {
        row.item_id: row
        for row in product_profit(
            start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), item_ids=item_ids
        )
    }
    grades = {}
    unsold = [i for i in item_ids if i not in sold or sold[i].revenue == 0]
    for item_id, row in sold.items():
        if row.revenue != 0:
            margin = row.profit_sales_ratio
            grades[item_id] = Grade(grade_of(margin, policy), margin, "sales")
    for item in Item.objects.filter(pk__in=unsold).only("list_price", "standard_cost"):
        margin = ratio(item.list_price - item.standard_cost, item.list_price)
        grades[item.pk] = Grade(grade_of(margin, policy), margin, "standard")
    return grades


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def commission_statement(*, salesperson, month: dt.date) -> Statement:
    """The salesperson's commission for the calendar month of `month`: four queries."""
    policy = current_policy()
    first, last = month_bounds(month)
    shipped = product_profit(start=first, end=last, salesperson_id=salesperson.pk)
    grades = item_grades(
        year=first.year - 1, item_ids=[row.item_id for row in shipped], policy=policy
    )
    statement = Statement(salesperson=salesperson, month=first, policy=policy)
    for row in shipped:
        grade = grades[row.item_id]
        statement.lines.append(
            StatementLine(
                item_code=row.code,
                item_name=row.name,
                quantity=row.quantity,
                revenue=row.revenue,
                grade=grade,
                rate=policy.rate(grade.grade),
            )
        )
    return statement


def salespeople_with_shipments(*, month: dt.date) -> list[int]:
    """Ids of the salespeople whose customers got shipments in the month."""
    first, last = month_bounds(month)
    return list(
        shipments_between(first, last)
        .exclude(**{f"{CUSTOMER}__salesperson": None})
        .values_list(f"{CUSTOMER}__salesperson", flat=True)
        .distinct()
    )


def _fraction(value, field: str, *, upper: Decimal = Decimal(1)) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not (0 <= number <= upper):
        raise DomainError(_("Enter a fraction from 0 to 1, such as 0.25."), field=field)
    if number != number.quantize(Decimal("0.0001")):
        raise DomainError(_("Use at most 4 decimal places."), field=field)
    return number


@transaction.atomic
def commission_policy_update(*, user, **values) -> CommissionPolicy:
    """Change grade thresholds and rates; fields not given keep their value."""
    allowed = {"high_margin", "medium_margin", "rate_high", "rate_medium", "rate_low"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    policy = CommissionPolicy.objects.select_for_update().filter(pk=1).first()
    policy = policy or CommissionPolicy(pk=1)
    for name, value in values.items():
        if value is not None:
            setattr(policy, name, _fraction(value, name))
    if policy.medium_margin > policy.high_margin:
        raise DomainError(
            _("The medium margin cannot be above the high margin."), field="medium_margin"
        )
    policy.stamp(user)
    policy.save()
    return policy
