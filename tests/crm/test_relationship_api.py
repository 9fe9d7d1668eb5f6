"""The relationship endpoints: who may, the same rules as the pages (400/409 with the
reason), fixed query counts for lists."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from crm.models import Complaint, FollowUp, Interaction
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(api_client_for):
    customer("ACME")
    item("P1")
    return api_client_for("sales")


def test_log_a_quote_and_read_it_back(sales):
    answer = sales.post(
        "/api/v1/interactions/",
        {
            "customer": "ACME",
            "kind": "quote",
            "reason": "quotation",
            "subject": "Price list 2026",
            "quote_lines": [{"item": "P1", "unit_price": "12.5", "quantity": "100"}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["quote_lines"] == [
        {"item": "P1", "unit_price": "12.500000", "quantity": "100.000000"}
    ]
    assert answer.json()["logged_by"] == "sales_user"
    listed = sales.get("/api/v1/interactions/?customer=ACME").json()["results"]
    assert [i["subject"] for i in listed] == ["Price list 2026"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"customer": "NOPE", "kind": "call", "reason": "other", "subject": "x"}, "customer"),
        ({"customer": "ACME", "kind": "fax", "reason": "other", "subject": "x"}, "kind"),
        (
            {"customer": "ACME", "kind": "quote", "reason": "quotation", "subject": "x"},
            "quote_lines",
        ),
        (
            {
                "customer": "ACME",
                "kind": "quote",
                "reason": "quotation",
                "subject": "x",
                "quote_lines": [{"item": "P1", "unit_price": "-1"}],
            },
            "quote_lines",
        ),
        (
            {
                "customer": "ACME",
                "kind": "call",
                "reason": "other",
                "subject": "x",
                "order": "NOPE",
            },
            "order",
        ),
    ],
)
def test_bad_interactions_are_400(sales, body, field):
    answer = sales.post("/api/v1/interactions/", body, format="json")
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Interaction.objects.exists()


def test_the_log_is_append_only(sales):
    logged = sales.post(
        "/api/v1/interactions/",
        {"customer": "ACME", "kind": "call", "reason": "other", "subject": "x"},
        format="json",
    ).json()
    assert sales.delete(f"/api/v1/interactions/{logged['id']}/").status_code == 405
    assert sales.patch(f"/api/v1/interactions/{logged['id']}/", {}).status_code == 405


def test_follow_ups_schedule_complete_cancel(sales):
    made = sales.post(
        "/api/v1/follow-ups/", {"customer": "ACME", "purpose": "Visit"}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["owner"] == "sales_user"  # no salesperson: the one who scheduled
    done = sales.post(
        f"/api/v1/follow-ups/{made.json()['id']}/complete/",
        {"outcome": "Ordered 200"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    following = done.json()["next"]
    assert following["status"] == "open"
    again = sales.post(
        f"/api/v1/follow-ups/{made.json()['id']}/complete/", {"outcome": "x"}, format="json"
    )
    assert again.status_code == 409
    cancelled = sales.post(
        f"/api/v1/follow-ups/{following['id']}/cancel/", {"reason": "Moved"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    mine = sales.get("/api/v1/follow-ups/?owner=me&status=open").json()["results"]
    assert mine == []
    bad = sales.get("/api/v1/follow-ups/?due_before=soon")
    assert bad.status_code == 400


def test_complaints_through_their_states(api_client_for):
    customer("ACME")
    quality = api_client_for("quality")
    made = quality.post(
        "/api/v1/complaints/",
        {"customer": "ACME", "category": "quality", "severity": "high", "description": "Cracks"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    number = made.json()["number"]
    refused = quality.post(
        f"/api/v1/complaints/{number}/move/", {"status": "resolved"}, format="json"
    )
    assert refused.status_code == 400 and "root_cause" in refused.json()
    assert (
        quality.post(
            f"/api/v1/complaints/{number}/move/", {"status": "closed"}, format="json"
        ).status_code
        == 409
    )
    assert (
        quality.post(
            f"/api/v1/complaints/{number}/move/", {"status": "gone"}, format="json"
        ).status_code
        == 400
    )
    quality.patch(f"/api/v1/complaints/{number}/", {"root_cause": "Cold weld"}, format="json")
    resolved = quality.post(
        f"/api/v1/complaints/{number}/move/",
        {"status": "resolved", "action": "Re-welded"},
        format="json",
    )
    assert resolved.status_code == 200 and resolved.json()["resolution_hours"] is not None
    quality.post(f"/api/v1/complaints/{number}/move/", {"status": "closed"}, format="json")
    rated = quality.post(f"/api/v1/complaints/{number}/rate/", {"satisfaction": 4}, format="json")
    assert rated.json()["satisfaction"] == 4
    assert (
        quality.post(
            f"/api/v1/complaints/{number}/rate/", {"satisfaction": 9}, format="json"
        ).status_code
        == 400
    )
    assert Complaint.objects.get().status == "closed"


@pytest.mark.parametrize(
    ("role", "url", "read", "write"),
    [
        ("warehouse", "/api/v1/interactions/", 403, 403),
        ("quality", "/api/v1/interactions/", 200, 403),
        ("quality", "/api/v1/follow-ups/", 403, 403),
        ("production", "/api/v1/complaints/", 403, 403),
        ("manager", "/api/v1/complaints/", 200, 400),
    ],
)
def test_who_may(api_client_for, role, url, read, write):
    client = api_client_for(role)
    assert client.get(url).status_code == read
    assert client.post(url, {}, format="json").status_code == write
    assert APIClient().get(url).status_code == 401


def test_lists_have_fixed_query_counts(sales, django_assert_max_num_queries):
    for n in range(15):
        sales.post(
            "/api/v1/interactions/",
            {
                "customer": "ACME",
                "kind": "quote",
                "reason": "quotation",
                "subject": f"q{n}",
                "quote_lines": [{"item": "P1", "unit_price": "1"}],
            },
            format="json",
        )
        FollowUp.objects.create(
            customer=customer("ACME"),
            owner=FollowUp._meta.get_field("owner").related_model.objects.get(
                username="sales_user"
            ),
            purpose=f"f{n}",
            due_date=dt.date(2026, 5, 5),
        )
    with django_assert_max_num_queries(8):
        assert len(sales.get("/api/v1/interactions/").json()["results"]) == 15
    with django_assert_max_num_queries(8):
        assert len(sales.get("/api/v1/follow-ups/").json()["results"]) == 15
