"""Finished-goods receipts of semis and finished items, capped at the work order's or the
order line's open quantity; the reversal document: a compensating ledger row (the ledger is
never edited), the work order's completed quantity back, refused when the goods are gone or
the receipt was reversed already; service, REST and pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from materials.errors import InsufficientStock
from materials.models import StockMove
from materials.services.stock import StockChange, apply_stock_changes
from production.models import FinishedGoodsReceipt, FinishedGoodsReceiptReversal
from production.services import finished_goods_receipt
from production.services.receipt_reversal import (
    ReceiptAlreadyReversed,
    finished_goods_receipt_reverse,
)
from production.services.receipts import ReceiptExceedsOrderLine
from tests.factories import SalesOrderLineFactory, WorkOrderFactory
from tests.orders.warehouse_support import build_floor, location, stock

D = Decimal
URL = "/api/v1/finished-receipts/"


@pytest.fixture
def floor(db, make_user):
    data = build_floor(make_user)
    data["wo"] = WorkOrderFactory(
        wo_no="WO1", item=data["f"], quantity=D("30"), sales_order=data["order"]
    )
    data["semi_wo"] = WorkOrderFactory(wo_no="WO-S", item=data["s"], quantity=D("40"))
    data["small"] = SalesOrderLineFactory(order=data["order"], line=3, item=data["f"], quantity=15)
    return data


def test_a_semi_work_order_is_received_and_completed(floor):
    receipt = finished_goods_receipt(
        user=floor["clerk"], quantity=D("40"), work_order=floor["semi_wo"]
    )
    floor["semi_wo"].refresh_from_db()
    assert receipt.item == floor["s"] and floor["semi_wo"].status == "completed"
    assert stock(floor["s"]) == D("540")


def test_without_a_work_order_the_order_lines_open_quantity_caps_the_receipt(floor):
    with pytest.raises(ReceiptExceedsOrderLine) as refused:
        finished_goods_receipt(user=floor["clerk"], quantity=D("999"), order_line=floor["small"])
    assert refused.value.status_code == 409
    assert "15 pcs ordered" in str(refused.value) and "15 pcs open; 999 pcs asked" in str(
        refused.value
    )
    finished_goods_receipt(user=floor["clerk"], quantity=D("10"), order_line=floor["small"])
    with pytest.raises(ReceiptExceedsOrderLine, match="10 pcs already received"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("6"), order_line=floor["small"])
    finished_goods_receipt(user=floor["clerk"], quantity=D("5"), order_line=floor["small"])
    assert FinishedGoodsReceipt.objects.filter(order_line=floor["small"]).count() == 2


def test_shipped_quantity_counts_against_the_line(floor):
    floor["small"].shipped_quantity = D("12")
    floor["small"].save()
    with pytest.raises(ReceiptExceedsOrderLine, match="3 pcs open; 4 pcs asked"):
        finished_goods_receipt(user=floor["clerk"], quantity=D("4"), order_line=floor["small"])


def test_a_reversed_receipt_gives_the_line_its_quantity_back(floor):
    receipt = finished_goods_receipt(
        user=floor["clerk"], quantity=D("15"), order_line=floor["small"]
    )
    finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="counted twice")
    finished_goods_receipt(user=floor["clerk"], quantity=D("15"), order_line=floor["small"])


def test_reversal_appends_a_compensating_ledger_row_and_reopens_the_work_order(floor):
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("30"), work_order=floor["wo"])
    floor["wo"].refresh_from_db()
    assert floor["wo"].status == "completed" and stock(floor["f"]) == D("130")
    original = StockMove.objects.get(document_number=receipt.number)
    reversal = finished_goods_receipt_reverse(
        user=floor["clerk"], receipt=receipt, reason="booked the wrong work order"
    )
    assert reversal.number.startswith("FGR-") and reversal.created_by == floor["clerk"]
    assert stock(floor["f"]) == D("100")
    back = StockMove.objects.get(document_type="finished_receipt_reversal")
    assert (back.quantity, back.balance_after, back.document_number) == (
        D("-30"),
        D("100"),
        reversal.number,
    )
    assert receipt.number in back.reason
    same = StockMove.objects.get(pk=original.pk)  # the receipt's row is untouched
    assert (same.quantity, same.balance_after) == (original.quantity, original.balance_after)
    floor["wo"].refresh_from_db()
    assert floor["wo"].completed_quantity == 0 and floor["wo"].status == "released"
    assert floor["wo"].updated_by == floor["clerk"]
    finished_goods_receipt(user=floor["clerk"], quantity=D("30"), work_order=floor["wo"])


def test_reversing_twice_is_refused(floor):
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("5"), work_order=floor["wo"])
    first = finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="wrong")
    with pytest.raises(ReceiptAlreadyReversed, match=f"reversed already \\({first.number}\\)"):
        finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="again")
    assert FinishedGoodsReceiptReversal.objects.count() == 1
    assert StockMove.objects.filter(document_type="finished_receipt_reversal").count() == 1


def test_reversal_is_refused_when_the_goods_are_gone(floor):
    receipt = finished_goods_receipt(
        user=floor["clerk"], quantity=D("40"), work_order=floor["semi_wo"]
    )
    apply_stock_changes(
        changes=[StockChange(floor["s"].pk, location().pk, D("-520"))], kind="pick"
    )  # 20 of S left
    moves = StockMove.objects.count()
    with pytest.raises(InsufficientStock) as refused:
        finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="wrong")
    assert isinstance(refused.value, ConflictError)
    assert "no longer all in MAIN" in str(refused.value) and "20 pcs on hand" in str(refused.value)
    assert FinishedGoodsReceiptReversal.objects.count() == 0 and StockMove.objects.count() == moves
    floor["semi_wo"].refresh_from_db()
    assert floor["semi_wo"].completed_quantity == D("40")


def test_reversal_needs_a_reason_and_the_warehouse_role(floor, make_user):
    from django.core.exceptions import PermissionDenied

    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("5"), work_order=floor["wo"])
    with pytest.raises(DomainError, match="Say why"):
        finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="  ")
    with pytest.raises(PermissionDenied):
        finished_goods_receipt_reverse(user=floor["sales"], receipt=receipt, reason="x")
    assert FinishedGoodsReceiptReversal.objects.count() == 0


def test_rest_cap_and_reversal(floor, api_client_for, django_assert_max_num_queries):
    client = api_client_for("warehouse")
    too_much = client.post(URL, {"order_no": "SO1", "line": 3, "quantity": "999"}, format="json")
    assert too_much.status_code == 409 and "15 pcs open" in too_much.json()["detail"]
    made = client.post(URL, {"work_order": "WO-S", "quantity": "10"}, format="json")
    assert made.status_code == 201 and made.json()["item"] == "S"
    pk = made.json()["id"]
    with django_assert_max_num_queries(40):
        response = client.post(
            f"{URL}{pk}/reverse/",
            {"reason": "wrong count"},
            format="json",
            headers={"Idempotency-Key": "rev1"},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receipt"] == made.json()["number"] and body["quantity"] == "10.000000"
    assert body["number"].startswith("FGR-") and body["created_by"] == "warehouse_user"
    retried = client.post(
        f"{URL}{pk}/reverse/",
        {"reason": "wrong count"},
        format="json",
        headers={"Idempotency-Key": "rev1"},
    )
    assert retried.status_code == 201 and retried.json() == body
    again = client.post(f"{URL}{pk}/reverse/", {"reason": "again"}, format="json")
    assert again.status_code == 409 and "reversed already" in again.json()["detail"]
    assert client.post(f"{URL}{pk}/reverse/", {}, format="json").status_code == 400
    assert client.get(f"{URL}{pk}/").json()["reversed_by"] == body["number"]
    denied = api_client_for("sales").post(f"{URL}{pk}/reverse/", {"reason": "x"}, format="json")
    assert denied.status_code == 403


def test_rest_list_query_count_is_fixed(floor, api_client_for, django_assert_max_num_queries):
    client = api_client_for("warehouse")
    for _n in range(6):
        r = finished_goods_receipt(user=floor["clerk"], quantity=D("1"), work_order=floor["wo"])
        finished_goods_receipt_reverse(user=floor["clerk"], receipt=r, reason="test")
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200 and len(response.json()["results"]) == 6


def test_page_reverses_and_shows_it(floor, client):
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("5"), work_order=floor["wo"])
    client.force_login(floor["clerk"])
    detail = reverse("production:fg-receipt-detail", args=[receipt.number])
    assert 'data-testid="reverse"' in client.get(detail).content.decode()
    page = reverse("production:fg-receipt-reverse", args=[receipt.number])
    empty = client.post(page, {"reason": ""})
    assert empty.status_code == 200 and FinishedGoodsReceiptReversal.objects.count() == 0
    response = client.post(page, {"reason": "wrong count"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == detail
    assert 'data-testid="reversed"' in html and "wrong count" in html
    assert 'data-testid="reverse"' not in html
    again = client.post(page, {"reason": "again"})
    assert again.status_code == 200 and "reversed already" in again.content.decode()


def test_page_reversal_is_for_the_warehouse(floor, client):
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("5"), work_order=floor["wo"])
    client.force_login(floor["sales"])
    page = reverse("production:fg-receipt-reverse", args=[receipt.number])
    assert client.post(page, {"reason": "x"}).status_code == 403
