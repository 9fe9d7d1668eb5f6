"""The birthdays list: contacts whose birthday comes in the next 30 days (across the new
year, 29 February on 28 February), soonest first; sales sees its own customers'."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from customers.models import Contact
from customers.selectors_birthdays import birthdays_coming, next_birthday
from tests.clock import today
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def born(customer, name: str, month: int, day: int, year: int = 1980) -> Contact:
    return Contact.objects.create(customer=customer, name=name, birthday=dt.date(year, month, day))


def in_days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def test_next_30_days_soonest_first(make_user, django_assert_max_num_queries):
    seller = make_user("sales", username="li")
    acme = CustomerFactory(salesperson=seller)
    other = CustomerFactory(salesperson=make_user("sales", username="wu"))
    soon, later, too_late = in_days(3), in_days(29), in_days(31)
    c_later = born(acme, "Later", later.month, later.day)
    c_soon = born(acme, "Soon", soon.month, soon.day)
    born(acme, "Too late", too_late.month, too_late.day)
    born(acme, "Yesterday", in_days(-1).month, in_days(-1).day)
    Contact.objects.create(customer=acme, name="Unknown")
    born(other, "Not mine", soon.month, soon.day)
    with django_assert_max_num_queries(2):  # the user's roles, the contacts
        names = [c.name for c in birthdays_coming(user=seller, today=today())]
    expected = [
        c.name
        for c in sorted([c_soon, c_later], key=lambda c: next_birthday(c.birthday, today()))
        if (next_birthday(c.birthday, today()) - today()).days <= 30
    ]
    assert names == expected
    boss = make_user("manager", username="boss")
    assert "Not mine" in [c.name for c in birthdays_coming(user=boss, today=today())]


def test_across_the_new_year(make_user):
    boss = make_user("manager", username="boss")
    acme = CustomerFactory()
    born(acme, "January", 1, 5)
    born(acme, "December", 12, 30)
    born(acme, "March", 3, 1)
    found = birthdays_coming(user=boss, today=dt.date(2026, 12, 20))
    assert [c.name for c in found] == ["December", "January"]


def test_leap_day_birthday_on_28_february(make_user):
    boss = make_user("manager", username="boss")
    born(CustomerFactory(), "Leap", 2, 29, year=1984)
    assert [c.name for c in birthdays_coming(user=boss, today=dt.date(2027, 2, 1))] == ["Leap"]
    assert next_birthday(dt.date(1984, 2, 29), dt.date(2027, 2, 1)) == dt.date(2027, 2, 28)
    assert not birthdays_coming(user=boss, today=dt.date(2027, 3, 1)).exists()


def test_the_page(make_user, django_assert_max_num_queries):
    seller = make_user("sales", username="li")
    acme = CustomerFactory(code="ACME", salesperson=seller)
    soon = in_days(2)
    for n in range(30):
        born(acme, f"P{n:02d}", soon.month, soon.day)
    client = Client()
    client.force_login(seller)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("customers:birthday-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "P00" in page and "P29" in page
    assert reverse("crm:interaction-create", args=["ACME"]) + "?reason=courtesy" in page
