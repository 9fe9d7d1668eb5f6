"""In a real browser: the material controller opens a short order's material page, raises
a purchase requisition, turns it into a purchase order; the warehouse receives part of it
and prints the goods receipt; the order's material picture follows."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from materials.models import GoodsReceipt, PurchaseOrder, PurchaseRequisition
from orders.models import SalesOrder
from tests.factories import UserFactory
from tests.orders.material_support import build_floor, order_of, put_stock

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
# Set ERP_SCREENSHOT_DIR=/tmp to keep the screenshots for a look.
SCREENSHOTS = os.environ.get("ERP_SCREENSHOT_DIR")


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"purchasing-{name}.png"), full_page=True)


def row(page, line: int, item: str):
    return page.locator(f'[data-testid=material-row][data-line="{line}"][data-item="{item}"]')


def test_short_order_to_requisition_to_purchase_order_to_partial_receipt(page, log_in):
    floor = build_floor()
    due = timezone.localdate() + dt.timedelta(days=30)
    order_of("SO1", (floor.f, "50", due))
    put_stock(floor.r, "10")
    UserFactory(username="buyer", roles=[Role.PURCHASING.value])
    UserFactory(username="clerk", roles=[Role.WAREHOUSE.value])

    log_in("buyer")
    page.goto(reverse("orders:order-material", args=["SO1"]))
    assert page.get_by_test_id("order-material-status").inner_text().strip() == "short"
    r = row(page, 1, "R")
    assert r.get_attribute("data-status") == "short"
    assert r.get_by_test_id("need").inner_text() == "42.84"
    assert r.get_by_test_id("short").inner_text() == "32.84"
    # S is made in-house (102 to make): never offered for purchase
    assert row(page, 1, "S").get_attribute("data-made") == "1"
    assert row(page, 1, "S").locator("input[name=pick]").count() == 0
    snap(page, "material")
    page.fill("#id_note", "for SO1")
    with page.expect_navigation(url="**/materials/requisitions/PR-*/"):
        page.get_by_test_id("raise-requisition").click()
    assert "raised for order SO1" in page.locator(".alert-success").inner_text()
    lines = page.get_by_test_id("requisition-line")
    assert lines.count() == 1 and lines.get_by_test_id("quantity").inner_text() == "32.84"

    with page.expect_navigation(url="**/purchase-order/"):
        page.get_by_test_id("make-purchase-order").click()
    page.get_by_label("Supplier").select_option(label="SUP1 Supplier SUP1")
    order_line = page.get_by_test_id("order-line")
    order_line.get_by_test_id("quantity").fill("40")  # the supplier's minimum
    order_line.get_by_test_id("unit-price").fill("3.5")
    snap(page, "order-form")
    with page.expect_navigation(url="**/materials/purchase-orders/PO-*/"):
        page.get_by_test_id("create-purchase-order").click()
    po_no = page.get_by_test_id("po-number").inner_text()
    po_line = page.get_by_test_id("po-line")
    assert po_line.get_by_test_id("open").inner_text() == "40"
    assert page.get_by_test_id("po-total").inner_text() == "CNY 140.00"
    snap(page, "purchase-order")
    assert PurchaseRequisition.objects.get().status == "ordered"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**" + reverse("login"))
    log_in("clerk")
    page.goto(reverse("materials:purchase-order-detail", args=[po_no]))
    assert page.get_by_test_id("unit-price").count() == 0  # no purchase prices for the clerk
    page.get_by_test_id("receive-quantity").fill("25")
    with page.expect_navigation(url="**/materials/receipts/GR-*/"):
        page.get_by_test_id("receive-1").click()
    assert page.get_by_test_id("receipt-quantity").inner_text() == "25"
    assert "入库单" in page.get_by_test_id("receipt-sheet").inner_text()
    assert page.get_by_test_id("print").is_visible()
    snap(page, "receipt")

    page.goto(reverse("materials:purchase-order-detail", args=[po_no]))
    assert page.get_by_test_id("po-line").get_by_test_id("received").inner_text() == "25"
    assert page.get_by_test_id("po-line").get_by_test_id("open").inner_text() == "15"
    assert PurchaseOrder.objects.get().status == "open"
    assert GoodsReceipt.objects.get().quantity == Decimal("25")

    # The receipt refreshed the order's material: 35 kg from stock, 7.84 on order.
    page.goto(reverse("orders:order-material", args=["SO1"]))
    r = row(page, 1, "R")
    assert r.get_by_test_id("from-stock").inner_text() == "35"
    assert r.get_by_test_id("on-order").inner_text() == "7.84"
    assert r.get_attribute("data-status") == "partly"
    order = SalesOrder.objects.get(order_no="SO1")
    assert order.material_status == "partly" and order.material_checked_at is not None
