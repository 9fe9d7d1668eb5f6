"""Complaints: open, investigating, resolved (with root cause and action, resolution time),
closed, then the customer's satisfaction; the trend per month, customer and product."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import Complaint
from crm.selectors_relationship import complaint_leaders, complaint_trend
from crm.services.complaints import (
    complaint_move,
    complaint_open,
    complaint_rate,
    complaint_update,
)
from erp.errors import ConflictError, DomainError
from orders.models import SalesOrder
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality(make_user):
    return make_user("quality", username="qc")


def open_one(user, **kwargs):
    args = {
        "user": user,
        "customer": customer("ACME"),
        "category": "quality",
        "severity": "high",
        "description": "Rust on welds",
        **kwargs,
    }
    return complaint_open(**args)


def test_the_life_of_a_complaint(quality):
    case = open_one(quality, item=item("PIPE"))
    assert case.number.startswith("CP-") and case.status == "open" and case.owner == quality
    with pytest.raises(DomainError, match="root cause"):
        complaint_move(complaint=case, user=quality, status="resolved")
    complaint_move(complaint=case, user=quality, status="investigating")
    case = complaint_move(
        complaint=case,
        user=quality,
        status="resolved",
        root_cause="Wrong wire in WELD-1",
        action="Wire changed; 40 pipes replaced",
    )
    assert case.resolved_at is not None and case.resolution_time is not None
    with pytest.raises(ConflictError, match="after the case is closed"):
        complaint_rate(complaint=case, user=quality, satisfaction=4)
    case = complaint_move(complaint=case, user=quality, status="closed")
    with pytest.raises(DomainError, match="1 to 5"):
        complaint_rate(complaint=case, user=quality, satisfaction=6)
    assert complaint_rate(complaint=case, user=quality, satisfaction=4).satisfaction == 4
    with pytest.raises(ConflictError, match="cannot become"):
        complaint_move(complaint=case, user=quality, status="open")
    with pytest.raises(ConflictError, match="closed"):
        complaint_update(complaint=case, user=quality, severity="low")


def test_reopening_a_resolved_case_clears_the_resolution(quality):
    case = open_one(quality)
    complaint_move(complaint=case, user=quality, status="resolved", root_cause="a", action="b")
    case = complaint_move(complaint=case, user=quality, status="investigating")
    assert case.resolved_at is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "smell"}, "Unknown category"),
        ({"severity": "urgent"}, "Unknown severity"),
        ({"description": "  "}, "what the customer says"),
    ],
)
def test_bad_complaints_are_refused(quality, kwargs, message):
    with pytest.raises(DomainError, match=message):
        open_one(quality, **kwargs)
    assert not Complaint.objects.exists()


def test_the_order_must_be_the_customers(quality):
    other = SalesOrder.objects.create(
        order_no="SO-O", customer=customer("OTHER"), order_date=dt.date(2026, 1, 1)
    )
    with pytest.raises(DomainError, match="another customer"):
        open_one(quality, order=other)


def test_trend_per_month_customer_and_product(quality):
    today = timezone.localdate()
    for n, (code, product) in enumerate([("ACME", "PIPE"), ("ACME", "PIPE"), ("BETA", "BOLT")]):
        case = complaint_open(
            user=quality,
            customer=customer(code),
            category="quality",
            severity="low",
            description=f"case {n}",
            item=item(product),
        )
        if n == 0:
            Complaint.objects.filter(pk=case.pk).update(
                opened_at=timezone.now() - dt.timedelta(days=40)
            )
    trend = complaint_trend(today=today)
    assert len(trend) == 12 and trend[-1]["count"] >= 2 and sum(r["count"] for r in trend) == 3
    leaders = complaint_leaders(today=today, by="customer")
    assert [(r["code"], r["total"], r["open"]) for r in leaders] == [("ACME", 2, 2), ("BETA", 1, 1)]
    assert complaint_leaders(today=today, by="item")[0]["code"] == "PIPE"


def test_pages(quality, make_user):
    client = Client()
    client.force_login(quality)
    customer("ACME")
    answer = client.post(
        reverse("crm:complaint-create"),
        {
            "customer": "ACME",
            "order": "",
            "item": "",
            "category": "delivery",
            "severity": "medium",
            "description": "Late again",
            "owner": "",
        },
    )
    assert answer.status_code == 302
    case = Complaint.objects.get()
    detail = reverse("crm:complaint-detail", args=[case.number])
    assert "Late again" in client.get(detail).content.decode()
    refused = client.post(
        reverse("crm:complaint-work", args=[case.number]),
        {"status": "resolved", "root_cause": "", "action": ""},
        follow=True,
    )
    assert "root cause" in refused.content.decode()
    client.post(
        reverse("crm:complaint-work", args=[case.number]),
        {"status": "resolved", "root_cause": "Truck", "action": "New carrier"},
    )
    client.post(reverse("crm:complaint-work", args=[case.number]), {"status": "closed"})
    client.post(reverse("crm:complaint-satisfaction", args=[case.number]), {"satisfaction": "5"})
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == ("closed", 5)
    listing = client.get(reverse("crm:complaint-list"), {"status": "closed"}).content.decode()
    assert case.number in listing
    unknown = client.post(
        reverse("crm:complaint-create"),
        {"customer": "NOPE", "category": "quality", "severity": "low", "description": "x"},
    )
    assert "There is no customer NOPE" in unknown.content.decode()
    warehouse = Client()
    warehouse.force_login(make_user("warehouse"))
    assert warehouse.get(reverse("crm:complaint-list")).status_code == 403
