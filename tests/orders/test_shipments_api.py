"""Shipments through REST (`/api/v1/shipments/`) and the pages (ship an order, the printed
delivery note): shape, unit cost for managers only, refusals, idempotency, roles, queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Shipment
from orders.services.shipments import ship
from tests.orders.warehouse_support import build_floor, moves_count, stock

D = Decimal
URL = "/api/v1/shipments/"


@pytest.fixture
def floor(db, make_user):
    return build_floor(make_user)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_post_ships_a_delivery(floor):
    response = api(floor["clerk"]).post(
        URL,
        {
            "order_no": "SO1",
            "warehouse": "MAIN",
            "ship_date": "2026-03-10",
            "lines": [{"line": 1, "quantity": "20"}, {"line": 2, "quantity": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    delivery = response.json()
    assert delivery["delivery_no"].startswith("DN-") and delivery["order_no"] == "SO1"
    assert delivery["ship_date"] == "2026-03-10" and delivery["warehouse"] == "MAIN"
    rows = delivery["shipments"]
    assert [(r["line"], r["item"], r["quantity"]) for r in rows] == [
        (1, "F", "20.000000"),
        (2, "F", "4.000000"),
    ]
    assert "unit_cost" not in rows[0]  # a clerk does not see costs
    assert stock(floor["f"]) == D("76")
    as_manager = api(floor["manager"]).get(URL).json()["results"]
    assert {r["unit_cost"] for r in as_manager} == {"60.000000"}


def test_refusals_have_detail(floor):
    clerk = api(floor["clerk"])
    too_much = clerk.post(
        URL, {"order_no": "SO1", "lines": [{"line": 2, "quantity": "11"}]}, format="json"
    )
    assert too_much.status_code == 409 and "10 pcs open" in too_much.json()["detail"]
    floor["order"].lines.filter(line=1).update(quantity=D("500"))
    no_stock = clerk.post(
        URL, {"order_no": "SO1", "lines": [{"line": 1, "quantity": "101"}]}, format="json"
    )
    assert no_stock.status_code == 409 and "Not enough F" in no_stock.json()["detail"]
    for bad in (
        {},
        {"order_no": "SO1", "lines": []},
        {"order_no": "SO1", "lines": "all"},
        {"order_no": "SO1", "lines": [{"line": -1, "quantity": "1"}]},
        {"order_no": "SO1", "lines": [{"line": 1, "quantity": "abc"}]},
        {"order_no": "SO1", "lines": [{"line": 1, "quantity": "1e999"}]},
        {"order_no": "SO1", "ship_date": "yesterday", "lines": [{"line": 1, "quantity": "1"}]},
        {"order_no": "SO1", "lines": [{"line": 1, "quantity": "1.5"}]},
        {"order_no": "NOPE", "lines": [{"line": 1, "quantity": "1"}]},
    ):
        response = clerk.post(URL, bad, format="json")
        assert response.status_code == 400, (bad, response.content)
        assert response.json()["detail"]
    assert Shipment.objects.count() == 0


def test_idempotent_retry_ships_once(floor):
    clerk = api(floor["clerk"])
    data = {"order_no": "SO1", "lines": [{"line": 1, "quantity": "5"}]}
    first = clerk.post(URL, data, format="json", headers={"Idempotency-Key": "dn-1"})
    again = clerk.post(URL, data, format="json", headers={"Idempotency-Key": "dn-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Shipment.objects.count() == 1 and stock(floor["f"]) == D("95")


@pytest.mark.parametrize("role", ["sales", "purchasing", "production", "quality", "manager"])
def test_only_the_warehouse_ships(api_client_for, floor, role):
    client = api_client_for(role)
    response = client.post(
        URL, {"order_no": "SO1", "lines": [{"line": 1, "quantity": "1"}]}, format="json"
    )
    assert response.status_code == 403 and Shipment.objects.count() == 0
    assert client.get(URL).status_code == 200


def test_list_filters_and_queries(floor, django_assert_max_num_queries):
    for _ in range(6):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("1")), (2, D("1"))])
    client = api(floor["manager"])
    with django_assert_max_num_queries(8):
        listed = client.get(URL).json()
    assert listed["count"] == 12
    first_dn = listed["results"][-1]["delivery_no"]
    assert client.get(URL, {"delivery_no": first_dn}).json()["count"] == 2
    assert client.get(URL, {"order_no": "SO1", "item": "F"}).json()["count"] == 12
    assert client.get(URL, {"customer": "nobody"}).json()["count"] == 0
    assert client.get(URL, {"ship_date_from": "not-a-date"}).status_code == 400
    one = listed["results"][0]
    assert client.get(f"{URL}{one['id']}/").json() == one


def test_shipping_from_the_page_prints_the_delivery_note(client, floor):
    client.force_login(floor["clerk"])
    page = client.get(reverse("orders:shipment-create"), {"order": "SO1"})
    assert page.status_code == 200 and 'name="qty-1"' in text(page)
    response = client.post(
        reverse("orders:shipment-create"),
        {
            "order": "SO1",
            "warehouse": "MAIN",
            "ship_date": "2026-03-10",
            "qty-1": "12",
            "qty-2": "",
        },
    )
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert response["Location"] == reverse("orders:delivery-detail", args=[shipment.delivery_no])
    note = text(client.get(response["Location"]))
    assert "Delivery note" in note and shipment.delivery_no in note and "data-print" in note
    assert "Unit cost" not in note  # the clerk sees no cost
    client.force_login(floor["manager"])
    assert "Unit cost" in text(client.get(response["Location"]))


def test_a_page_refusal_is_a_form_error(client, floor):
    client.force_login(floor["clerk"])
    before = moves_count()
    response = client.post(
        reverse("orders:shipment-create"),
        {"order": "SO1", "warehouse": "MAIN", "ship_date": "2026-03-10", "qty-2": "11"},
    )
    assert response.status_code == 200
    assert "10 pcs open; 11 pcs asked" in text(response) and moves_count() == before
    bad = client.post(
        reverse("orders:shipment-create"),
        {"order": "SO1", "warehouse": "MAIN", "ship_date": "2026-03-10", "qty-1": "x"},
    )
    assert "is-invalid" in text(bad)
    assert client.get(reverse("orders:delivery-detail", args=["DN-0"])).status_code == 404


def test_sales_cannot_open_the_shipment_page(client, floor):
    client.force_login(floor["sales"])
    assert client.get(reverse("orders:shipment-create")).status_code == 403
