"""Dates typed by a person or sent by a client: ISO dates, and a clear error naming the
field when the text is not one."""

import datetime as dt

from django.utils.translation import gettext as _

from erp.errors import DomainError


def parse_iso_date(text: str | None, *, field: str) -> dt.date | None:
    """None for empty input; a DomainError on `field` for anything but YYYY-MM-DD."""
    if text in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise DomainError(
            _("%(value)s is not a date (YYYY-MM-DD).") % {"value": text}, field=field
        ) from None
