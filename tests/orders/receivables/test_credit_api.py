"""REST of the credit check: POST /orders/{no}/confirm/ answers 202 with the hold;
/api/v1/credit-approvals/ lists (paginated, filtered, sales sees its own) and decides
(managers only, reason required to reject, 409 when decided twice)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from erp.models import Notification
from orders.models import OrderStatus
from orders.receivables.models import CreditApproval
from tests.factories import CustomerFactory
from tests.orders.receivables.credit_support import (
    build_credit_shop,
    confirm,
    credit_settings,
    draft,
)

D = Decimal
APPROVALS = "/api/v1/credit-approvals/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contract_settings():
    with credit_settings():
        yield


@pytest.fixture
def credit_shop(db, make_user):
    return build_credit_shop(make_user)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def held(credit_shop):
    credit_shop["customer"].credit_limit = D("100")
    credit_shop["customer"].save()
    order = confirm(credit_shop, draft(credit_shop))
    return CreditApproval.objects.get(order=order)


def test_confirm_answers_202_with_the_hold(credit_shop):
    credit_shop["customer"].credit_limit = D("100")
    credit_shop["customer"].save()
    order = draft(credit_shop)
    response = api(credit_shop["sales"]).post(f"/api/v1/orders/{order.order_no}/confirm/")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "credit_hold"
    assert response.json()["confirmed_at"] is None
    # Under the limit: 200, confirmed.
    credit_shop["customer"].credit_limit = D("0")
    credit_shop["customer"].save()
    other = draft(credit_shop)
    response = api(credit_shop["sales"]).post(f"/api/v1/orders/{other.order_no}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def test_list_shape_and_filters(credit_shop, held):
    response = api(credit_shop["manager"]).get(APPROVALS, {"decision": "pending"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row == {
        "id": held.pk,
        "order": held.order.order_no,
        "order_status": "credit_hold",
        "customer": "C1",
        "salesperson": "lin",
        "order_value": "706.25",
        "exposure": "0.00",
        "credit_limit": "100.00",
        "overdue_days": 0,
        "over_limit": True,
        "overdue": False,
        "open_invoices": 0,
        "overdue_invoices": 0,
        "decision": "pending",
        "reason": "",
        "requested_by": "lin",
        "requested_at": row["requested_at"],
        "decided_by": None,
        "decided_at": None,
    }
    assert api(credit_shop["manager"]).get(APPROVALS, {"decision": "approved"}).json()["count"] == 0
    bad = api(credit_shop["manager"]).get(APPROVALS, {"decision": "maybe"})
    assert bad.status_code == 400


def test_sales_reads_its_own_only(credit_shop, held, make_user):
    other_sales = make_user("sales", username="wu")
    assert api(credit_shop["sales"]).get(APPROVALS).json()["count"] == 1
    assert api(other_sales).get(APPROVALS).json()["count"] == 0
    assert api(other_sales).get(f"{APPROVALS}{held.pk}/").status_code == 404
    assert api(credit_shop["warehouse"]).get(APPROVALS).status_code == 403


@pytest.mark.parametrize("role", ["sales", "warehouse"])
def test_only_managers_decide(credit_shop, held, role):
    client = api(credit_shop[role])
    assert client.post(f"{APPROVALS}{held.pk}/approve/", {}, format="json").status_code == 403
    response = client.post(f"{APPROVALS}{held.pk}/reject/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.decision == "pending"


def test_approve(credit_shop, held):
    response = api(credit_shop["manager"]).post(
        f"{APPROVALS}{held.pk}/approve/", {"reason": "Known customer"}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["decision"] == "approved" and data["order_status"] == "confirmed"
    assert data["decided_by"] == "boss" and data["reason"] == "Known customer"
    assert Notification.objects.filter(user=credit_shop["sales"]).count() == 1
    again = api(credit_shop["manager"]).post(f"{APPROVALS}{held.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    assert "already decided" in again.json()["detail"]


def test_reject_needs_a_reason(credit_shop, held):
    client = api(credit_shop["manager"])
    response = client.post(f"{APPROVALS}{held.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = client.post(f"{APPROVALS}{held.pk}/reject/", {"reason": "Unpaid"}, format="json")
    assert response.status_code == 200
    assert response.json()["decision"] == "rejected"
    assert response.json()["order_status"] == OrderStatus.DRAFT


def test_list_runs_a_fixed_number_of_queries(credit_shop, django_assert_max_num_queries):
    for n in range(6):
        customer = CustomerFactory(
            code=f"K{n}", salesperson=credit_shop["sales"], credit_limit=D("1")
        )
        confirm(credit_shop, draft(credit_shop, customer=customer))
    client = api(credit_shop["manager"])
    with django_assert_max_num_queries(8):
        response = client.get(APPROVALS)
    assert response.json()["count"] == 6
