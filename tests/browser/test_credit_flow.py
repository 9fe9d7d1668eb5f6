"""The credit check in a real browser: sales confirms an order above the customer's credit
limit, it waits for credit approval; the manager finds it in the menu's queue and rejects it
with a reason; sales sees the order back in draft with the reason, and the manager approves
it after sales confirms again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from materials.models import ItemKind
from orders.models import OrderStatus
from orders.services.orders import OrderLineInput, order_create
from tests.factories import CustomerFactory, ItemFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_order_over_the_limit_waits_and_a_manager_decides(page, log_in, settings):
    settings.VAT_RATE = Decimal("0.13")
    sales = UserFactory(username="lin", roles=[Role.SALES.value])
    UserFactory(username="boss", roles=[Role.MANAGER.value])
    customer = CustomerFactory(
        code="C1", name="Acme Pipes", salesperson=sales, credit_limit=Decimal("500")
    )
    item = ItemFactory(code="F", name="Frame", kind=ItemKind.FINISHED)
    today = timezone.localdate()
    order = order_create(
        user=sales,
        customer=customer,
        order_date=today,
        lines=[
            OrderLineInput(
                item=item,
                quantity=Decimal("50"),
                unit_price=Decimal("12.5"),
                due_date=today + dt.timedelta(days=10),
            )
        ],
    )
    detail = reverse("orders:order-detail", args=[order.order_no])

    log_in("lin")
    page.goto(detail)
    with page.expect_navigation():
        page.get_by_test_id("confirm-order").click()
    assert "waits for credit approval" in page.locator(".alert").first.inner_text()
    assert page.get_by_test_id("order-status").inner_text() == "awaiting credit approval"
    assert page.get_by_test_id("credit-decision").inner_text() == "waiting for approval"

    page.context.clear_cookies()
    log_in("boss")
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Credit approvals").first.click()
    row = page.locator("tr", has_text=order.order_no)
    assert "706.25" in row.inner_text() and "500.00" in row.inner_text()
    row.locator("input[name=reason]").nth(1).fill("Pay the open invoices first")
    with page.expect_navigation():
        row.get_by_role("button", name="Reject").click()
    assert "back to draft" in page.locator(".alert").first.inner_text()
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT

    page.context.clear_cookies()
    log_in("lin")
    page.goto(detail)
    assert page.get_by_test_id("credit-reason").inner_text().endswith("Pay the open invoices first")
    with page.expect_navigation():
        page.get_by_test_id("confirm-order").click()

    page.context.clear_cookies()
    log_in("boss")
    page.goto(reverse("orders:credit-approval-list"))
    with page.expect_navigation():
        page.locator("tr", has_text=order.order_no).get_by_role("button", name="Approve").click()
    assert "is confirmed" in page.locator(".alert").first.inner_text()
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
