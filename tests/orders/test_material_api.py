"""CONTRACT.md section 7: GET /api/v1/orders/{order_no}/requirements/ keeps its shape;
the order's material with availability; a requisition for its shortfall."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from erp.roles import Role
from materials.models import PurchaseRequisition
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import BomLineFactory, ItemFactory
from tests.orders.material_support import LATER, build_floor, order_of, purchase_line, put_stock

D = Decimal
CONTRACT_FIELDS = {
    "line",
    "item",
    "requirement",
    "picked",
    "returned_surplus",
    "returned_defective",
    "replenished",
    "pick_remaining",
    "replenish_remaining",
}


@pytest.fixture
def floor(db, make_user):
    floor = build_floor()
    floor.clerk = make_user("warehouse")
    return floor


def requirements(client, order_no="SO1"):
    return client.get(f"/api/v1/orders/{order_no}/requirements/")


def test_the_requirements_shape_and_values_after_picks_and_returns(floor, api_client_for):
    order_of("SO1", (floor.f, "50"))
    put_stock(floor.r, "100")
    put_stock(floor.s, "200")
    issue_slip(
        kind="pick",
        order_no="SO1",
        lines=[L(1, "R", D("40")), L(1, "S", D("100"))],
        user=floor.clerk,
    )
    issue_slip(
        kind="return",
        order_no="SO1",
        lines=[L(1, "R", D("3.5"), "defective"), L(1, "R", D("1.25"), "surplus")],
        user=floor.clerk,
    )
    issue_slip(kind="replenish", order_no="SO1", lines=[L(1, "R", D("1"))], user=floor.clerk)
    response = requirements(api_client_for(Role.SALES.value))
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, list) and len(body) == 2
    assert all(CONTRACT_FIELDS <= set(row) for row in body)
    rows = {row["item"]: row for row in body}
    assert {k: rows["R"][k] for k in CONTRACT_FIELDS} == {
        "line": 1,
        "item": "R",
        "requirement": "42.840",
        "picked": "40.000",
        "returned_surplus": "1.250",
        "returned_defective": "3.500",
        "replenished": "1.000",
        "pick_remaining": "4.090",  # 42.84 - (40 - 1.25)
        "replenish_remaining": "2.500",
    }
    assert {k: rows["S"][k] for k in CONTRACT_FIELDS} == {
        "line": 1,
        "item": "S",
        "requirement": "102",
        "picked": "100",
        "returned_surplus": "0",
        "returned_defective": "0",
        "replenished": "0",
        "pick_remaining": "2",
        "replenish_remaining": "0",
    }


def test_requirements_of_an_unknown_order_is_404(floor, api_client_for):
    response = requirements(api_client_for(Role.WAREHOUSE.value), "NOPE")
    assert response.status_code == 404


def test_requirements_need_a_role(floor, make_user):
    order_of("SO1", (floor.f, "50"))
    assert requirements(APIClient()).status_code == 401
    client = APIClient()
    client.force_authenticate(make_user())
    assert requirements(client).status_code == 403
    for role in Role.values:
        client = APIClient()
        client.force_authenticate(make_user(role))
        assert requirements(client).status_code == 200, role


def test_requirements_queries_do_not_grow_with_lines(
    floor, api_client_for, django_assert_max_num_queries
):
    items = []
    for n in range(20):
        item = ItemFactory(code=f"G{n:02d}", kind="finished")
        BomLineFactory(parent=item, component=floor.s, quantity=D("1"))
        items.append(item)
    order_of("SO1", *[(i, "3") for i in items[:2]])
    order_of("SO2", *[(i, "3") for i in items])
    client = api_client_for(Role.SALES.value)
    with CaptureQueriesContext(connection) as small:
        assert len(requirements(client, "SO1").json()) == 4
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(requirements(client, "SO2").json()) == 40


def test_the_material_endpoint_gives_status_and_availability(floor, api_client_for):
    order_of("SO1", (floor.f, "50", LATER))
    order_of("SO2", (floor.f, "10"))
    put_stock(floor.r, "50")
    purchase_line(floor.r, "30", received="5")
    response = api_client_for(Role.SALES.value).get("/api/v1/orders/SO1/material/")
    assert response.status_code == 200
    body = response.json()
    # SO2 first: 21 S to make, 8.82 kg R; SO1: 102 S to make, 42.84 kg R of 41.18 + 25
    assert body["order_no"] == "SO1" and body["material_status"] == "partly"
    r = next(row for row in body["rows"] if row["item"] == "R")
    assert (r["need"], r["from_stock"], r["on_order"], r["short"], r["status"]) == (
        "42.840",
        "41.180",
        "1.660",
        "0.000",
        "partly",
    )
    s = next(row for row in body["rows"] if row["item"] == "S")
    assert (s["need"], s["to_make"], s["short"], s["made"]) == ("102", "102", "0", True)


def test_the_material_controller_raises_a_requisition_for_the_shortfall(floor, api_client_for):
    order_of("SO1", (floor.f, "50"))
    client = api_client_for(Role.PURCHASING.value)
    url = "/api/v1/orders/SO1/material/requisition/"
    body = {"lines": [{"line": 1, "item": "R"}], "note": "urgent"}
    response = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="req-1")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source"] == "SO1" and created["note"] == "urgent"
    assert {(x["item"], x["quantity"]) for x in created["lines"]} == {("R", "42.840000")}
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="req-1")
    assert again.status_code == 201 and again.json()["number"] == created["number"]
    assert PurchaseRequisition.objects.count() == 1
    refused = client.post(url, {"lines": [{"line": 1, "item": "F"}]}, format="json")
    assert refused.status_code == 400 and "F (line 1) is made in-house" in refused.json()["detail"]
    assert client.post(url, {"lines": []}, format="json").status_code == 400
    assert (
        client.post("/api/v1/orders/NOPE/material/requisition/", body, format="json").status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.WAREHOUSE.value, Role.SALES.value, Role.MANAGER.value])
def test_only_the_material_controller_raises_requisitions(floor, api_client_for, role):
    order_of("SO1", (floor.f, "50"))
    response = api_client_for(role).post(
        "/api/v1/orders/SO1/material/requisition/",
        {"lines": [{"line": 1, "item": "R"}]},
        format="json",
    )
    assert response.status_code == 403
    assert not PurchaseRequisition.objects.exists()


def test_an_order_number_with_a_slash(floor, api_client_for):
    order_of("2026/07", (floor.f, "1"))
    response = api_client_for(Role.SALES.value).get("/api/v1/orders/2026/07/requirements/")
    assert response.status_code == 200
    assert {row["item"]: row["requirement"] for row in response.json()} == {
        "S": "3",  # 2.04 -> 3 pcs
        "R": "0.857",  # 2.04 x 0.42 = 0.8568 -> 0.857 kg
    }
