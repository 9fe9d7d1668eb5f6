"""Reads of satisfaction surveys: the average score (of one customer or all), its trend by
month, scores per customer, and the surveys someone may see. Each a fixed number of
queries, aggregated in SQL."""

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from crm.models_satisfaction import Survey
from customers.models import Customer
from erp.roles import Role, has_role

TWO_PLACES = Decimal("0.01")


def _answered(customer=None, start=None, end=None, salesperson=None):
    found = Survey.objects.filter(answered_at__isnull=False)
    if customer is not None:
        found = found.filter(customer=customer)
    if salesperson is not None:
        found = found.filter(customer__salesperson=salesperson)
    if start is not None:
        found = found.filter(answered_at__date__gte=start)
    if end is not None:
        found = found.filter(answered_at__date__lte=end)
    return found


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES)


def average_score(
    customer: Customer | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    salesperson=None,
) -> Decimal | None:
    """The mean score (1 to 5, two places) of the surveys answered between `start` and `end`
    (inclusive, either open), of one customer, of one salesperson's customers, or of all;
    None when none was answered."""
    answered = _answered(customer, start, end, salesperson)
    return _round(answered.aggregate(avg=Avg("score"))["avg"])


def _monthly(customer, start, end, salesperson) -> list[dict]:
    rows = (
        _answered(customer, start, end, salesperson)
        .annotate(month=TruncMonth("answered_at"))
        .values("month")
        .annotate(total=Sum("score"), count=Count("pk"))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "score": _round(row["total"] / row["count"]),
            "count": row["count"],
            "total": row["total"],
        }
        for row in rows
    ]


def score_trend(
    customer: Customer | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    salesperson=None,
) -> list[dict]:
    """By month the surveys were answered in: {"month": first day, "score": mean, "count": n},
    oldest first; months without an answer are left out."""
    return [
        {key: row[key] for key in ("month", "score", "count")}
        for row in _monthly(customer, start, end, salesperson)
    ]


def score_with_trend(
    customer: Customer | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    salesperson=None,
) -> tuple[Decimal | None, list[dict]]:
    """The average score of the period and its trend by month, in one query."""
    rows = _monthly(customer, start, end, salesperson)
    count = sum(row["count"] for row in rows)
    average = _round(sum(row["total"] for row in rows) / count) if count else None
    trend = [{key: row[key] for key in ("month", "score", "count")} for row in rows]
    return average, trend


def sees_all_surveys(user) -> bool:
    return has_role(user, Role.MANAGER.value)


def surveys_for(*, user, status: str = "", today: dt.date) -> QuerySet[Survey]:
    """Surveys `user` may see (sales: its own customers'; managers all), newest first;
    status open, answered or expired filters them."""
    found = Survey.objects.select_related("customer", "recorded_by", "order")
    if not sees_all_surveys(user):
        found = found.filter(customer__salesperson=user)
    if status == "open":
        found = found.filter(answered_at__isnull=True, expires_on__gte=today)
    elif status == "answered":
        found = found.filter(answered_at__isnull=False)
    elif status == "expired":
        found = found.filter(answered_at__isnull=True, expires_on__lt=today)
    return found.order_by("-sent_on", "-pk")


def scores_by_customer(
    *, user, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Customer]:
    """Customers with an answered survey in the period: their mean score, the number of
    answers and the last one, lowest score first (the ones to call)."""
    period = Q(surveys__answered_at__isnull=False)
    if start is not None:
        period &= Q(surveys__answered_at__date__gte=start)
    if end is not None:
        period &= Q(surveys__answered_at__date__lte=end)
    found = Customer.objects.all()
    if not sees_all_surveys(user):
        found = found.filter(salesperson=user)
    return (
        found.annotate(
            survey_score=Avg("surveys__score", filter=period),
            survey_count=Count("surveys", filter=period),
            last_answer=Max("surveys__answered_at", filter=period),
        )
        .filter(survey_count__gt=0)
        .order_by("survey_score", "code")
    )
