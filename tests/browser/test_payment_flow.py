"""In a real browser: a manager records a customer's payment; choosing the customer and the
amount loads its open invoices (htmx) with the amount spread earliest due first; one
amount is changed by hand, the rest stays as credit; then the payment is reversed."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from erp.roles import Role
from orders.receivables.models import Invoice, Payment
from tests.clock import in_days, today
from tests.factories import CustomerFactory, UserFactory
from tests.orders.receivables.factories import invoice

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_manager_records_allocates_by_hand_and_reverses_a_payment(page, log_in):
    UserFactory(username="boss", roles=[Role.MANAGER.value])
    acme = CustomerFactory(code="ACME", name="Acme Pipes")
    invoice(acme, on=in_days(-40), due=in_days(-10), gross="100.00", invoice_no="INV-A")
    invoice(acme, on=in_days(-20), due=in_days(10), gross="200.00", invoice_no="INV-B")

    log_in("boss")
    page.goto(reverse("orders:payment-create"))
    page.get_by_test_id("payment-customer").fill("ACME")
    page.get_by_test_id("payment-amount").fill("150")
    page.get_by_test_id("payment-amount").press("Tab")
    expect(page.get_by_test_id("alloc-INV-B")).to_have_value("50.00")
    expect(page.get_by_test_id("alloc-INV-A")).to_have_value("100.00")
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("alloc-INV-B").fill("20")
    page.fill("#id_date", today().isoformat())
    with page.expect_navigation(url="**/orders/payments/RCV-*/"):
        page.get_by_test_id("save-payment").click()
    assert page.get_by_test_id("payment-unallocated").inner_text() == "CNY 30.00"
    assert page.get_by_test_id("allocation-row").count() == 2
    payment = Payment.objects.get()
    assert payment.allocated_amount == Decimal("120")

    page.fill("#id_reason", "transfer bounced")
    with page.expect_navigation():
        page.get_by_test_id("reverse").click()
    assert "transfer bounced" in page.get_by_test_id("reversal").inner_text()
    assert set(Invoice.objects.values_list("allocated_amount", flat=True)) == {Decimal("0")}
