"""Sales follow-up writes a quotation (报价单) in a real browser, at desktop and tablet width:
from the customer's 360 page, two lines (the second added with htmx), the printable sheet,
then one step into a customer order, and the order shows the quoted prices."""

import pytest
from django.urls import reverse

from crm.models_quotations import Quotation
from erp.roles import Role
from materials.models import ItemKind
from orders.models import SalesOrder
from tests.clock import in_days
from tests.factories import CustomerFactory, ItemFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1280, 768])
def test_sales_quotes_prints_and_converts(page, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    sales = UserFactory(username="lin", first_name="Lin", roles=[Role.SALES.value])
    CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales)
    ItemFactory(code="F", name="Frame", kind=ItemKind.FINISHED)
    ItemFactory(code="K", name="Wire", kind=ItemKind.FINISHED, uom="kg", decimals=3)

    log_in("lin")
    page.goto(reverse("crm:customer-360", args=["C1"]))
    page.get_by_test_id("new-quotation").click()
    page.wait_for_url("**/quotations/new/?customer=C1")
    assert page.locator("#id_customer").input_value() == "C1"
    page.fill("#id_valid_until", in_days(20).isoformat())
    page.fill("#id_lines-0-item", "F")
    page.fill("#id_lines-0-quantity", "50")
    page.fill("#id_lines-0-unit_price", "12.5")
    page.get_by_test_id("add-line").click()  # htmx: one more row, the formset total follows
    page.wait_for_selector("#id_lines-1-item")
    assert page.locator("#id_lines-TOTAL_FORMS").input_value() == "2"
    page.fill("#id_lines-1-item", "K")
    page.fill("#id_lines-1-quantity", "2.125")
    page.fill("#id_lines-1-unit_price", "3")
    page.fill("#id_lines-1-discount_percent", "10")
    with page.expect_navigation(url="**/crm/quotations/QT-*/"):
        page.get_by_test_id("save-quotation").click()

    quotation = Quotation.objects.get()
    assert page.get_by_test_id("quotation-number").inner_text() == quotation.number
    assert page.get_by_test_id("quotation-status").get_attribute("data-status") == "draft"
    assert page.get_by_test_id("quotation-line").count() == 2
    assert "630.74" in page.get_by_test_id("quotation-total").inner_text()

    page.get_by_test_id("print-view").click()
    page.wait_for_url(f"**/quotations/{quotation.number}/print/")
    sheet = page.get_by_test_id("quotation-sheet")
    assert sheet.is_visible()
    assert "Acme Pipes" in page.get_by_test_id("sheet-customer").inner_text()
    assert "630.74" in page.get_by_test_id("sheet-total").inner_text()
    assert page.get_by_test_id("print").is_visible()
    page.emulate_media(media="print")
    assert page.get_by_test_id("print").is_hidden()  # the buttons stay off the paper
    assert page.locator("nav.navbar").is_hidden()
    page.emulate_media(media="screen")
    page.go_back()

    with page.expect_navigation():
        page.get_by_test_id("send-quotation").click()
    assert page.get_by_test_id("quotation-status").get_attribute("data-status") == "sent"
    page.fill("#id_customer_po", "PO-88")
    with page.expect_navigation(url="**/orders/order/**"):
        page.get_by_test_id("convert-quotation").click()

    order = SalesOrder.objects.get()
    assert page.get_by_test_id("order-no").inner_text() == order.order_no
    assert page.get_by_test_id("order-status").inner_text() == "draft"
    assert page.get_by_test_id("order-lines").locator("tbody tr").count() == 2
    assert "2.7" in page.get_by_test_id("order-lines").inner_text()

    page.goto(reverse("crm:quotation-detail", args=[quotation.number]))
    assert page.get_by_test_id("quotation-status").get_attribute("data-status") == "converted"
    assert page.get_by_test_id("order-link").inner_text() == order.order_no
    assert page.get_by_test_id("convert-form").count() == 0
