"""Contacts' birthdays coming up (客户关怀: greet them on the day), read in SQL: the next
days' month-and-day pairs are matched, so the list pages whatever the number of contacts."""

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth

from customers.models import Contact
from erp.roles import Role, has_role

BIRTHDAY_DAYS = 30


def next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    """The next time (today included) the day and month come round; 29 February falls on
    28 February in other years."""
    for year in (today.year, today.year + 1):
        try:
            candidate = birthday.replace(year=year)
        except ValueError:
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def _month_days(today: dt.date, days: int) -> list[int]:
    """month * 100 + day of each day from today to today + days; a 28 February in a year
    without 29 February also stands for it."""
    found = []
    for offset in range(days + 1):
        day = today + dt.timedelta(days=offset)
        found.append(day.month * 100 + day.day)
        if day.month == 2 and day.day == 28 and not _leap(day.year):
            found.append(229)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthdays_coming(*, user, today: dt.date, days: int = BIRTHDAY_DAYS) -> QuerySet[Contact]:
    """Contacts with a birthday in the next `days` days (today included), soonest first,
    with their customer; sales sees the contacts of its own customers, managers all."""
    wanted = _month_days(today, days)
    today_md = today.month * 100 + today.day
    contacts = (
        Contact.objects.filter(birthday__isnull=False, customer__is_active=True)
        .select_related("customer", "customer__salesperson")
        .annotate(month_day=ExtractMonth("birthday") * 100 + ExtractDay("birthday"))
        .filter(month_day__in=wanted)
        .annotate(
            next_year=Case(
                When(month_day__lt=today_md, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    if not has_role(user, Role.MANAGER.value):
        contacts = contacts.filter(customer__salesperson=user)
    return contacts.order_by("next_year", "month_day", "customer__code", "name")
