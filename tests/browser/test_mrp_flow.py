"""In a real browser: the material controller runs MRP, sees the shortfall under its
supplier, drills down to the customer order behind it, and raises a purchase requisition
from the shortfall list."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from materials.models import PurchaseRequisition
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    SupplierFactory,
    UserFactory,
)
from tests.production.conftest import put

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SCREENSHOTS = os.environ.get("ERP_SCREENSHOT_DIR")


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"mrp-{name}.png"), full_page=True)


def build_factory(today: dt.date) -> None:
    """The worked example of CONTRACT.md section 4, dated from today; R was last bought from
    SUP1."""
    p1 = ProcessFactory(code="P1", defect_rate=Decimal("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=Decimal("0.05"))
    f = ItemFactory(code="F", kind="finished", lead_time_days=2)
    s = ItemFactory(code="S", kind="semi", lead_time_days=1)
    r = ItemFactory(
        code="R", kind="raw", uom="kg", decimals=3, lead_time_days=5, min_order_qty=Decimal(50)
    )
    BomLineFactory(parent=f, component=s, quantity=Decimal(2), process=p1)
    BomLineFactory(parent=s, component=r, quantity=Decimal("0.4"), process=p2)
    put(f, 10)
    put(r, 20)
    supplier = SupplierFactory(code="SUP1", name="Steel Co")
    bought = PurchaseOrderFactory(supplier=supplier, status="closed")
    PurchaseOrderLineFactory(
        purchase_order=bought, item=r, quantity=Decimal(5), received_quantity=Decimal(5)
    )
    order = SalesOrderFactory(order_no="SO1", order_date=today)
    SalesOrderLineFactory(
        order=order, line=1, item=f, quantity=Decimal(60), due_date=today + dt.timedelta(days=8)
    )


def test_run_mrp_drill_to_the_customer_order_and_raise_a_requisition(page, log_in):
    today = timezone.localdate()  # the date MRP plans as of
    build_factory(today)
    UserFactory(username="buyer", roles=[Role.PURCHASING.value])

    log_in("buyer")
    page.goto(reverse("production:shortfall-list"))
    assert "MRP has not run yet" in page.get_by_test_id("mrp-computed").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("mrp-run-now").click()
    assert "MRP run finished: 3 planned orders" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("mrp-fresh").is_visible()

    group = page.locator('[data-testid=supplier-group][data-supplier="SUP1"]')
    shortfall = group.locator('[data-testid=shortfall][data-item="R"]')
    assert shortfall.get_by_test_id("quantity").inner_text() == "50 kg"
    assert shortfall.get_by_test_id("due-date").inner_text() == f"{today + dt.timedelta(5)}"
    assert shortfall.get_by_test_id("release-date").inner_text().startswith(f"{today}")
    snap(page, "shortfalls")

    with page.expect_navigation():
        shortfall.get_by_test_id("pegging-link").click()
    assert page.get_by_test_id("pegged-order").count() == 1
    snap(page, "pegging")
    with page.expect_navigation(url="**" + reverse("orders:order-detail", args=["SO1"])):
        page.get_by_role("link", name="SO1").click()
    assert "SO1" in page.content()

    page.goto(reverse("production:shortfall-list"))
    page.locator('[data-testid=shortfall][data-item="R"] input[name=planned]').check()
    page.fill("#id_note", "for SO1")
    with page.expect_navigation(url="**/materials/requisitions/PR-*/"):
        page.get_by_test_id("create-requisition").click()
    assert "raised for 1 shortfall." in page.locator(".alert-success").inner_text()
    assert "SO1" in page.get_by_test_id("requisition-source").inner_text()
    snap(page, "requisition")
    requisition = PurchaseRequisition.objects.get()
    line = requisition.lines.select_related("item", "supplier").get()
    assert (line.item.code, line.quantity, line.supplier.code) == ("R", Decimal(50), "SUP1")
    assert line.need_date == today + dt.timedelta(days=5)
