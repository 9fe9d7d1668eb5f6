"""Every role's home page is its work queue, in a real browser at desktop and tablet width:
each of the seven roles logs in, sees its panels with what waits for it, and follows one
row's link to the page where the work is done."""

from decimal import Decimal

import pytest

from erp.roles import Role
from materials.models import InspectionKind, InspectionLot, Location, StockAdjustment, Warehouse
from production.models import ProductionPlan
from tests.clock import in_days, today
from tests.factories import (
    CustomerFactory,
    ItemFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# role: (panels it must see, the panel whose first row it follows, where that leads)
HOMES = {
    Role.SALES.value: (
        ["late-orders", "contact-slips", "follow-ups-due", "my-overdue"],
        "late-orders",
        "**/orders/order/SO-LATE/",
    ),
    Role.WAREHOUSE.value: (
        ["receipts-due", "ready-to-pick", "ready-to-ship", "return-requests"],
        "receipts-due",
        "**/materials/purchase-orders/PO-DUE/",
    ),
    Role.PURCHASING.value: (["late-shortfalls", "po-due"], "po-due", "**/purchase-orders/PO-DUE/"),
    Role.PRODUCTION.value: (
        ["plans-to-approve", "daily-reports-missing", "contact-slips"],
        "plans-to-approve",
        "**/production/plans/*/",
    ),
    Role.QUALITY.value: (["inspections", "open-ncrs"], "inspections", "**/inspections/IL-1/"),
    Role.MANAGER.value: (
        ["credit-approvals", "stock-counts", "plans-to-approve", "late-orders"],
        "stock-counts",
        "**/stock/adjustments/ADJ-1/",
    ),
    Role.ADMIN.value: (
        ["late-orders", "receipts-due", "inspections", "stock-counts"],
        "late-orders",
        "**/orders/order/SO-LATE/",
    ),
}


def _work_for_everyone(seller) -> None:
    order = SalesOrderFactory(
        order_no="SO-LATE", customer=CustomerFactory(code="ACME", salesperson=seller)
    )
    SalesOrderLineFactory(order=order, due_date=in_days(-2))
    PurchaseOrderLineFactory(purchase_order__po_no="PO-DUE", line=1, due_date=today())
    ProductionPlan.objects.create(
        number="PP-1", period_start=today(), period_end=in_days(6), status="submitted"
    )
    item = ItemFactory(code="ROD", name="Steel rod")
    main = Warehouse.objects.get(code="MAIN")
    InspectionLot.objects.create(
        number="IL-1", kind=InspectionKind.INCOMING, item=item, warehouse=main, quantity=5
    )
    StockAdjustment.objects.create(
        number="ADJ-1",
        item=item,
        location=Location.objects.get(warehouse=main, kind="usable"),
        counted_quantity=Decimal(3),
        book_quantity=Decimal(4),
        reason="count",
    )


@pytest.mark.parametrize("width", [1280, 768])
@pytest.mark.parametrize("role", Role.values)
def test_each_role_starts_the_day_from_its_work_queue(page, log_in, role, width):
    page.set_viewport_size({"width": width, "height": 900})
    seller = UserFactory(username="sales", roles=[Role.SALES.value], first_name="Li")
    if role != Role.SALES.value:
        UserFactory(username=role, roles=[role], is_staff=role == Role.ADMIN.value)
    _work_for_everyone(seller)
    panels, follow, target = HOMES[role]

    log_in(role)
    queue = page.get_by_test_id("work-queue")
    assert queue.is_visible()
    for key in panels:
        assert page.get_by_test_id(key).is_visible(), key
    box = page.get_by_test_id(follow).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.get_by_test_id(f"{follow}-count").inner_text() == "1"
    with page.expect_navigation(url=target):
        page.get_by_test_id(follow).locator("li a").first.click()
    assert page.locator("h1").first.is_visible()
