"""/api/v1/quotations/: sales follow-up and managers list, create with lines, read, edit,
send, accept, cancel and convert; other roles are refused; refusals are 400/409 with the
reason; lists run a fixed number of queries; a retried POST with its Idempotency-Key is
applied once."""

from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models_quotations import Quotation
from orders.models import SalesOrder
from tests.clock import iso_in_days, today
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db

URL = "/api/v1/quotations/"


@pytest.fixture
def sales(make_user):
    user = make_user("sales", username="li")
    customer("ACME", salesperson=user)
    item("P1")
    item("K", decimals=3, uom="kg")
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(**overrides) -> dict:
    return {
        "customer": "ACME",
        "valid_until": iso_in_days(30),
        "delivery_days": 10,
        "lines": [
            {"item": "P1", "quantity": "100", "unit_price": "12.5"},
            {"item": "K", "quantity": "2.125", "unit_price": "3", "discount_percent": "10"},
        ],
        **overrides,
    }


def test_create_read_and_list(sales):
    made = sales.post(URL, _body(), format="json")
    assert made.status_code == 201, made.json()
    answer = made.json()
    assert answer["status"] == "draft"
    assert answer["salesperson"] == "li"
    assert answer["total"] == "1255.74"
    assert answer["quote_date"] == today().isoformat()
    assert [(ln["line"], ln["item"], ln["net_price"], ln["amount"]) for ln in answer["lines"]] == [
        (1, "P1", "12.500000", "1250.00"),
        (2, "K", "2.700000", "5.74"),
    ]
    number = answer["number"]
    assert sales.get(f"{URL}{number}/").json()["number"] == number
    listed = sales.get(URL, {"customer": "ACME", "status": "open"}).json()
    assert [q["number"] for q in listed["results"]] == [number]
    assert sales.get(URL, {"status": "cancelled"}).json()["results"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": "NOPE"}, "customer"),
        ({"valid_until": None}, "valid_until"),
        ({"lines": []}, "lines"),
        ({"lines": [{"item": "P1", "quantity": "1.5"}]}, "lines"),
        ({"lines": [{"item": "NOPE", "quantity": "1"}]}, "lines"),
        ({"lines": [{"item": "P1", "quantity": "1", "discount_percent": "150"}]}, "lines"),
        ({"valid_until": iso_in_days(-1), "quote_date": iso_in_days(0)}, "valid_until"),
    ],
)
def test_bad_quotations_are_400_with_the_field(sales, change, field):
    answer = sales.post(URL, _body(**change), format="json")
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Quotation.objects.exists()


def test_bad_filters_are_400(sales):
    assert sales.get(URL, {"status": "lost"}).status_code == 400
    assert sales.get(URL, {"expiring_within": "soon"}).status_code == 400


def test_send_accept_convert_and_refuse_again(sales):
    number = sales.post(URL, _body(), format="json").json()["number"]
    assert sales.post(f"{URL}{number}/send/").json()["status"] == "sent"
    edited = sales.patch(f"{URL}{number}/", {"notes": "Revised"}, format="json")
    assert edited.status_code == 200 and edited.json()["notes"] == "Revised"
    assert sales.post(f"{URL}{number}/accept/").json()["status"] == "accepted"
    assert sales.patch(f"{URL}{number}/", {"notes": "x"}, format="json").status_code == 409
    converted = sales.post(f"{URL}{number}/convert/", {"customer_po": "PO-1"}, format="json")
    assert converted.status_code == 201, converted.json()
    order = SalesOrder.objects.get(order_no=converted.json()["order_no"])
    assert [ol.unit_price for ol in order.lines.order_by("line")] == [
        Decimal("12.5"),
        Decimal("2.7"),
    ]
    read = sales.get(f"{URL}{number}/").json()
    assert (read["status"], read["order"]) == ("converted", order.order_no)
    again = sales.post(f"{URL}{number}/convert/", {}, format="json")
    assert again.status_code == 409 and "already converted" in again.json()["detail"]
    assert SalesOrder.objects.count() == 1


def test_expired_and_cancelled_are_refused_409(sales):
    expired = sales.post(
        URL, _body(quote_date=iso_in_days(-20), valid_until=iso_in_days(-1)), format="json"
    ).json()
    assert expired["status"] == "expired"
    refused = sales.post(f"{URL}{expired['number']}/convert/", {}, format="json")
    assert refused.status_code == 409 and "expired" in refused.json()["detail"]
    number = sales.post(URL, _body(), format="json").json()["number"]
    no_reason = sales.post(f"{URL}{number}/cancel/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    cancelled = sales.post(f"{URL}{number}/cancel/", {"reason": "Lost"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    assert sales.post(f"{URL}{number}/convert/", {}, format="json").status_code == 409
    assert not SalesOrder.objects.exists()


def test_a_retried_convert_is_applied_once(sales):
    number = sales.post(URL, _body(), format="json").json()["number"]
    first = sales.post(f"{URL}{number}/convert/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    second = sales.post(f"{URL}{number}/convert/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert SalesOrder.objects.count() == 1


def test_a_warehouse_token_is_refused(make_user, sales):
    number = sales.post(URL, _body(), format="json").json()["number"]
    clerk = make_user("warehouse", username="wh")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{number}/").status_code == 403
    assert client.post(URL, _body(), format="json").status_code == 403
    assert client.post(f"{URL}{number}/convert/", {}, format="json").status_code == 403
    assert APIClient().get(URL).status_code == 401
    assert Quotation.objects.count() == 1


def test_another_salesperson_does_not_see_it(make_user, sales):
    number = sales.post(URL, _body(), format="json").json()["number"]
    other = APIClient()
    other.force_authenticate(make_user("sales", username="zhou"))
    assert other.get(f"{URL}{number}/").status_code == 404
    assert other.get(URL).json()["results"] == []
    assert other.post(f"{URL}{number}/convert/", {}, format="json").status_code == 404
    boss = APIClient()
    boss.force_authenticate(make_user("manager", username="boss"))
    assert boss.get(f"{URL}{number}/").status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(sales, django_assert_max_num_queries):
    for n in range(12):
        item(f"X{n}")
        sales.post(
            URL,
            _body(lines=[{"item": f"X{n}", "quantity": "1"}, {"item": "P1", "quantity": "2"}]),
            format="json",
        )
    with django_assert_max_num_queries(8):
        answer = sales.get(URL)
    assert answer.json()["count"] == 12
