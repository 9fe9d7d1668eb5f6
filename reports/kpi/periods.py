"""The default report period: the current year to date (1 January of the factory's today
to today)."""

import datetime as dt

from django.utils import timezone

from reports.exports import Period


def year_to_date(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(start=dt.date(today.year, 1, 1), end=today)


def bounded(period: Period, *, today: dt.date | None = None) -> Period:
    """The period with its open ends closed: from 1 January of the year of its end (or of
    today) when it has no start, until today when it has no end."""
    today = today or timezone.localdate()
    end = period.end or today
    start = period.start or dt.date(end.year, 1, 1)
    return Period(start=start, end=end, as_of=period.as_of)
