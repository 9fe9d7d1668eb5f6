"""The factory's today for tests: dates are built from it, never written as literals that a
later run would find in the past (see `--clock-offset-days` in tests/conftest.py)."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The factory's date now (its time zone, not UTC), read when called."""
    return timezone.localdate()


def in_days(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def iso_in_days(days: int) -> str:
    return in_days(days).isoformat()
