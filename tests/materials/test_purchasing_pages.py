"""Purchasing pages: requisitions, the purchase order made from one, receipts booked by the
warehouse, the printable goods receipt; who sees prices; who may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from materials.models import GoodsReceipt, PurchaseOrder, PurchaseRequisition, StockBalance
from materials.services import purchasing as p
from materials.services import receipts
from tests.factories import SupplierFactory
from tests.orders.material_support import build_floor

D = Decimal
P, W, S, M = Role.PURCHASING.value, Role.WAREHOUSE.value, Role.SALES.value, Role.MANAGER.value
NEED = timezone.localdate() + dt.timedelta(days=20)


@pytest.fixture
def floor(db, make_user):
    floor = build_floor()
    floor.buyer = make_user(P)
    floor.requisition = p.requisition_create(
        user=floor.buyer,
        source="SO1",
        lines=[
            p.RequisitionLineInput(floor.r, D("27.84"), NEED, floor.supplier),
            p.RequisitionLineInput(floor.s, D("10"), NEED),
        ],
    )
    return floor


def client_for(make_user, *roles) -> Client:
    client = Client()
    client.force_login(make_user(*roles))
    return client


def order_form(floor, **overrides):
    data = {
        "supplier": floor.supplier.pk,
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, line in enumerate(floor.requisition.lines.order_by("id")):
        data |= {
            f"form-{n}-take": "on",
            f"form-{n}-requisition_line": str(line.pk),
            f"form-{n}-quantity": str(line.quantity),
            f"form-{n}-unit_price": "2.5",
            f"form-{n}-due_date": NEED.isoformat(),
        }
    return data | overrides


def test_requisition_list_and_detail(floor, make_user, django_assert_max_num_queries):
    client = client_for(make_user, P)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("materials:requisition-list"))
    html = response.content.decode()
    assert floor.requisition.number in html and "R 27.84 kg" in html
    assert "R" in client.get(reverse("materials:requisition-list"), {"q": "SO1"}).content.decode()
    detail = client.get(reverse("materials:requisition-detail", args=[floor.requisition.number]))
    assert (
        detail.status_code == 200 and 'data-testid="make-purchase-order"' in detail.content.decode()
    )
    assert client.get(reverse("materials:requisition-detail", args=["NOPE"])).status_code == 404


def test_purchase_order_from_a_requisition_page(floor, make_user):
    client = client_for(make_user, P)
    url = reverse("materials:requisition-order", args=[floor.requisition.number])
    form = client.get(url)
    html = form.content.decode()
    assert form.status_code == 200 and f'value="{floor.supplier.pk}" selected' in html
    data = order_form(floor, **{"form-1-take": ""})  # S waits for another supplier
    response = client.post(url, data)
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:purchase-order-detail", args=[order.po_no])
    assert [(x.item.code, x.quantity, x.unit_price) for x in order.lines.all()] == [
        ("R", D("27.84"), D("2.5"))
    ]
    floor.requisition.refresh_from_db()
    assert floor.requisition.status == "open"
    other = SupplierFactory(code="SUP2")
    data = order_form(floor, supplier=other.pk)
    data = {k: v for k, v in data.items() if not k.startswith("form-0-")} | {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
    }
    data = {k.replace("form-1-", "form-0-"): v for k, v in data.items()}
    assert client.post(url, data).status_code == 302
    floor.requisition.refresh_from_db()
    assert floor.requisition.status == "ordered"


def test_the_purchase_order_form_shows_what_is_wrong(floor, make_user):
    client = client_for(make_user, P)
    url = reverse("materials:requisition-order", args=[floor.requisition.number])
    response = client.post(url, order_form(floor, **{"form-0-unit_price": "", "supplier": ""}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the unit price" in html and "This field is required" in html
    late = order_form(floor, **{"form-0-due_date": "2020-01-01"})
    response = client.post(url, late, follow=True)
    assert "is before the order date" in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_warehouse_receives_part_and_prints_the_receipt(floor, make_user):
    order = p.purchase_order_from_requisitions(
        user=floor.buyer,
        supplier=floor.supplier,
        lines=[p.RequisitionOrderLine(x.pk, D("3"), NEED) for x in floor.requisition.lines.all()],
    )
    clerk = client_for(make_user, W)
    detail = clerk.get(reverse("materials:purchase-order-detail", args=[order.po_no]))
    html = detail.content.decode()
    assert 'data-testid="receive-form-1"' in html
    assert 'data-testid="unit-price"' not in html and 'data-testid="po-total"' not in html
    url = reverse("materials:purchase-order-receive", args=[order.po_no, 1])
    response = clerk.post(
        url,
        {
            "line1-quantity": "20",
            "line1-warehouse": "MAIN",
            "line1-receipt_date": timezone.localdate().isoformat(),
        },
    )
    receipt = GoodsReceipt.objects.get()
    assert response["Location"] == reverse("materials:receipt-detail", args=[receipt.number])
    assert StockBalance.objects.get(item=floor.r, location__kind="usable").quantity == 20
    sheet = clerk.get(response["Location"]).content.decode()
    assert "入库单" in sheet and 'data-testid="receipt-quantity">20<' in sheet
    assert "data-print" in sheet and "Unit price" not in sheet
    buyer_sheet = client_for(make_user, P).get(response["Location"]).content.decode()
    assert "Unit price" in buyer_sheet and ">CNY 60.00<" in buyer_sheet  # 20 x 3

    refused = clerk.post(url, {"line1-quantity": "8", "line1-warehouse": "MAIN"}, follow=True)
    assert "7.84 kg open" in refused.content.decode()
    bad = clerk.post(url, {"line1-quantity": "x", "line1-warehouse": "MAIN"}, follow=True)
    assert "not booked" in bad.content.decode()
    assert GoodsReceipt.objects.count() == 1
    assert (
        clerk.post(
            reverse("materials:purchase-order-receive", args=[order.po_no, 9]), {}
        ).status_code
        == 404
    )


def test_lists_of_purchase_orders_and_receipts(floor, make_user, django_assert_max_num_queries):
    clerk_user = make_user(W)
    for n in range(5):
        order = p.purchase_order_create(
            user=floor.buyer,
            supplier=floor.supplier,
            lines=[
                p.PurchaseLineInput(floor.r, D("5"), NEED, D("4")),
                p.PurchaseLineInput(floor.s, D("2"), NEED),
            ],
        )
        receipts.goods_receipt(
            user=clerk_user, purchase_line=order.lines.first(), quantity=D(n + 1)
        )
    buyer = client_for(make_user, P)
    with django_assert_max_num_queries(12):
        response = buyer.get(reverse("materials:purchase-order-list"))
    assert response.content.decode().count('data-testid="purchase-order"') == 5
    with django_assert_max_num_queries(12):
        response = buyer.get(reverse("materials:receipt-list"))
    assert response.content.decode().count("GR-") >= 5
    filtered = buyer.get(reverse("materials:purchase-order-list"), {"status": "closed"})
    assert 'data-testid="purchase-order"' not in filtered.content.decode()


def test_cancel_and_close_from_the_pages(floor, make_user):
    buyer = client_for(make_user, P)
    order = p.purchase_order_create(
        user=floor.buyer,
        supplier=floor.supplier,
        lines=[p.PurchaseLineInput(floor.r, D("5"), NEED)],
    )
    assert (
        client_for(make_user, W)
        .post(reverse("materials:purchase-order-close", args=[order.po_no]))
        .status_code
        == 403
    )
    buyer.post(reverse("materials:purchase-order-close", args=[order.po_no]))
    order.refresh_from_db()
    assert order.status == "closed"
    response = buyer.post(
        reverse("materials:purchase-order-cancel", args=[order.po_no]), follow=True
    )
    assert "only an open purchase order can be cancelled" in response.content.decode()
    buyer.post(reverse("materials:requisition-cancel", args=[floor.requisition.number]))
    floor.requisition.refresh_from_db()
    assert floor.requisition.status == PurchaseRequisition.Status.CANCELLED


@pytest.mark.parametrize(
    ("role", "order_form_status", "receive_status"),
    [(S, 403, 403), (M, 403, 403), (W, 403, 302), (P, 200, 403)],
)
def test_who_may_order_and_receive(floor, make_user, role, order_form_status, receive_status):
    order = p.purchase_order_create(
        user=floor.buyer,
        supplier=floor.supplier,
        lines=[p.PurchaseLineInput(floor.r, D("5"), NEED)],
    )
    client = client_for(make_user, role)
    url = reverse("materials:requisition-order", args=[floor.requisition.number])
    assert client.get(url).status_code == order_form_status
    receive = reverse("materials:purchase-order-receive", args=[order.po_no, 1])
    data = {"line1-quantity": "1", "line1-warehouse": "MAIN"}
    assert client.post(receive, data).status_code == receive_status
    for name in ("requisition-list", "purchase-order-list", "receipt-list"):
        assert client.get(reverse(f"materials:{name}")).status_code == 200
    no_role = client_for(make_user)
    assert no_role.get(reverse("materials:purchase-order-list")).status_code == 403
