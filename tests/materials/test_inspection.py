"""Inspection holds (issue 13, 品管课: 执行检验): goods of an item inspected on receipt wait
on hold (not usable, not in MRP's on-hand) until quality accepts, rejects or accepts part;
rejected purchased goods go back to the supplier. Stock equals the ledger throughout."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from erp.roles import Role
from materials.models import (
    InspectionLot,
    InspectionStatus,
    PurchaseOrder,
    StockBalance,
    StockMove,
    SupplierReturn,
)
from materials.services.inspection import (
    InspectionLimitExceeded,
    decide_inspection,
    return_to_supplier,
)
from materials.services.receipts import goods_receipt
from materials.services.stock import usable_total
from production.services.receipt_reversal import finished_goods_receipt_reverse
from production.services.receipts import finished_goods_receipt
from tests.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    WorkOrderFactory,
)

D = Decimal


def stock(item, kind):
    row = StockBalance.objects.filter(item=item, location__kind=kind).first()
    return row.quantity if row else D(0)


def assert_ledger_equals_balances():
    for balance in StockBalance.objects.all():
        moved = StockMove.objects.filter(item=balance.item, location=balance.location).aggregate(
            s=Sum("quantity")
        )["s"] or D(0)
        assert moved == balance.quantity


@pytest.fixture
def floor(db, make_user):
    steel = ItemFactory(code="STEEL", inspect_on_receipt=True)
    bolt = ItemFactory(code="BOLT")
    po = PurchaseOrderFactory(po_no="PO1")
    line = PurchaseOrderLineFactory(
        purchase_order=po, line=1, item=steel, quantity=D("100"), unit_price=D("3")
    )
    PurchaseOrderLineFactory(purchase_order=po, line=2, item=bolt, quantity=D("10"))
    return {
        "steel": steel,
        "bolt": bolt,
        "line": line,
        "clerk": make_user(Role.WAREHOUSE.value),
        "qc": make_user(Role.QUALITY.value),
    }


def receive(floor, quantity="100"):
    return goods_receipt(user=floor["clerk"], purchase_line=floor["line"], quantity=D(quantity))


def test_a_receipt_of_an_inspected_item_waits_on_hold(floor):
    receipt = receive(floor)
    lot = InspectionLot.objects.get()
    assert lot.number.startswith("IQC-") and lot.goods_receipt == receipt
    assert lot.supplier == floor["line"].purchase_order.supplier
    assert (lot.quantity, lot.on_hold, lot.status) == (D("100"), D("100"), InspectionStatus.ON_HOLD)
    assert stock(floor["steel"], "inspection") == D("100")
    assert usable_total(item_id=floor["steel"].pk) == D("0")
    # Items quality does not inspect go straight to usable stock.
    goods_receipt(
        user=floor["clerk"],
        purchase_line=floor["line"].purchase_order.lines.get(line=2),
        quantity=D("10"),
    )
    assert usable_total(item_id=floor["bolt"].pk) == D("10")
    assert InspectionLot.objects.count() == 1
    assert_ledger_equals_balances()


def test_quality_accepts_part_rejects_part_then_the_rest(floor):
    receive(floor)
    lot = InspectionLot.objects.get()
    decide_inspection(
        user=floor["qc"],
        lot=lot,
        accepted="60",
        rejected="5",
        sample_size="20",
        defective_in_sample="1",
        defect_reason="scratches",
    )
    lot.refresh_from_db()
    assert (lot.accepted, lot.rejected, lot.on_hold) == (D("60"), D("5"), D("35"))
    assert lot.status == InspectionStatus.ON_HOLD
    assert (
        stock(floor["steel"], "usable"),
        stock(floor["steel"], "quarantine"),
        stock(floor["steel"], "inspection"),
    ) == (D("60"), D("5"), D("35"))
    usable = StockBalance.objects.get(item=floor["steel"], location__kind="usable")
    assert usable.unit_cost == D("3")
    decide_inspection(user=floor["qc"], lot=lot, accepted="35")
    lot.refresh_from_db()
    assert lot.status == InspectionStatus.DONE and lot.on_hold == 0
    assert lot.decisions.count() == 2
    with pytest.raises(ConflictError, match="inspected already"):
        decide_inspection(user=floor["qc"], lot=lot, accepted="1")
    assert_ledger_equals_balances()


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (
            {"accepted": "90", "rejected": "20", "defect_reason": "x"},
            InspectionLimitExceeded,
            "on hold",
        ),
        ({}, DomainError, "Accept or reject"),
        ({"rejected": "5"}, DomainError, "defect reason"),
        ({"accepted": "-1"}, DomainError, "negative"),
        ({"accepted": "1.5"}, DomainError, None),
        ({"accepted": "abc"}, DomainError, "number"),
        ({"accepted": "1", "sample_size": "2", "defective_in_sample": "3"}, DomainError, "sampled"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_moves(floor, kwargs, error, words):
    receive(floor)
    lot = InspectionLot.objects.get()
    moves = StockMove.objects.count()
    with pytest.raises(error, match=words):
        decide_inspection(user=floor["qc"], lot=lot, **kwargs)
    assert StockMove.objects.count() == moves
    assert lot.decisions.count() == 0 and stock(floor["steel"], "inspection") == D("100")


def test_rejected_goods_go_back_to_the_supplier_and_the_line_expects_them_again(floor):
    receive(floor)
    po = PurchaseOrder.objects.get(po_no="PO1")
    lot = InspectionLot.objects.get()
    decide_inspection(user=floor["qc"], lot=lot, accepted="80", rejected="20", defect_reason="rust")
    back = return_to_supplier(user=floor["clerk"], lot=lot, quantity="15", reason="rust, replace")
    assert back.number.startswith("RTV-") and back.supplier == po.supplier
    assert stock(floor["steel"], "quarantine") == D("5")
    floor["line"].refresh_from_db()
    assert floor["line"].received_quantity == D("85")
    with pytest.raises(InspectionLimitExceeded):
        return_to_supplier(user=floor["clerk"], lot=lot, quantity="6", reason="x")
    with pytest.raises(DomainError, match="why"):
        return_to_supplier(user=floor["clerk"], lot=lot, quantity="1", reason="")
    assert SupplierReturn.objects.count() == 1
    assert_ledger_equals_balances()


def test_final_inspection_of_finished_goods_and_reversal_while_on_hold(floor, make_user):
    chair = ItemFactory(code="CHAIR", kind="finished", inspect_on_receipt=True)
    wo = WorkOrderFactory(wo_no="WO1", item=chair, quantity=D("10"), status="released")
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D("4"), work_order=wo)
    lot = InspectionLot.objects.get(item=chair)
    assert lot.number.startswith("FQC-") and lot.source_number == receipt.number
    assert stock(chair, "inspection") == D("4") and usable_total(item_id=chair.pk) == 0
    finished_goods_receipt_reverse(user=floor["clerk"], receipt=receipt, reason="booked twice")
    lot.refresh_from_db()
    assert lot.status == InspectionStatus.CANCELLED and stock(chair, "inspection") == 0
    again = finished_goods_receipt(user=floor["clerk"], quantity=D("4"), work_order=wo)
    lot = InspectionLot.objects.get(source_id=again.pk)
    decide_inspection(user=floor["qc"], lot=lot, accepted="4")
    assert usable_total(item_id=chair.pk) == D("4")
    with pytest.raises(ConflictError, match="decided"):
        finished_goods_receipt_reverse(user=floor["clerk"], receipt=again, reason="x")
    assert_ledger_equals_balances()


def test_stock_api_shows_what_is_on_hold(floor, api_client_for):
    receive(floor, "40")
    rows = api_client_for(Role.WAREHOUSE.value).get("/api/v1/stock/?item=STEEL").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert D(rows[0]["inspection"]) == D("40")
    assert D(rows[0]["usable"]) == 0


def test_quality_decides_on_the_page_and_roles(floor, make_user, django_assert_max_num_queries):
    receive(floor)
    lot = InspectionLot.objects.get()
    qc = Client()
    qc.force_login(floor["qc"])
    assert qc.get(reverse("materials:inspection-list")).status_code == 200
    page = qc.get(reverse("materials:inspection-detail", args=[lot.number]))
    assert page.status_code == 200 and page.context["can_decide"]
    answer = qc.post(
        reverse("materials:inspection-decide", args=[lot.number]),
        {"accepted": "90", "rejected": "10", "defect_reason": "dents", "sample_size": "13"},
        follow=True,
    )
    assert answer.status_code == 200
    lot.refresh_from_db()
    assert (lot.accepted, lot.rejected) == (D("90"), D("10"))
    sales = Client()
    sales.force_login(make_user(Role.SALES.value))
    assert (
        sales.post(
            reverse("materials:inspection-decide", args=[lot.number]), {"accepted": "1"}
        ).status_code
        == 403
    )
    clerk = Client()
    clerk.force_login(floor["clerk"])
    assert (
        clerk.post(
            reverse("materials:inspection-decide", args=[lot.number]), {"accepted": "1"}
        ).status_code
        == 403
    )
    clerk.post(
        reverse("materials:inspection-return", args=[lot.number]),
        {"quantity": "10", "reason": "dents"},
    )
    assert SupplierReturn.objects.count() == 1
    assert qc.get(reverse("materials:supplier-quality")).status_code == 200
    for n in range(10):
        more = PurchaseOrderLineFactory(
            purchase_order=floor["line"].purchase_order, line=10 + n, item=floor["steel"]
        )
        goods_receipt(user=floor["clerk"], purchase_line=more, quantity=D("1"))
    with django_assert_max_num_queries(12):
        assert qc.get(reverse("materials:inspection-list") + "?status=all").status_code == 200


def test_inspection_api(floor, api_client_for):
    receive(floor)
    number = InspectionLot.objects.get().number
    qc = api_client_for(Role.QUALITY.value)
    listed = qc.get("/api/v1/inspections/?status=on_hold").json()
    assert listed["results"][0]["number"] == number
    refused = qc.post(f"/api/v1/inspections/{number}/decide/", {"accepted": "101"}, format="json")
    assert refused.status_code == 409 and "on hold" in refused.json()["detail"]
    bad = qc.post(f"/api/v1/inspections/{number}/decide/", {"accepted": "x"}, format="json")
    assert bad.status_code == 400 and "accepted" in bad.json()
    done = qc.post(
        f"/api/v1/inspections/{number}/decide/",
        {"accepted": "95", "rejected": "5", "defect_reason": "cracks", "sample_size": "20"},
        format="json",
    )
    assert done.status_code == 201 and done.json()["status"] == "done"
    assert done.json()["decisions"][0]["defect_reason"] == "cracks"
    assert (
        qc.post(
            f"/api/v1/inspections/{number}/return-to-supplier/",
            {"quantity": "5", "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    clerk = api_client_for(Role.WAREHOUSE.value)
    assert (
        clerk.post(
            f"/api/v1/inspections/{number}/decide/", {"accepted": "1"}, format="json"
        ).status_code
        == 403
    )
    back = clerk.post(
        f"/api/v1/inspections/{number}/return-to-supplier/",
        {"quantity": "5", "reason": "cracks"},
        format="json",
    )
    assert back.status_code == 201 and back.json()["po_no"] == "PO1"
    assert (
        clerk.get("/api/v1/supplier-returns/").json()["results"][0]["number"]
        == back.json()["number"]
    )
    item = api_client_for(Role.ADMIN.value).get("/api/v1/items/STEEL/").json()
    assert item["inspect_on_receipt"] is True
