"""Contact slip pages: raise by hand, propose from attainment, decide; open slips age
visibly; who may."""

import datetime as dt

import pytest
from django.urls import reverse

from production.models import ContactSlip
from production.services.contact import contact_slip_raise
from production.services.daily import DailyRow, daily_report_save
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    iso,
    order_line,
)


@pytest.fixture
def floor(db, make_user):
    grant_plan_permissions()
    floor = build_floor()
    sales, production = make_user("sales"), make_user("production")
    floor.line = order_line("SO-1", floor.items["A"], 80, due=day(2))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=production, plan=plan)
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[DailyRow(order_line=floor.line, process=floor.processes["CUT"], good_quantity="10")],
    )
    return floor


@pytest.fixture
def login(client, make_user):
    def as_(role):
        user = make_user(role)
        client.force_login(user)
        return user

    return as_


def test_raise_by_hand_then_sales_decides(client, floor, login):
    login("production")
    response = client.post(
        reverse("production:contact-slip-new"),
        {"order": "SO-1", "line": "1", "reason": "Short of hands"},
    )
    slip = ContactSlip.objects.get()
    assert response.url == reverse("production:contact-slip-detail", args=[slip.number])
    bad = client.post(reverse("production:contact-slip-new"), {"order": "NOPE", "reason": "x"})
    assert "There is no order NOPE" in bad.content.decode()
    page = client.get(response.url).content.decode()
    assert "Short of hands" in page and 'data-testid="decide-form"' not in page

    login("sales")
    page = client.get(response.url).content.decode()
    assert 'data-testid="decide-form"' in page
    decide = reverse("production:contact-slip-decide", args=[slip.number])
    response = client.post(
        decide, {"decision": "accept_delay", "new_promised_date": iso(18)}, follow=True
    )
    assert "customer informed" in response.content.decode()
    client.post(
        decide,
        {"decision": "accept_delay", "new_promised_date": iso(18), "customer_informed": "on"},
    )
    slip.refresh_from_db()
    assert (slip.status, slip.new_promised_date) == ("decided", day(18))
    page = client.get(
        reverse("production:contact-slip-detail", args=[slip.number])
    ).content.decode()
    assert 'data-testid="slip-decision"' in page and slip.order_change.number in page


def test_propose_from_attainment_and_ages_in_the_list(
    client, floor, login, make_user, django_assert_max_num_queries
):
    login("production")
    response = client.post(
        reverse("production:contact-slip-propose"), {"date": iso(0), "threshold": "10"}
    )
    assert response.url == reverse("production:contact-slip-list")
    slip = ContactSlip.objects.get()
    assert slip.proposed_automatically
    ContactSlip.objects.filter(pk=slip.pk).update(created_at=slip.created_at - dt.timedelta(days=6))
    for n in range(5):
        line = order_line(f"SO-X{n}", floor.items["A"], 5, due=day(2))
        contact_slip_raise(user=make_user("production"), order=line.order, reason="x")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("production:contact-slip-list")).content.decode()
    assert "open 6 days" in page and "text-bg-danger" in page
    assert page.count('data-testid="slip-age"') == 6


def test_who_may(client, floor, login):
    login("sales")
    assert client.get(reverse("production:contact-slip-new")).status_code == 403
    assert client.post(reverse("production:contact-slip-propose")).status_code == 403
    login("production")
    slip = contact_slip_raise(user=None, order=floor.line.order, reason="x", automatic=True)
    response = client.post(
        reverse("production:contact-slip-decide", args=[slip.number]), {"decision": "replan"}
    )
    assert response.status_code == 403
    assert (
        client.get(reverse("production:contact-slip-detail", args=["CS-NONE"])).status_code == 404
    )
