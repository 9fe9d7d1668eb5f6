"""The figures the manager's dashboard shows beside profit, for this year to date: on-time
delivery, stock value and turns, purchase lead time and, when the relationship layer keeps
satisfaction surveys, the average score. Five or six queries."""

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from reports.exports import Period
from reports.kpi import delivery, inventory, purchasing
from reports.kpi.periods import year_to_date


@dataclass(frozen=True)
class Tiles:
    period: Period
    on_time: delivery.OnTime
    stock: inventory.StockTurns
    lead_time: purchasing.LeadTime
    satisfaction: Decimal | None
    surveys: bool  # whether satisfaction surveys exist at all
    satisfaction_trend: list[dict]  # {"month", "score", "count"}, the last 12 months


@functools.cache
def _surveys_installed() -> bool:
    """Whether the relationship layer keeps satisfaction surveys (its module is there and
    its table migrated); asked once per process."""
    try:
        from crm.models_satisfaction import Survey
        from crm.selectors_satisfaction import average_score  # noqa: F401
    except ImportError:
        return False
    return Survey._meta.db_table in connection.introspection.table_names()


def _satisfaction(period: Period, today: dt.date) -> tuple[bool, Decimal | None, list[dict]]:
    if not _surveys_installed():
        return False, None, []
    from crm.selectors_satisfaction import average_score, score_trend

    since = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    return (
        True,
        average_score(start=period.start, end=period.end),
        score_trend(start=since, end=today),
    )


def dashboard_tiles(*, today: dt.date | None = None) -> Tiles:
    today = today or timezone.localdate()
    period = year_to_date(today)
    surveys, score, trend = _satisfaction(period, today)
    return Tiles(
        period=period,
        on_time=delivery.on_time_total(period=period, today=today),
        stock=inventory.inventory_turns(period=period, today=today).total,
        lead_time=purchasing.lead_time_total(period=period),
        satisfaction=score,
        surveys=surveys,
        satisfaction_trend=trend,
    )
