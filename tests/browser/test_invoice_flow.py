"""Invoicing in a real browser: the manager opens Invoices from the menu, starts a new
invoice for the customer with goods shipped and not invoiced, ticks one shipment with a
partial quantity, issues it, records the VAT invoice number, writes a credit note for a
return, then invoices everything else shipped with one button."""

from decimal import Decimal

import pytest
from django.urls import reverse

from erp.roles import Role
from orders.receivables.models import Invoice
from tests.factories import UserFactory
from tests.orders.receivables.invoicing_support import build_invoicing

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


class _Users:
    def __call__(self, *roles, username=None, **kw):
        return UserFactory(username=username or "_".join(roles), roles=roles, **kw)


def test_manager_invoices_shipments_and_credits_a_return(page, log_in, settings):
    settings.VAT_RATE = Decimal("0.13")
    f = build_invoicing(_Users())
    f["manager"].set_password("pw")
    f["manager"].save()
    assert f["manager"].groups.filter(name=Role.MANAGER.value).exists()

    log_in("boss")
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Invoices").first.click()
    with page.expect_navigation():
        page.get_by_test_id("new-invoice").click()
    with page.expect_navigation():
        page.get_by_role("link", name="ACME").click()
    table = page.get_by_test_id("uninvoiced-shipments")
    assert "SO-A-SH1" in table.inner_text() and "SO-B-SH1" not in table.inner_text()
    page.check(f"#ship-{f['s1'].pk}")
    page.fill(f"input[name='qty-{f['s1'].pk}']", "2")
    with page.expect_navigation():
        page.get_by_test_id("invoice-selected").click()
    assert "issued" in page.locator(".alert").first.inner_text()
    assert page.get_by_test_id("invoice-net").inner_text() == "CNY 6.67"  # 2 x 3.335
    assert page.get_by_test_id("invoice-gross").inner_text() == "CNY 7.54"
    first = Invoice.objects.get()

    page.fill("#id_vat_invoice_no", "04400123")
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    assert page.get_by_test_id("invoice-vat-no").inner_text() == "04400123"

    with page.expect_navigation():
        page.get_by_test_id("new-credit-note").click()
    line = first.lines.get()
    page.fill(f"input[name='qty-{line.pk}']", "1")
    with page.expect_navigation():
        page.get_by_test_id("issue-credit-note").click()
    assert page.get_by_test_id("credit-note-gross").inner_text() == "CNY 3.77"

    page.goto(reverse("orders:invoice-create") + "?customer=ACME")
    with page.expect_navigation():
        page.get_by_test_id("invoice-all").click()
    assert page.get_by_test_id("invoice-net").inner_text() == "CNY 23.44"  # 3.34 + 10.05 x 2
    assert Invoice.objects.count() == 2
