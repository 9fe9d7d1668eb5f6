"""In a real browser: a salesperson sees its customer's overdue invoice at home, opens the
receivables aging (its customers), moves the as-of date back, opens the customer's
statement for a period and finds the running balance and the print button."""

import pytest

from erp.roles import Role
from tests.clock import in_days
from tests.factories import CustomerFactory, UserFactory
from tests.orders.receivables import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_salesperson_chases_an_overdue_invoice(page, log_in):
    seller = UserFactory(username="seller", roles=[Role.SALES.value])
    acme = CustomerFactory(code="ACME", name="Acme Pipes", salesperson=seller)
    CustomerFactory(code="OTHER", name="Not mine")
    rf.invoice(acme, on=in_days(-70), due=in_days(-40), gross="100.00", invoice_no="INV-OLD")
    rf.invoice(acme, on=in_days(-2), gross="50.00", invoice_no="INV-NEW")

    log_in("seller")
    overdue = page.get_by_test_id("my-overdue")
    assert "INV-OLD" in overdue.inner_text() and "INV-NEW" not in overdue.inner_text()
    with page.expect_navigation():
        overdue.get_by_role("link", name="Receivables aging").click()
    table = page.get_by_test_id("aging")
    assert "ACME" in table.inner_text() and "150.00" in table.inner_text()
    page.fill("#id_as_of", in_days(-10).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "150.00" not in page.get_by_test_id("aging").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Statement").first.click()
    page.fill("#id_start", in_days(-80).isoformat())
    page.fill("#id_end", in_days(0).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.get_by_test_id("closing").inner_text() == "CNY 150.00"
    assert "INV-OLD" in page.get_by_test_id("statement-lines").inner_text()
    assert page.get_by_test_id("print").is_visible()
