"""REST: requisitions, purchase orders, receipts. Permissions by role, refusals as 400/409,
idempotent retries, purchase prices hidden from the warehouse, fixed query counts."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from erp.roles import Role
from materials.models import GoodsReceipt, PurchaseOrder, PurchaseRequisition, StockMove
from materials.services import purchasing as p
from materials.services import receipts
from tests.clock import in_days, iso_in_days
from tests.factories import ItemFactory, SupplierFactory, WarehouseFactory
from tests.orders.material_support import build_floor, purchase_line

D = Decimal
W, P, S, M = Role.WAREHOUSE.value, Role.PURCHASING.value, Role.SALES.value, Role.MANAGER.value


@pytest.fixture
def floor(db, make_user):
    floor = build_floor()
    floor.buyer = make_user(P)
    return floor


@pytest.fixture
def buyer(api_client_for):
    return api_client_for(P)


@pytest.fixture
def clerk(api_client_for):
    return api_client_for(W)


def new_requisition(client, **extra):
    body = {
        "source": "SO1",
        "lines": [
            {"item": "R", "quantity": "27.84", "need_date": iso_in_days(30), "supplier": "SUP1"},
            {"item": "S", "quantity": "10", "need_date": iso_in_days(30)},
        ],
        **extra,
    }
    return client.post("/api/v1/requisitions/", body, format="json")


def new_purchase_order(client, quantity="30", price="3.5"):
    body = {
        "supplier": "SUP1",
        "lines": [
            {"item": "R", "quantity": quantity, "due_date": iso_in_days(30), "unit_price": price}
        ],
    }
    return client.post("/api/v1/purchase-orders/", body, format="json")


def receive(client, po_no, quantity, line=1, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {"po_no": po_no, "line": line, "quantity": quantity, **extra}
    return client.post("/api/v1/receipts/", body, format="json", **headers)


def test_requisition_to_purchase_order_to_partial_receipts(floor, buyer, clerk):
    response = new_requisition(buyer)
    assert response.status_code == 201, response.content
    req = response.json()
    assert req["number"].startswith("PR-") and req["status"] == "open"
    assert [(x["item"], x["supplier"], x["po_no"]) for x in req["lines"]] == [
        ("R", "SUP1", None),
        ("S", None, None),
    ]
    body = {
        "supplier": "SUP1",
        "lines": [
            {"requisition_line": x["id"], "unit_price": "2.5", "due_date": iso_in_days(30)}
            for x in req["lines"]
        ],
    }
    response = buyer.post(f"/api/v1/requisitions/{req['id']}/order/", body, format="json")
    assert response.status_code == 201, response.content
    po = response.json()
    assert po["status"] == "open" and po["supplier"] == "SUP1"
    assert [(x["line"], x["item"], x["quantity"], x["open_quantity"]) for x in po["lines"]] == [
        (1, "R", "27.840000", "27.840000"),
        (2, "S", "10.000000", "10.000000"),
    ]
    assert buyer.get(f"/api/v1/requisitions/{req['id']}/").json()["status"] == "ordered"

    first = receive(clerk, po["po_no"], "20")
    assert first.status_code == 201, first.content
    assert first.json()["number"].startswith("GR-") and "unit_price" not in first.json()
    assert receive(clerk, po["po_no"], "7.84").status_code == 201
    refused = receive(clerk, po["po_no"], "0.001")
    assert refused.status_code == 409 and "0 kg open" in refused.json()["detail"]
    assert receive(clerk, po["po_no"], "10", line=2).status_code == 201
    detail = buyer.get(f"/api/v1/purchase-orders/{po['po_no']}/").json()
    assert detail["status"] == "closed"
    assert [x["received_quantity"] for x in detail["lines"]] == ["27.840000", "10.000000"]
    assert StockMove.objects.filter(kind="receipt").count() == 3


def test_an_idempotent_receipt_retry_books_once(floor, buyer, clerk):
    po_no = new_purchase_order(buyer).json()["po_no"]
    first = receive(clerk, po_no, "12.5", key="gr-42")
    again = receive(clerk, po_no, "12.5", key="gr-42")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert GoodsReceipt.objects.count() == 1
    assert StockMove.objects.get(kind="receipt").quantity == D("12.5")
    assert receive(clerk, po_no, "1", key="gr-42").status_code == 409  # same key, other body


def test_idempotent_requisition_and_purchase_order_posts(floor, buyer):
    headers = {"HTTP_IDEMPOTENCY_KEY": "po-1"}
    body = {
        "supplier": "SUP1",
        "lines": [{"item": "R", "quantity": "1", "due_date": iso_in_days(30)}],
    }
    a = buyer.post("/api/v1/purchase-orders/", body, format="json", **headers)
    b = buyer.post("/api/v1/purchase-orders/", body, format="json", **headers)
    assert a.status_code == b.status_code == 201 and PurchaseOrder.objects.count() == 1
    po_no = a.json()["po_no"]
    for _ in range(2):
        cancel = buyer.post(f"/api/v1/purchase-orders/{po_no}/cancel/", HTTP_IDEMPOTENCY_KEY="c1")
        assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"po_no": "NOPE", "line": 1, "quantity": "1"}, "line"),
        ({"line": 1, "quantity": "1"}, "po_no"),
        ({"po_no": "X", "line": 0, "quantity": "1"}, "line"),
        ({"po_no": "X", "line": 1, "quantity": "abc"}, "quantity"),
        ({"po_no": "X", "line": 1, "quantity": "1e30"}, "quantity"),
        ({"po_no": "X", "line": 1, "quantity": "1", "receipt_date": "31/12/2026"}, "receipt_date"),
    ],
)
def test_bad_receipt_input_is_a_400_naming_the_field(floor, clerk, body, field):
    response = clerk.post("/api/v1/receipts/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_receipt_refusals_in_the_clerks_words(floor, buyer, clerk):
    po_no = new_purchase_order(buyer).json()["po_no"]
    response = receive(clerk, po_no, "1.0001")
    assert response.status_code == 400 and "3 decimals" in response.json()["detail"]
    response = receive(clerk, po_no, "1", warehouse="NOPE")
    assert response.status_code == 400 and response.json()["warehouse"]
    assert receive(clerk, po_no, "-1").status_code == 400
    assert receive(clerk, po_no, "1", line=9).status_code == 400
    assert not GoodsReceipt.objects.exists()


def test_receiving_into_another_warehouse(floor, buyer, clerk):
    WarehouseFactory(code="WH2")
    po_no = new_purchase_order(buyer).json()["po_no"]
    earlier = iso_in_days(-10)  # a day already past: the receipt is entered late
    response = receive(clerk, po_no, "3", warehouse="WH2", receipt_date=earlier)
    assert response.status_code == 201, response.content
    assert (response.json()["warehouse"], response.json()["receipt_date"]) == ("WH2", earlier)


@pytest.mark.parametrize(
    ("role", "requisition", "purchase_order", "receipt"),
    [
        (P, 201, 201, 403),
        (W, 201, 403, 201),  # the warehouse raises purchase requests (物料的请购)
        (S, 403, 403, 403),
        (M, 403, 403, 403),
        (Role.PRODUCTION.value, 403, 403, 403),
        (Role.ADMIN.value, 201, 201, 201),
    ],
)
def test_who_may_write(floor, api_client_for, role, requisition, purchase_order, receipt):
    client = api_client_for(role)
    line = purchase_line(floor.r, "10", supplier=floor.supplier)
    assert new_requisition(client).status_code == requisition
    assert new_purchase_order(client).status_code == purchase_order
    assert receive(client, line.purchase_order.po_no, "1").status_code == receipt


def test_who_may_cancel(floor, api_client_for, buyer):
    req_id = new_requisition(buyer).json()["id"]
    po_no = new_purchase_order(buyer).json()["po_no"]
    for role in (W, S, M):
        client = api_client_for(role)
        assert client.post(f"/api/v1/requisitions/{req_id}/cancel/").status_code == 403
        assert client.post(f"/api/v1/purchase-orders/{po_no}/cancel/").status_code == 403
        assert client.post(f"/api/v1/purchase-orders/{po_no}/close/").status_code == 403
        order = {"supplier": "SUP1", "lines": []}
        assert (
            client.post(f"/api/v1/requisitions/{req_id}/order/", order, format="json").status_code
            == 403
        )
    response = buyer.post(f"/api/v1/requisitions/{req_id}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = buyer.post(f"/api/v1/requisitions/{req_id}/cancel/")
    assert again.status_code == 409 and "only an open requisition" in again.json()["detail"]


def test_everyone_with_a_role_reads_nobody_else(floor, make_user, buyer):
    new_requisition(buyer)
    new_purchase_order(buyer)
    urls = ["/api/v1/requisitions/", "/api/v1/purchase-orders/", "/api/v1/receipts/"]
    for url in urls:
        assert APIClient().get(url).status_code == 401
        client = APIClient()
        client.force_authenticate(make_user())
        assert client.get(url).status_code == 403
        for role in Role.values:
            client = APIClient()
            client.force_authenticate(make_user(role))
            assert client.get(url).status_code == 200, (url, role)


def test_purchase_prices_are_for_purchasing_managers_and_admins(floor, api_client_for, buyer):
    po_no = new_purchase_order(buyer, price="3.5").json()["po_no"]
    for role, sees in [(P, True), (M, True), (Role.ADMIN.value, True), (W, False), (S, False)]:
        line = api_client_for(role).get(f"/api/v1/purchase-orders/{po_no}/").json()["lines"][0]
        assert ("unit_price" in line) is sees, role
        if sees:
            assert line["unit_price"] == "3.500000"


def test_purchase_order_list_filters(floor, buyer):
    SupplierFactory(code="SUP2")
    ItemFactory(code="Z")
    new_purchase_order(buyer)
    other = {
        "supplier": "SUP2",
        "lines": [{"item": "Z", "quantity": "1", "due_date": iso_in_days(30)}],
    }
    po2 = buyer.post("/api/v1/purchase-orders/", other, format="json").json()["po_no"]
    buyer.post(f"/api/v1/purchase-orders/{po2}/close/")

    def po_nos(**params):
        response = buyer.get("/api/v1/purchase-orders/", params)
        assert response.status_code == 200, response.content
        return [row["po_no"] for row in response.json()["results"]]

    assert len(po_nos()) == 2
    assert po_nos(supplier="SUP2") == [po2]
    assert po_nos(item="Z") == [po2]
    assert po_nos(status="closed") == [po2]
    assert len(po_nos(status="open", item="R", supplier="SUP1")) == 1
    assert po_nos(item="NOPE") == []
    assert buyer.get("/api/v1/purchase-orders/", {"status": "weird"}).status_code == 400
    assert buyer.get("/api/v1/purchase-orders/NOPE/").status_code == 404


def test_purchase_order_input_refusals(floor, buyer):
    def post(**line):
        body = {
            "supplier": "SUP1",
            "lines": [{"item": "R", "quantity": "1", "due_date": iso_in_days(30), **line}],
        }
        return buyer.post("/api/v1/purchase-orders/", body, format="json")

    assert post(item="NOPE").status_code == 400
    assert post(quantity="0").status_code == 400
    assert post(unit_price="-1").status_code == 400
    assert post(due_date="2020-01-01").status_code == 400
    response = buyer.post(
        "/api/v1/purchase-orders/", {"supplier": "NOPE", "lines": []}, format="json"
    )
    assert response.status_code == 400 and {"supplier", "lines"} <= set(response.json())
    assert not PurchaseOrder.objects.exists()


def test_the_warehouse_cannot_set_a_price(floor, api_client_for):
    """Even an admin-created order cannot leak prices to a role that may not see them."""
    client = api_client_for(W)
    body = {
        "supplier": "SUP1",
        "lines": [{"item": "R", "quantity": "1", "due_date": iso_in_days(30), "unit_price": "9"}],
    }
    assert client.post("/api/v1/purchase-orders/", body, format="json").status_code == 403


def test_requisition_list_filters(floor, buyer):
    new_requisition(buyer)
    new_requisition(
        buyer, source="SO7", lines=[{"item": "S", "quantity": "1", "need_date": iso_in_days(30)}]
    )

    def numbers(**params):
        response = buyer.get("/api/v1/requisitions/", params)
        assert response.status_code == 200
        return [row["source"] for row in response.json()["results"]]

    assert sorted(numbers()) == ["SO1", "SO7"]
    assert numbers(item="R") == ["SO1"]
    assert numbers(source="so7") == ["SO7"]
    assert sorted(numbers(status="open")) == ["SO1", "SO7"]


def test_list_endpoints_use_a_fixed_number_of_queries(
    floor, buyer, make_user, django_assert_max_num_queries
):
    clerk = make_user(W, username="clerk2")
    for n in range(15):
        req = p.requisition_create(
            user=floor.buyer,
            source=f"SO{n}",
            lines=[p.RequisitionLineInput(floor.r, D("1"), in_days(30), floor.supplier)] * 3,
        )
        po = p.purchase_order_from_requisitions(
            user=floor.buyer,
            supplier=SupplierFactory(code=f"SP{n}"),
            lines=[
                p.RequisitionOrderLine(line.pk, D("1"), in_days(30)) for line in req.lines.all()
            ],
        )
        receipts.goods_receipt(user=clerk, purchase_line=po.lines.first(), quantity=D("1"))
    for url in ("/api/v1/requisitions/", "/api/v1/purchase-orders/", "/api/v1/receipts/"):
        with django_assert_max_num_queries(8):
            response = buyer.get(url)
        assert response.status_code == 200 and response.json()["count"] == 15, url


def test_requisition_order_refusals(floor, buyer):
    req = new_requisition(buyer).json()
    other = new_requisition(buyer).json()
    url = f"/api/v1/requisitions/{req['id']}/order/"
    foreign = {
        "supplier": "SUP1",
        "lines": [
            {
                "requisition_line": other["lines"][0]["id"],
                "unit_price": "1",
                "due_date": iso_in_days(30),
            }
        ],
    }
    response = buyer.post(url, foreign, format="json")
    assert response.status_code == 400 and "has no line" in response.json()["detail"]
    ok = {
        "supplier": "SUP1",
        "lines": [
            {
                "requisition_line": req["lines"][0]["id"],
                "unit_price": "1",
                "due_date": iso_in_days(30),
            }
        ],
    }
    assert buyer.post(url, ok, format="json").status_code == 201
    again = buyer.post(url, ok, format="json")
    assert again.status_code == 409 and "already on purchase order" in again.json()["detail"]
    assert buyer.post("/api/v1/requisitions/999999/order/", ok, format="json").status_code == 404
    assert buyer.post("/api/v1/requisitions/abc/cancel/").status_code == 404
    assert PurchaseRequisition.objects.get(pk=req["id"]).status == "open"  # S not ordered yet
