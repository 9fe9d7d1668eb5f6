"""Follow-ups (回访): scheduled with owner and due date (by default at the tier's frequency),
my list of overdue / today / coming up, done with the outcome and the next one scheduled;
the daily care list of birthdays, anniversaries and holidays."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import FollowUp, FollowUpFrequency, Holiday
from crm.selectors_relationship import care_events, follow_ups_of
from crm.services.followups import (
    DEFAULT_FOLLOW_UP_DAYS,
    follow_up_days,
    followup_cancel,
    followup_complete,
    followup_schedule,
)
from customers.models import Contact
from erp.errors import ConflictError, DomainError
from orders.models import SalesOrder
from tests.crm.profit_data import customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li")


def test_frequency_defaults_by_tier_and_can_be_changed():
    assert [follow_up_days(t) for t in ("VIP", "IMPORTANT", "NORMAL", "POTENTIAL")] == [
        14,
        30,
        60,
        90,
    ]
    assert follow_up_days(None) == 60
    FollowUpFrequency.objects.create(tier="VIP", every_days=7)
    assert follow_up_days("VIP") == 7
    assert DEFAULT_FOLLOW_UP_DAYS["VIP"] == 14


def test_schedule_for_the_salesperson_at_the_tiers_frequency(seller, make_user):
    acme = customer("ACME", salesperson=seller)
    manager = make_user("manager")
    followup = followup_schedule(user=manager, customer=acme, purpose="Visit", tier="VIP")
    assert followup.owner == seller and followup.created_by == manager
    assert followup.due_date == timezone.localdate() + dt.timedelta(days=14)
    with pytest.raises(DomainError, match="past"):
        followup_schedule(
            user=manager,
            customer=acme,
            purpose="x",
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(DomainError, match="what the follow-up is for"):
        followup_schedule(user=manager, customer=acme, purpose=" ")


def test_done_schedules_the_next_one_and_cannot_be_done_twice(seller):
    acme = customer("ACME", salesperson=seller)
    first = followup_schedule(user=seller, customer=acme, purpose="Quarterly visit")
    with pytest.raises(DomainError, match="came out"):
        followup_complete(followup=first, user=seller, outcome="")
    done, following = followup_complete(
        followup=first, user=seller, outcome="Happy; wants 10% more", tier="IMPORTANT"
    )
    assert done.status == "done" and done.done_at is not None
    assert following.purpose == "Quarterly visit" and following.owner == seller
    assert following.due_date == timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ConflictError, match="already done"):
        followup_complete(followup=first, user=seller, outcome="again")
    followup_cancel(followup=following, user=seller, reason="Customer closed")
    assert FollowUp.objects.get(pk=following.pk).status == "cancelled"


def test_my_list_groups_overdue_today_and_soon(seller, make_user):
    acme = customer("ACME", salesperson=seller)
    today = timezone.localdate()
    for days in (-3, 0, 0, 5, 30):
        FollowUp.objects.create(
            customer=acme, owner=seller, purpose=f"in {days}", due_date=today + dt.timedelta(days)
        )
    FollowUp.objects.create(
        customer=acme, owner=make_user("sales", username="wang"), purpose="not mine", due_date=today
    )
    groups = follow_ups_of(owner=seller, today=today)
    assert [len(groups[k]) for k in ("overdue", "today", "soon")] == [1, 2, 1]
    client = Client()
    client.force_login(seller)
    page = client.get(reverse("crm:followup-list")).content.decode()
    assert "in -3" in page and "not mine" not in page
    first = groups["today"][0]
    answer = client.post(
        reverse("crm:followup-done", args=[first.pk]),
        {"outcome": "Done by phone", "schedule_next": "on"},
    )
    assert answer.status_code == 302
    assert FollowUp.objects.filter(purpose="in 0", status="open").count() == 2  # one new


def test_a_manager_sees_anyones_list(seller, make_user):
    acme = customer("ACME", salesperson=seller)
    FollowUp.objects.create(
        customer=acme, owner=seller, purpose="Visit by Li", due_date=timezone.localdate()
    )
    client = Client()
    client.force_login(make_user("manager"))
    page = client.get(reverse("crm:followup-list"), {"owner": "li"}).content.decode()
    assert "Visit by Li" in page
    sales = Client()
    sales.force_login(make_user("sales", username="wang"))
    assert (
        "Visit by Li"
        not in sales.get(reverse("crm:followup-list"), {"owner": "li"}).content.decode()
    )


def test_schedule_from_the_page(seller):
    customer("ACME", salesperson=seller)
    client = Client()
    client.force_login(seller)
    url = reverse("crm:followup-create", args=["ACME"])
    page = client.get(url).content.decode()
    assert "every 60 days" in page  # not ranked yet
    answer = client.post(url, {"purpose": "Bring samples", "due_date": "", "owner": ""})
    assert answer.status_code == 302
    assert FollowUp.objects.get().owner == seller


def test_care_list_birthdays_anniversaries_holidays(seller):
    today = dt.date(2026, 3, 5)
    acme = customer("ACME", salesperson=seller)
    customer("OTHER")
    Contact.objects.create(customer=acme, name="Wang", birthday=dt.date(1980, 3, 9))
    Contact.objects.create(customer=acme, name="Zhao", birthday=dt.date(1980, 4, 9))
    Contact.objects.create(
        customer=customer("OTHER"), name="Not mine", birthday=dt.date(1980, 3, 6)
    )
    SalesOrder.objects.create(order_no="FIRST", customer=acme, order_date=dt.date(2023, 3, 7))
    SalesOrder.objects.create(order_no="LATER", customer=acme, order_date=dt.date(2024, 3, 6))
    Holiday.objects.create(date=dt.date(2026, 3, 8), name="Women's Day")
    events = care_events(salesperson=seller, today=today)
    assert [(e.day, e.kind, e.text) for e in events] == [
        (dt.date(2026, 3, 7), "anniversary", "3"),
        (dt.date(2026, 3, 8), "holiday", "Women's Day"),
        (dt.date(2026, 3, 9), "birthday", "Wang"),
    ]
