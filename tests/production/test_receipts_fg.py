"""Finished-goods receipts (成品入库): against a work order (at most its open quantity; the
work order is completed when all is in) or an order line; stock in at the standard cost;
through the service, REST and the page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from erp.errors import ConflictError, DomainError
from materials.models import StockMove
from orders.errors import OrderStateError
from production.models import FinishedGoodsReceipt
from production.services import ReceiptExceedsWorkOrder, finished_goods_receipt
from tests.factories import ItemFactory, WorkOrderFactory
from tests.orders.warehouse_support import build_floor, stock

D = Decimal
URL = "/api/v1/finished-receipts/"


@pytest.fixture
def floor(db, make_user):
    data = build_floor(make_user)
    data["wo"] = WorkOrderFactory(
        wo_no="WO1", item=data["f"], quantity=D("30"), sales_order=data["order"]
    )
    return data


def test_receipt_against_a_work_order_completes_it(floor):
    wo = floor["wo"]
    first = finished_goods_receipt(user=floor["clerk"], quantity=D("20"), work_order=wo)
    assert first.number.startswith("FG-") and first.item == floor["f"]
    assert first.created_by == floor["clerk"] and first.warehouse.code == "MAIN"
    wo.refresh_from_db()
    assert wo.completed_quantity == D("20") and wo.status == "released"
    assert stock(floor["f"]) == D("120")
    move = StockMove.objects.get(document_type="finished_receipt")
    assert (move.kind, move.quantity, move.unit_cost, move.document_number) == (
        "finished_receipt",
        D("20"),
        D("77.5"),
        first.number,
    )
    finished_goods_receipt(user=floor["clerk"], quantity=D("10"), work_order=wo)
    wo.refresh_from_db()
    assert wo.completed_quantity == D("30") and wo.status == "completed"


def test_more_than_the_work_orders_open_quantity_is_refused(floor):
    finished_goods_receipt(user=floor["clerk"], quantity=D("25"), work_order=floor["wo"])
    with pytest.raises(ReceiptExceedsWorkOrder) as refused:
        finished_goods_receipt(user=floor["clerk"], quantity=D("6"), work_order=floor["wo"])
    message = str(refused.value)
    assert "30 pcs to make" in message and "25 pcs already received" in message
    assert "5 pcs open; 6 pcs asked" in message
    assert FinishedGoodsReceipt.objects.count() == 1 and stock(floor["f"]) == D("125")


def test_a_completed_or_cancelled_work_order_takes_nothing(floor):
    floor["wo"].status = "cancelled"
    floor["wo"].save()
    with pytest.raises(ConflictError, match="cancelled"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("1"), work_order=floor["wo"])


def test_receipt_against_an_order_line(floor):
    receipt = finished_goods_receipt(
        user=floor["clerk"], quantity=D("7"), order_line=floor["line2"]
    )
    assert receipt.item == floor["f"] and receipt.order_line == floor["line2"]
    assert stock(floor["f"]) == D("107")


def test_work_order_and_line_must_be_the_same_item(floor):
    other = WorkOrderFactory(wo_no="WO2", item=ItemFactory(code="G", kind="finished"))
    with pytest.raises(DomainError, match="WO2 makes G"):
        finished_goods_receipt(
            user=floor["clerk"], quantity=D("1"), work_order=other, order_line=floor["line1"]
        )


def test_a_cancelled_line_or_order_takes_nothing(floor):
    floor["line2"].status = "cancelled"
    floor["line2"].save()
    with pytest.raises(OrderStateError, match="line 2 is cancelled"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("1"), order_line=floor["line2"])
    floor["order"].status = "closed"
    floor["order"].save()
    with pytest.raises(OrderStateError, match="SO1 is closed"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("1"), order_line=floor["line1"])


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "greater than 0"),
        ("-1", "greater than 0"),
        ("x", "a number"),
        ("1.5", "0 decimals"),
        ("NaN", "greater than 0"),
    ],
)
def test_bad_quantities(floor, quantity, message):
    with pytest.raises(DomainError, match=message):
        finished_goods_receipt(user=floor["clerk"], quantity=quantity, work_order=floor["wo"])
    assert FinishedGoodsReceipt.objects.count() == 0


def test_a_source_and_a_warehouse_are_needed(floor):
    with pytest.raises(DomainError, match="work order or order line"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("1"))
    with pytest.raises(DomainError, match="no warehouse"):
        finished_goods_receipt(
            user=floor["clerk"], quantity=D("1"), work_order=floor["wo"], warehouse_code="X"
        )


def test_rest_post_list_and_refusals(floor, django_assert_max_num_queries):
    client = APIClient()
    client.force_authenticate(floor["clerk"])
    response = client.post(
        URL,
        {"work_order": "WO1", "quantity": "5"},
        format="json",
        headers={"Idempotency-Key": "fg1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["number"].startswith("FG-") and body["item"] == "F" and body["quantity"] == "5.000000"
    )
    assert body["work_order"] == "WO1" and body["order_no"] is None and body["warehouse"] == "MAIN"
    again = client.post(
        URL,
        {"work_order": "WO1", "quantity": "5"},
        format="json",
        headers={"Idempotency-Key": "fg1"},
    )
    assert again.json() == body and FinishedGoodsReceipt.objects.count() == 1
    by_line = client.post(URL, {"order_no": "SO1", "line": 2, "quantity": 3}, format="json")
    assert by_line.status_code == 201 and (by_line.json()["order_no"], by_line.json()["line"]) == (
        "SO1",
        2,
    )
    too_much = client.post(URL, {"work_order": "WO1", "quantity": "26"}, format="json")
    assert too_much.status_code == 409 and "25 pcs open" in too_much.json()["detail"]
    for bad in (
        {},
        {"quantity": "1"},
        {"work_order": "WO9", "quantity": "1"},
        {"order_no": "SO1", "line": 9, "quantity": "1"},
        {"work_order": "WO1", "quantity": "abc"},
        {"work_order": "WO1", "quantity": "1e999"},
        {"work_order": ["WO1"], "quantity": "1"},
    ):
        refused = client.post(URL, bad, format="json")
        assert refused.status_code == 400, (bad, refused.content)
        assert refused.json()["detail"]
    for _ in range(5):
        finished_goods_receipt(user=floor["clerk"], quantity=D("1"), order_line=floor["line1"])
    with django_assert_max_num_queries(8):
        listed = client.get(URL)
    assert listed.json()["count"] == 7
    assert client.get(URL, {"work_order": "WO1"}).json()["count"] == 1


@pytest.mark.parametrize("role", ["sales", "purchasing", "production", "quality", "manager"])
def test_only_the_warehouse_books_receipts(api_client_for, floor, role):
    client = api_client_for(role)
    assert (
        client.post(URL, {"work_order": "WO1", "quantity": "1"}, format="json").status_code == 403
    )
    assert client.get(URL).status_code == 200
    assert FinishedGoodsReceipt.objects.count() == 0


def test_the_receipt_page(client, floor):
    client.force_login(floor["clerk"])
    assert (
        client.get(reverse("production:fg-receipt-create"), {"work_order": "WO1"}).status_code
        == 200
    )
    response = client.post(
        reverse("production:fg-receipt-create"),
        {"work_order": "WO1", "quantity": "4", "warehouse": "MAIN"},
    )
    assert response.status_code == 302
    receipt = FinishedGoodsReceipt.objects.get()
    printed = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert receipt.number in printed and "WO1" in printed and "data-print" in printed
    refused = client.post(
        reverse("production:fg-receipt-create"),
        {"work_order": "WO1", "quantity": "27", "warehouse": "MAIN"},
    )
    assert refused.status_code == 200 and "26 pcs open; 27 pcs asked" in refused.content.decode()
    nothing = client.post(
        reverse("production:fg-receipt-create"), {"quantity": "1", "warehouse": "MAIN"}
    )
    assert "Enter the work order, or the order and its line." in nothing.content.decode()
    client.force_login(floor["sales"])
    assert client.get(reverse("production:fg-receipt-create")).status_code == 403
    assert (
        client.get(reverse("production:fg-receipt-detail", args=[receipt.number])).status_code
        == 200
    )
