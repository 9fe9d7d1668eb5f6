"""Purchasing: requisition -> purchase order -> partial goods receipts, each writing the
stock ledger; refusals; the material status of orders using a received item."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from materials.models import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseRequisition,
    StockBalance,
    StockMove,
)
from materials.services import purchasing as p
from materials.services import receipts
from materials.services.receipts import ReceiptLimitExceeded
from orders.models import MaterialStatus, SalesOrder
from orders.services.material_requisition import requisition_for_shortfall
from tests.factories import BomLineFactory, ItemFactory, SupplierFactory, WarehouseFactory
from tests.orders.material_support import DUE, build_floor, order_of, purchase_line, put_stock

D = Decimal


def today():
    """The factory's today, read when used (a module constant goes stale at midnight)."""
    return timezone.localdate()


ORDERED = dt.date(2026, 3, 1)


@pytest.fixture
def floor(db, make_user):
    floor = build_floor()
    floor.buyer = make_user("purchasing")
    floor.clerk = make_user("warehouse")
    return floor


def requisition(floor, *lines):
    return p.requisition_create(
        user=floor.buyer,
        source="SO1",
        lines=[p.RequisitionLineInput(item, D(qty), DUE) for item, qty in lines],
    )


def order_all(floor, req, price="3.5", due=DUE):
    return p.purchase_order_from_requisitions(
        user=floor.buyer,
        supplier=floor.supplier,
        requisition=req,
        order_date=ORDERED,
        lines=[p.RequisitionOrderLine(line.pk, D(price), due) for line in req.lines.all()],
    )


def usable(item, warehouse="MAIN"):
    row = StockBalance.objects.filter(
        item=item, location__kind="usable", location__warehouse__code=warehouse
    ).first()
    return row.quantity if row else D(0)


def test_requisition_to_purchase_order_to_two_partial_receipts(floor):
    req = requisition(floor, (floor.r, "30"), (floor.s, "10"))
    assert req.number.startswith("PR-") and req.status == "open" and req.created_by == floor.buyer
    po = order_all(floor, req)
    req.refresh_from_db()
    assert po.po_no.startswith("PO-2026-") and po.status == "open"
    assert req.status == PurchaseRequisition.Status.ORDERED
    r_line, s_line = po.lines.order_by("line")
    assert (r_line.line, r_line.item, r_line.quantity, r_line.unit_price) == (
        1,
        floor.r,
        30,
        D("3.5"),
    )
    assert r_line.requisition_lines.get().requisition == req

    first = receipts.goods_receipt(user=floor.clerk, purchase_line=r_line, quantity=D("12.5"))
    assert first.number.startswith("GR-") and first.created_by == floor.clerk
    second = receipts.goods_receipt(user=floor.clerk, purchase_line=r_line, quantity=D("17.5"))
    r_line.refresh_from_db()
    po.refresh_from_db()
    assert r_line.received_quantity == 30 and po.status == "open"  # S not yet received
    receipts.goods_receipt(user=floor.clerk, purchase_line=s_line.pk, quantity=D("10"))
    po.refresh_from_db()
    assert po.status == PurchaseOrder.Status.CLOSED

    moves = StockMove.objects.filter(item=floor.r, kind="receipt").order_by("id")
    assert [(m.quantity, m.balance_after, m.document_number) for m in moves] == [
        (D("12.5"), D("12.5"), first.number),
        (D("17.5"), D("30"), second.number),
    ]
    assert all(m.unit_cost == D("3.5") and m.document_type == "goods_receipt" for m in moves)
    assert moves[0].document_id == first.pk and moves[0].created_by == floor.clerk
    ledger = StockMove.objects.filter(item=floor.r).aggregate(s=Sum("quantity"))["s"]
    assert usable(floor.r) == ledger == 30
    assert StockBalance.objects.get(item=floor.r, location__kind="usable").unit_cost == D("3.5")


def test_receiving_more_than_is_open_is_refused_whole(floor):
    line = purchase_line(floor.r, "30", received="20")
    with pytest.raises(ReceiptLimitExceeded) as refused:
        receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("10.001"))
    message = str(refused.value)
    assert "30 kg ordered" in message and "20 kg already received" in message
    assert "10 kg open" in message and "10.001 kg to receive" in message
    assert isinstance(refused.value, ConflictError)
    assert not GoodsReceipt.objects.exists() and not StockMove.objects.exists()
    line.refresh_from_db()
    assert line.received_quantity == 20


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "greater than 0"),
        ("-1", "greater than 0"),
        ("1.0001", "3 decimals"),
        ("abc", "must be a number"),
        ("NaN", "must be a number"),
        ("1e20", "below"),
    ],
)
def test_a_receipt_quantity_the_unit_cannot_count_is_refused(floor, quantity, message):
    line = purchase_line(floor.r, "30")
    with pytest.raises(DomainError, match=message):
        receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=quantity)


def test_receipt_into_another_warehouse_a_future_date_and_an_unknown_warehouse(floor):
    WarehouseFactory(code="WH2")
    line = purchase_line(floor.r, "30")
    receipts.goods_receipt(
        user=floor.clerk,
        purchase_line=line,
        quantity=D("5"),
        warehouse_code="WH2",
        receipt_date=today() - dt.timedelta(days=1),
    )
    assert usable(floor.r, "WH2") == 5 and usable(floor.r) == 0
    with pytest.raises(DomainError, match="in the future"):
        receipts.goods_receipt(
            user=floor.clerk,
            purchase_line=line,
            quantity=D("1"),
            receipt_date=today() + dt.timedelta(days=1),
        )
    with pytest.raises(DomainError, match="no warehouse NOPE"):
        receipts.goods_receipt(
            user=floor.clerk, purchase_line=line, quantity=D("1"), warehouse_code="NOPE"
        )


def test_nothing_is_received_against_a_closed_or_cancelled_order(floor):
    for status in ("closed", "cancelled"):
        line = purchase_line(floor.r, "30", status=status)
        with pytest.raises(ConflictError, match="nothing more can be received"):
            receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("1"))


def test_a_receipt_refreshes_the_orders_using_the_item(floor, django_capture_on_commit_callbacks):
    order = order_of("SO1", (floor.f, "50"))
    other_item = ItemFactory(code="X", kind="finished")
    BomLineFactory(parent=other_item, component=ItemFactory(code="Y"), quantity=D("1"))
    untouched = order_of("SO2", (other_item, "5"))  # uses no R
    line = purchase_line(floor.r, "50")  # R: 42.84 kg for the 102 S to make
    with django_capture_on_commit_callbacks(execute=True):
        receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("20"))
    order.refresh_from_db()
    assert order.material_status == MaterialStatus.PARTLY and order.material_checked_at
    with django_capture_on_commit_callbacks(execute=True):
        receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("30"))
    order.refresh_from_db()
    assert order.material_status == MaterialStatus.COVERED
    untouched.refresh_from_db()  # the whole factory is computed at once: Y is nowhere
    assert untouched.material_status == MaterialStatus.SHORT


def test_a_failing_listener_does_not_fail_the_committed_receipt(
    floor, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("orders.services.material_status.request_refresh", broken)
    line = purchase_line(floor.r, "50")
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("5"))
    assert GoodsReceipt.objects.filter(pk=receipt.pk).exists()
    assert "stock_received receiver" in caplog.text and "boom" in caplog.text


def test_the_shortfall_requisition_of_an_order(floor):
    old = purchase_line(
        floor.r, "1", received="1", status="closed", supplier=SupplierFactory(code="OLD")
    )
    old.purchase_order.order_date = dt.date(2025, 1, 1)
    old.purchase_order.save()
    latest = purchase_line(floor.r, "5", supplier=floor.supplier, order_date=dt.date(2026, 2, 1))
    order_of("SO1", (floor.f, "50", dt.date(2026, 4, 15)))
    put_stock(floor.r, "10")
    with pytest.raises(DomainError, match="S \\(line 1\\) is made in-house"):
        requisition_for_shortfall(user=floor.buyer, order_no="SO1", picks=[(1, "R"), (1, "S")])
    req = requisition_for_shortfall(user=floor.buyer, order_no="SO1", picks=[(1, "R")])
    assert req.source == "SO1" and req.status == "open"
    lines = {line.item.code: line for line in req.lines.all()}
    # S: 102 to make (made, not bought); R: 42.84 needed - 10 from stock - 5 on order
    assert lines.keys() == {"R"} and lines["R"].quantity == D("27.84")
    assert lines["R"].need_date == dt.date(2026, 4, 15)
    assert lines["R"].supplier == latest.purchase_order.supplier == floor.supplier


def test_a_shortfall_requisition_for_a_covered_item_is_refused(floor):
    order_of("SO1", (floor.f, "50"))
    put_stock(floor.s, "200")
    purchase_line(floor.r, "50")
    with pytest.raises(DomainError, match="Nothing to buy for R"):
        requisition_for_shortfall(user=floor.buyer, order_no="SO1", picks=[(1, "R")])
    with pytest.raises(DomainError, match="does not use X"):
        requisition_for_shortfall(user=floor.buyer, order_no="SO1", picks=[(1, "X")])
    with pytest.raises(DomainError, match="no customer order SO9"):
        requisition_for_shortfall(user=floor.buyer, order_no="SO9", picks=[(1, "R")])
    assert not PurchaseRequisition.objects.exists()
    assert SalesOrder.objects.count() == 1


def test_requisition_input_is_checked(floor):
    with pytest.raises(DomainError, match="at least one line"):
        p.requisition_create(user=floor.buyer, lines=[])
    with pytest.raises(DomainError, match="Line 2: S is counted in pcs with 0 decimals"):
        requisition(floor, (floor.r, "1.5"), (floor.s, "1.5"))
    floor.r.is_active = False
    floor.r.save()
    with pytest.raises(DomainError, match="Line 1: R is inactive"):
        requisition(floor, (floor.r, "1"))
    assert not PurchaseRequisition.objects.exists()


def test_requisition_partly_ordered_then_fully_and_cancel_rules(floor):
    req = requisition(floor, (floor.r, "30"), (floor.s, "10"))
    r_line = req.lines.get(item=floor.r)
    po = p.purchase_order_from_requisitions(
        user=floor.buyer,
        supplier=floor.supplier,
        order_date=ORDERED,
        lines=[p.RequisitionOrderLine(r_line.pk, D("2"), DUE, quantity=D("50"))],
    )
    req.refresh_from_db()
    assert req.status == "open" and po.lines.get().quantity == 50
    with pytest.raises(ConflictError, match="already on purchase order " + po.po_no):
        p.purchase_order_from_requisitions(
            user=floor.buyer,
            supplier=floor.supplier,
            order_date=ORDERED,
            lines=[p.RequisitionOrderLine(r_line.pk, D("2"), DUE)],
        )
    with pytest.raises(ConflictError, match="partly ordered"):
        p.requisition_cancel(user=floor.buyer, requisition=req)
    p.purchase_order_cancel(user=floor.buyer, purchase_order=po)
    r_line.refresh_from_db()
    assert r_line.purchase_line is None
    cancelled = p.requisition_cancel(user=floor.buyer, requisition=req)
    assert cancelled.status == "cancelled"
    with pytest.raises(ConflictError, match="is cancelled"):
        p.purchase_order_from_requisitions(
            user=floor.buyer,
            supplier=floor.supplier,
            order_date=ORDERED,
            lines=[p.RequisitionOrderLine(r_line.pk, D("2"), DUE)],
        )


def test_lines_of_another_requisition_and_bad_prices_or_dates_are_refused(floor):
    req = requisition(floor, (floor.r, "30"))
    other = requisition(floor, (floor.s, "3"))
    with pytest.raises(DomainError, match=f"requisition {req.number} has no line"):
        p.purchase_order_from_requisitions(
            user=floor.buyer,
            supplier=floor.supplier,
            requisition=req,
            lines=[p.RequisitionOrderLine(other.lines.get().pk, D("1"), DUE)],
        )
    line = req.lines.get().pk
    with pytest.raises(DomainError, match="cannot be negative"):
        order_all(floor, req, price="-1")
    with pytest.raises(DomainError, match="before the order date"):
        order_all(floor, req, due=dt.date(2026, 2, 1))
    with pytest.raises(DomainError, match="Choose the supplier"):
        p.purchase_order_from_requisitions(
            user=floor.buyer, supplier=None, lines=[p.RequisitionOrderLine(line, D("1"), DUE)]
        )
    assert not PurchaseOrder.objects.exists()


def test_direct_purchase_order_cancel_and_close(floor):
    po = p.purchase_order_create(
        user=floor.buyer,
        supplier=floor.supplier,
        lines=[p.PurchaseLineInput(floor.r, D("10"), today(), D("4"))],
    )
    assert po.order_date == today() and po.created_by == floor.buyer
    line = po.lines.get()
    receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("4"))
    with pytest.raises(ConflictError, match="has receipts \\(R 4 kg\\); close it"):
        p.purchase_order_cancel(user=floor.buyer, purchase_order=po)
    closed = p.purchase_order_close(user=floor.buyer, purchase_order=po)
    assert closed.status == "closed" and closed.updated_by == floor.buyer
    with pytest.raises(ConflictError, match="only an open purchase order can be closed"):
        p.purchase_order_close(user=floor.buyer, purchase_order=po)
    with pytest.raises(ConflictError):
        receipts.goods_receipt(user=floor.clerk, purchase_line=line, quantity=D("1"))
