"""Under the Content-Security-Policy, in a real browser: nothing is refused, and the
behaviours that were inline handlers work from static/erp/erp.js (ask before closing a
purchase order, print, submit a select on change), as do the API docs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from erp.roles import Role
from materials.models import PurchaseOrder
from materials.services import purchasing as p
from tests.factories import UserFactory
from tests.orders.material_support import build_floor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def refusals(page):
    """What the browser refused or failed on: CSP violations, script errors."""
    seen: list[str] = []

    def heard(message) -> None:
        where = (message.location or {}).get("url", "")
        if where.endswith("/favicon.ico"):  # the browser asks for it; we have none
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            seen.append(f"{message.text} ({where})")

    page.on("console", heard)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def test_pages_work_under_the_policy(page, log_in, refusals):
    floor = build_floor()
    buyer = UserFactory(username="buyer", roles=[Role.PURCHASING.value])
    due = timezone.localdate() + dt.timedelta(days=30)
    order = p.purchase_order_create(
        user=buyer,
        supplier=floor.supplier,
        lines=[p.PurchaseLineInput(floor.r, Decimal("5"), due, Decimal("3.5"))],
    )

    log_in("buyer")
    response = page.goto(reverse("materials:purchase-order-detail", args=[order.po_no]))
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # Print: the button calls window.print through erp.js.
    page.evaluate("window.print = () => { window.__printed = true }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") is True

    # Close asks first: dismissed, nothing happens; accepted, the order closes.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Close", exact=True).click()
    page.wait_for_timeout(300)
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseOrder.Status.OPEN
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Close", exact=True).click()
    assert PurchaseOrder.objects.get(pk=order.pk).status == PurchaseOrder.Status.CLOSED

    # The language select submits itself on change (base.html, every page).
    with page.expect_navigation():
        page.get_by_test_id("language-switch").locator("select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    with page.expect_navigation():
        page.get_by_test_id("language-switch").locator("select").select_option("en")

    # htmx live search still runs (its script and its CSS from files).
    page.goto(reverse("materials:item-list"))
    page.fill("#id_q", "Steel")
    expect(page.get_by_test_id("item-table").locator("tbody tr")).to_have_count(1)

    # Swagger UI renders the operations from its split init script.
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)

    assert refusals == []


def test_the_admin_works_under_the_policy(page, log_in, refusals):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in("root")
    for url in ("/admin/", "/admin/materials/item/", "/admin/materials/item/add/"):
        response = page.goto(url)
        assert response.status == 200, url
        assert "content-security-policy" in response.headers
    # The add form rendered, and its scripts (admin/js/*.js, files) ran without a refusal.
    expect(page.locator("#id_code")).to_be_visible()
    assert refusals == []
