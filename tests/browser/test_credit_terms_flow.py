"""In a real browser: a manager sets a customer's credit limit and payment terms on the
customer page; the salesperson sees them with the form locked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from erp.roles import Role
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_manager_sets_credit_terms_and_sales_sees_them_locked(page, log_in):
    UserFactory(username="boss", roles=[Role.MANAGER.value])
    UserFactory(username="lin", roles=[Role.SALES.value])
    acme = CustomerFactory(code="ACME", name="Acme Pipes")

    log_in("boss")
    page.goto(reverse("crm:customer-detail", args=["ACME"]))
    assert page.get_by_test_id("credit-limit").inner_text() == "no limit"
    page.fill("#id_credit_limit", "80000")
    page.fill("#id_payment_terms_days", "45")
    with page.expect_navigation(url="**/crm/customers/ACME/"):
        page.get_by_test_id("save-credit-terms").click()
    assert "80,000" in page.get_by_test_id("credit-limit").inner_text() or "80000" in (
        page.get_by_test_id("credit-limit").inner_text()
    )
    assert "45 days" in page.get_by_test_id("payment-terms").inner_text()
    acme.refresh_from_db()
    assert (acme.credit_limit, acme.payment_terms_days) == (Decimal("80000"), 45)

    page.context.clear_cookies()
    log_in("lin")
    page.goto(reverse("crm:customer-detail", args=["ACME"]))
    assert page.locator("#id_credit_limit").is_disabled()
    assert page.locator("#id_payment_terms_days").is_disabled()
    assert page.get_by_test_id("credit-terms-locked").is_visible()
    assert page.get_by_test_id("save-credit-terms").count() == 0
