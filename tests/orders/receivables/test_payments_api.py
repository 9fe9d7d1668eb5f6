"""REST of payments (CONTRACT.md section 8): POST /api/v1/payments/ answers 201 with the
payment, its allocations and what is left unallocated; bad input is a 400 with field
messages, over-allocating a 409 (both write nothing); lists paginated, filtered and in a
fixed number of queries; managers post, sales reads its own customers', others 403."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from erp.roles import Role
from orders.receivables.models import Allocation, Invoice, Payment
from tests.clock import in_days, iso_in_days, today
from tests.factories import CustomerFactory
from tests.orders.receivables.factories import invoice

D = Decimal
pytestmark = pytest.mark.django_db
URL = "/api/v1/payments/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def shop(make_user):
    seller = make_user(Role.SALES.value, username="seller")
    acme = CustomerFactory(code="ACME", salesperson=seller)
    other = CustomerFactory(code="OTHER")
    a = invoice(acme, on=in_days(-40), due=in_days(-10), gross="100.00", invoice_no="INV-A")
    b = invoice(acme, on=in_days(-20), due=in_days(10), gross="200.00", invoice_no="INV-B")
    invoice(acme, on=in_days(-5), gross="50.00", invoice_no="INV-X", status="cancelled")
    invoice(other, on=in_days(-5), gross="70.00", invoice_no="INV-O")
    return {
        "seller": seller,
        "acme": acme,
        "other": other,
        "a": a,
        "b": b,
        "manager": client_for(make_user(Role.MANAGER.value, username="accountant")),
        "sales": client_for(seller),
    }


def test_post_allocates_earliest_due_first_and_answers_201(shop):
    answer = shop["manager"].post(
        URL,
        {"customer": "ACME", "date": today().isoformat(), "amount": "250.00", "method": "bank"},
        format="json",
    )
    assert answer.status_code == 201, answer.data
    body = answer.json()
    assert body["payment_no"].startswith("RCV-")
    assert body["customer"] == "ACME" and body["date"] == today().isoformat()
    assert (body["amount"], body["allocated_amount"], body["unallocated_amount"]) == (
        "250.00",
        "250.00",
        "0.00",
    )
    assert [(r["invoice"], r["amount"]) for r in body["allocations"]] == [
        ("INV-A", "100.00"),
        ("INV-B", "150.00"),
    ]
    assert body["status"] == "posted" and body["reversal"] is None
    assert body["created_by"] == "accountant"


def test_post_leftover_is_unallocated_and_chosen_allocations(shop):
    answer = shop["manager"].post(
        URL,
        {
            "customer": "ACME",
            "date": today().isoformat(),
            "amount": 400,
            "allocations": [{"invoice": "INV-B", "amount": "20.5"}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.data
    assert answer.data["unallocated_amount"] == "379.50"
    assert [(r["invoice"], r["amount"]) for r in answer.data["allocations"]] == [("INV-B", "20.50")]
    number = answer.data["payment_no"]
    more = shop["manager"].post(f"{URL}{number}/allocate/", {}, format="json")
    assert more.status_code == 200, more.data
    assert more.data["unallocated_amount"] == "100.00"  # A 100, B 179.50 more
    assert Invoice.objects.get(invoice_no="INV-A").status == "paid"


@pytest.mark.parametrize(
    "body, field, code",
    [
        ({"customer": "NOPE", "amount": "10"}, "customer", 400),
        ({"amount": "0"}, "amount", 400),
        ({"amount": "-3"}, "amount", 400),
        ({"amount": "ten"}, "amount", 400),
        ({"amount": "1.234"}, "amount", 400),
        ({"date": "2026-13-45"}, "date", 400),
        ({"customer": ""}, "customer", 400),
        ({"allocations": [{"invoice": "INV-X", "amount": "10"}]}, "allocations", 400),
        ({"allocations": [{"invoice": "INV-O", "amount": "10"}]}, "allocations", 400),
        ({"allocations": [{"invoice": "INV-A"}]}, "allocations", 400),
        # Over-allocating is a conflict with the invoice's open amount: 409.
        ({"allocations": [{"invoice": "INV-A", "amount": "100.01"}]}, "allocations", 409),
        (
            {"amount": "50", "allocations": [{"invoice": "INV-B", "amount": "60"}]},
            "allocations",
            409,
        ),
    ],
)
def test_bad_input_answers_with_field_messages_and_writes_nothing(shop, body, field, code):
    data = {"customer": "ACME", "date": today().isoformat(), "amount": "200.00", **body}
    answer = shop["manager"].post(URL, data, format="json")
    assert answer.status_code == code, answer.data
    assert field in answer.data, answer.data
    assert not Payment.objects.exists() and not Allocation.objects.exists()
    assert set(Invoice.objects.values_list("allocated_amount", flat=True)) == {D("0")}


def test_reverse_restores_the_invoices_and_a_second_is_409(shop):
    paid = shop["manager"].post(
        URL, {"customer": "ACME", "date": today().isoformat(), "amount": "120"}, format="json"
    )
    number = paid.data["payment_no"]
    answer = shop["manager"].post(
        f"{URL}{number}/reverse/", {"date": iso_in_days(1), "reason": "bounced"}, format="json"
    )
    assert answer.status_code == 200, answer.data
    assert answer.data["status"] == "reversed" and answer.data["allocated_amount"] == "0.00"
    assert answer.data["reversal"]["reversal_no"].startswith("RVS-")
    assert [(r["invoice"], r["amount"], r["reversal"] is not None) for r in
            answer.data["allocations"]] == [
        ("INV-A", "100.00", False),
        ("INV-B", "20.00", False),
        ("INV-A", "-100.00", True),
        ("INV-B", "-20.00", True),
    ]  # fmt: skip
    assert set(Invoice.objects.filter(status="open").values_list("allocated_amount", flat=True)) == {
        D("0")
    }  # fmt: skip
    again = shop["manager"].post(
        f"{URL}{number}/reverse/", {"date": iso_in_days(1), "reason": "again"}, format="json"
    )
    assert again.status_code == 409 and "already reversed" in again.data["detail"]
    missing = shop["manager"].post(f"{URL}{number}/reverse/", {"date": iso_in_days(1)})
    assert missing.status_code == 400 and "reason" in missing.data


def test_idempotency_key_applies_a_retry_once(shop):
    data = {"customer": "ACME", "date": today().isoformat(), "amount": "10.00"}
    first = shop["manager"].post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    again = shop["manager"].post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == again.status_code == 201
    assert first.data["payment_no"] == again.data["payment_no"]
    assert Payment.objects.count() == 1


def _pay(client, amount, customer="ACME", days=0):
    answer = client.post(
        URL, {"customer": customer, "date": iso_in_days(days), "amount": amount}, format="json"
    )
    assert answer.status_code == 201, answer.data
    return answer.data["payment_no"]


def test_lists_paginated_filtered_and_scoped(shop, django_assert_max_num_queries):
    manager, sales = shop["manager"], shop["sales"]
    for n in range(6):
        _pay(manager, f"{n + 1}0.00", days=-n)
    _pay(manager, "5.00", customer="OTHER")
    with django_assert_max_num_queries(6):
        everything = manager.get(URL, {"page_size": 3})
    assert everything.status_code == 200
    assert everything.data["count"] == 7 and len(everything.data["results"]) == 3
    with django_assert_max_num_queries(6):
        assert manager.get(URL, {"page_size": 100}).status_code == 200
    assert manager.get(URL, {"customer": "OTHER"}).data["count"] == 1
    assert manager.get(URL, {"date": iso_in_days(-1)}).data["count"] == 1
    assert manager.get(URL, {"date_from": iso_in_days(-2)}).data["count"] == 4
    assert manager.get(URL, {"date": "not-a-date"}).status_code == 400
    # sales sees its own customers' payments only
    mine = sales.get(URL)
    assert mine.status_code == 200 and {p["customer"] for p in mine.data["results"]} == {"ACME"}
    other_no = Payment.objects.get(customer__code="OTHER").payment_no
    assert sales.get(f"{URL}{other_no}/").status_code == 404
    acme_no = mine.data["results"][0]["payment_no"]
    assert sales.get(f"{URL}{acme_no}/").data["payment_no"] == acme_no

    with django_assert_max_num_queries(6):
        rows = manager.get("/api/v1/allocations/", {"page_size": 100})
    assert (
        rows.status_code == 200 and rows.data["count"] == 7
    )  # 10+20+30+40 to INV-A, 50, 60 to INV-B
    assert rows.data["results"][0].keys() >= {"invoice", "payment", "amount", "date"}
    assert manager.get("/api/v1/allocations/", {"invoice": "INV-B"}).data["count"] == 2
    assert manager.get("/api/v1/allocations/", {"customer": "OTHER"}).data["count"] == 1
    assert manager.get("/api/v1/allocations/", {"payment": acme_no}).status_code == 200
    assert sales.get("/api/v1/allocations/").data["count"] == 6


def test_roles(shop, make_user):
    warehouse = client_for(make_user(Role.WAREHOUSE.value, username="clerk"))
    assert warehouse.get(URL).status_code == 403
    assert warehouse.get("/api/v1/allocations/").status_code == 403
    data = {"customer": "ACME", "date": today().isoformat(), "amount": "10"}
    assert warehouse.post(URL, data, format="json").status_code == 403
    assert shop["sales"].post(URL, data, format="json").status_code == 403
    number = _pay(shop["manager"], "10")
    assert shop["sales"].post(f"{URL}{number}/allocate/", {}).status_code == 403
    reverse = {"date": today().isoformat(), "reason": "x"}
    assert shop["sales"].post(f"{URL}{number}/reverse/", reverse).status_code == 403
    admin = client_for(make_user(Role.ADMIN.value, username="boss"))
    assert admin.post(URL, data, format="json").status_code == 201
    assert APIClient().get(URL).status_code == 401
