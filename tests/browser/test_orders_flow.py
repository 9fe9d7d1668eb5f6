"""Sales follow-up in a real browser: enter an order with two lines (the second added with
htmx), confirm it, apply a due-date change notice and find it in the order's history."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from materials.models import ItemKind
from orders.models import OrderChange, SalesOrder
from tests.factories import CustomerFactory, ItemFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = (
    Path(os.environ["ERP_SCREENSHOT_DIR"]) if os.environ.get("ERP_SCREENSHOT_DIR") else None
)


def test_sales_enters_confirms_and_changes_an_order(page, log_in):
    sales = UserFactory(username="lin", first_name="Lin", roles=[Role.SALES.value])
    UserFactory(username="wang", roles=[Role.PRODUCTION.value])
    CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales)
    ItemFactory(code="F", name="Frame", kind=ItemKind.FINISHED)
    ItemFactory(code="K", name="Wire", kind=ItemKind.FINISHED, uom="kg", decimals=3)
    today = timezone.localdate()
    first_due, second_due, new_due = (today + dt.timedelta(days=d) for d in (10, 20, 30))

    log_in("lin")
    page.goto(reverse("orders:order-list"))
    assert page.get_by_role("heading", name="My orders").is_visible()
    page.get_by_test_id("new-order").click()
    page.wait_for_url("**/orders/new/")
    page.fill("#id_customer", "C1")
    page.fill("#id_customer_po", "PO-4711")
    page.fill("#id_lines-0-item", "F")
    page.fill("#id_lines-0-quantity", "50")
    page.fill("#id_lines-0-unit_price", "12.5")
    page.fill("#id_lines-0-due_date", first_due.isoformat())
    page.get_by_test_id("add-line").click()  # htmx: one more row, the formset total follows
    page.wait_for_selector("#id_lines-1-item")
    assert page.locator("#id_lines-TOTAL_FORMS").input_value() == "2"
    page.fill("#id_lines-1-item", "K")
    page.fill("#id_lines-1-quantity", "2.125")
    page.fill("#id_lines-1-unit_price", "3")
    page.fill("#id_lines-1-due_date", second_due.isoformat())
    page.fill("#id_lines-1-specification", "galvanised")
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "order_form.png"), full_page=True)
    with page.expect_navigation(url="**/orders/order/**"):
        page.get_by_test_id("save-order").click()

    order = SalesOrder.objects.get()
    assert page.get_by_test_id("order-no").inner_text() == order.order_no
    assert page.get_by_test_id("order-status").inner_text() == "draft"
    assert page.get_by_test_id("order-lines").locator("tbody tr").count() == 2
    with page.expect_navigation():
        page.get_by_test_id("confirm-order").click()
    assert page.get_by_test_id("order-status").inner_text() == "confirmed"

    page.get_by_test_id("new-change").click()
    page.wait_for_url("**/change/")
    page.select_option("#id_kind", "due_date")
    page.select_option("#id_order_line", "1")
    assert page.locator("#id_new_quantity").is_hidden()  # only the field this change needs
    page.fill("#id_new_due_date", new_due.isoformat())
    page.fill("#id_reason", "Customer's site is not ready")
    with page.expect_navigation(url=f"**/orders/order/{order.order_no}/"):
        page.get_by_test_id("apply-change").click()

    change = OrderChange.objects.get()
    assert page.get_by_test_id("replan").is_visible()
    history = page.get_by_test_id("history")
    entries = history.locator("li")
    assert [entries.nth(i).get_attribute("data-kind") for i in range(entries.count())] == [
        "created",
        "confirmed",
        "change",
    ]
    last = entries.nth(2).inner_text()
    assert change.number in last and new_due.isoformat() in last
    assert first_due.isoformat() in last and "Customer's site is not ready" in last
    line_one = page.get_by_test_id("line-1").inner_text()
    assert new_due.isoformat() in line_one
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "order.png"), full_page=True)

    # The order shows in the salesperson's list with the new due date first.
    page.goto(reverse("orders:order-list"))
    row = page.get_by_test_id("order-row").first
    assert row.get_attribute("data-order") == order.order_no
    assert first_due.isoformat() not in row.inner_text()  # line 2 is due next now
    assert second_due.isoformat() in row.inner_text()
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "order_list.png"), full_page=True)
