"""Sales enters an order from the keyboard only, at desktop and tablet width: customer code,
Enter, item code, Enter, quantity, Enter (the suggested price is filled in), Enter, due
date, Enter (a new line), ...; sees names, line amounts, the order total, the price-0
warning and the margin-floor warning; saves with Ctrl+Enter and opens the printable order
confirmation."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from erp.roles import Role
from materials.models import ItemKind
from orders.models import SalesOrder
from orders.services.margin_floor import set_margin_floor
from tests.clock import in_days
from tests.factories import CustomerFactory, ItemFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

D = Decimal
SCREENSHOTS = (
    Path(os.environ["ERP_SCREENSHOT_DIR"]) if os.environ.get("ERP_SCREENSHOT_DIR") else None
)


def _type_date(page, day) -> None:
    """A date typed into Chromium's date field (en-US: month, day, year)."""
    page.keyboard.type(f"{day:%m%d%Y}")


@pytest.mark.parametrize("width", [1280, 768])
def test_sales_enters_an_order_with_the_keyboard_only(page, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    sales = UserFactory(username="lin", first_name="Lin", roles=[Role.SALES.value])
    manager = UserFactory(username="boss", roles=[Role.MANAGER.value])
    CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales)
    ItemFactory(
        code="F100",
        name="Frame",
        kind=ItemKind.FINISHED,
        standard_cost=D("8"),
        list_price=D("12.50"),
    )
    ItemFactory(
        code="F200",
        name="Wire",
        kind=ItemKind.FINISHED,
        uom="kg",
        decimals=3,
        standard_cost=D("1"),
        list_price=D("3"),
    )
    set_margin_floor(user=manager, percent="40", reason="seed: low-margin products")
    due = in_days(14)

    log_in("lin")
    page.goto(reverse("orders:order-create"))
    customer = page.locator("#id_customer")
    expect(customer).to_be_focused()  # autofocus

    page.keyboard.type("C1")
    page.get_by_test_id("customer-name").wait_for()
    assert "Acme Pipes" in page.get_by_test_id("customer-info").inner_text()
    page.keyboard.press("Enter")  # moves on, does not save
    expect(page.locator("#id_lines-0-item")).to_be_focused()
    assert "/orders/new/" in page.url and not SalesOrder.objects.exists()

    page.keyboard.type("F100")
    page.keyboard.press("Enter")
    row0 = page.get_by_test_id("line-row").nth(0)
    row0.get_by_test_id("item-name").wait_for()
    assert row0.get_by_test_id("item-name").inner_text() == "Frame"
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    price0 = page.locator("#id_lines-0-unit_price")
    expect(price0).to_have_value("12.5")
    assert "list price" in row0.get_by_test_id("price-source").inner_text()
    # 36% margin under the 40% floor: sales is warned, without cost or margin
    row0.get_by_test_id("below-floor").wait_for()
    assert "Margin" not in row0.get_by_test_id("line-info").inner_text()
    expect(price0).to_be_focused()
    page.keyboard.press("Enter")
    _type_date(page, due)
    page.keyboard.press("Enter")  # the last line: a new one is added, its item focused
    page.locator("#id_lines-1-item").wait_for()
    expect(page.locator("#id_lines-1-item")).to_be_focused()

    page.keyboard.type("F200")
    page.keyboard.press("Enter")
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-1-unit_price")).to_have_value("3")
    page.keyboard.type("0")  # the suggested price is selected: typing replaces it
    row1 = page.get_by_test_id("line-row").nth(1)
    expect(row1.get_by_test_id("price-zero")).to_be_visible()
    assert not row0.get_by_test_id("price-zero").is_visible()
    assert page.locator("#id_lines-1-due_date").input_value() == due.isoformat()  # from above
    expect(row0.get_by_test_id("line-amount")).to_have_text("50.00")
    expect(row1.get_by_test_id("line-amount")).to_have_text("0.00")
    expect(page.get_by_test_id("order-total")).to_have_text("50.00")
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / f"order_entry_{width}.png"), full_page=True)

    with page.expect_navigation(url="**/orders/order/**"):
        page.keyboard.press("Control+Enter")

    order = SalesOrder.objects.get()
    lines = list(order.lines.order_by("line").values_list("item__code", "quantity", "unit_price"))
    assert lines == [("F100", D("4"), D("12.5")), ("F200", D("2.5"), D("0"))]
    assert order.order_no.startswith("SO-")
    assert page.get_by_test_id("order-total").inner_text() == "CNY 50.00"
    assert page.get_by_test_id("below-floor").count() == 1
    assert page.get_by_test_id("price-zero").count() == 1

    page.get_by_test_id("order-confirmation").click()
    page.wait_for_url("**/confirmation/")
    sheet = page.get_by_test_id("confirmation-sheet")
    assert order.order_no in sheet.inner_text() and "Acme Pipes" in sheet.inner_text()
    assert page.get_by_test_id("confirmation-net").inner_text() == "CNY 50.00"
    assert page.get_by_test_id("print").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_test_id("print").is_visible()  # the buttons are not printed
    assert sheet.is_visible()
