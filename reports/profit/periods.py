"""A report period from what a person or a client typed: a calendar year, or inclusive
from/to dates, or nothing (all time); and an as-of date. Bad input is a DomainError naming
the field."""

import datetime as dt

from django.utils.translation import gettext as _

from erp.dates import parse_iso_date
from erp.errors import DomainError
from reports.exports import Period


def _date(text: str | None, field: str) -> dt.date | None:
    return parse_iso_date(text, field=field)


def _year(text: str | int | None) -> int | None:
    if text in (None, ""):
        return None
    try:
        year = int(text)
    except (TypeError, ValueError):
        year = 0
    if not 1 <= year <= 9999:
        raise DomainError(_("Enter a year such as 2025."), field="year")
    return year


def parse_period(
    *,
    year: str | int | None = None,
    start: str | None = None,
    end: str | None = None,
    as_of: str | None = None,
) -> Period:
    """year -> that calendar year; start/end -> inclusive dates, either may be open."""
    year_number = _year(year)
    start_date, end_date = _date(start, "from"), _date(end, "to")
    if year_number is not None and (start_date or end_date):
        raise DomainError(_("Give either a year or from/to dates, not both."), field="year")
    if year_number is not None:
        start_date, end_date = dt.date(year_number, 1, 1), dt.date(year_number, 12, 31)
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("The to date is before the from date."), field="to")
    return Period(start=start_date, end=end_date, as_of=_date(as_of, "as_of"))


def period_label(period: Period) -> str:
    if period.start and period.end:
        if (period.start.month, period.start.day, period.end.month, period.end.day) == (
            1,
            1,
            12,
            31,
        ) and period.start.year == period.end.year:
            return str(period.start.year)
        return f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"
    if period.start:
        return _("from %(date)s") % {"date": f"{period.start:%Y-%m-%d}"}
    if period.end:
        return _("until %(date)s") % {"date": f"{period.end:%Y-%m-%d}"}
    return _("all time")


def period_slug(period: Period) -> str:
    """For file names: 2025, 20250101-20250331, all."""
    label = period_label(period)
    if label.isdigit():
        return label
    parts = [f"{d:%Y%m%d}" if d else "" for d in (period.start, period.end)]
    return "-".join(parts) if any(parts) else "all"
