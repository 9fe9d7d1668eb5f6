"""A customer calls; in a real browser the salesperson types part of the number as the
customer says it, lands on the customer 360 page and logs the call with a quoted price.
A manager recomputes the ranking, changes the tier rule and sees the effect."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Interaction
from customers.models import CustomerPhone
from erp.roles import Role
from reports.models import TierSettings
from tests.crm.profit_data import customer, earn, item
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = (
    Path(os.environ["ERP_SCREENSHOT_DIR"]) if os.environ.get("ERP_SCREENSHOT_DIR") else None
)


def test_sales_answers_a_call_from_one_page(page, log_in):
    seller = UserFactory(username="lin", first_name="Lin", roles=[Role.SALES.value])
    acme = customer("ACME", name="Acme Pipes", salesperson=seller, notes="Prefers WeChat")
    CustomerPhone.objects.create(customer=acme, number="+86 138 0013 8000")
    item("PIPE-50")

    log_in("lin")
    page.goto(reverse("crm:customer-search"))
    page.get_by_test_id("lookup").fill("0013-8000")
    with page.expect_navigation(url="**/crm/360/ACME/"):
        page.get_by_test_id("lookup").press("Enter")
    assert page.get_by_test_id("customer-code").inner_text() == "ACME"
    assert "Prefers WeChat" in page.get_by_test_id("preferences").inner_text()
    assert "Not ranked yet" in page.get_by_test_id("tier").inner_text()

    page.get_by_test_id("log-contact").click()
    page.select_option("#id_kind", "quote")
    page.select_option("#id_reason", "quotation")
    page.fill("#id_subject", "Price for 50 mm pipe")
    page.fill("#id_quote-0-item", "PIPE-50")
    page.fill("#id_quote-0-unit_price", "12.8")
    with page.expect_navigation(url="**/crm/360/ACME/"):
        page.get_by_role("button", name="Save").click()
    assert "Price for 50 mm pipe" in page.get_by_test_id("interactions").inner_text()
    assert "12.8" in page.get_by_test_id("quoted-prices").inner_text()
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "customer_360.png"), full_page=True)
    assert Interaction.objects.get().created_by == seller


def test_manager_changes_the_tier_rule_and_sees_the_effect(page, log_in):
    UserFactory(username="boss", roles=[Role.MANAGER.value])
    year = timezone.localdate().year - 1
    earn("BIG", "60", on=f"{year}-03-01")
    earn("MID", "30", on=f"{year}-04-01")
    earn("SMALL", "10", on=f"{year}-05-01")

    log_in("boss")
    page.goto(reverse("reports:dashboard"))
    assert page.get_by_test_id("no-run").is_visible()
    with page.expect_navigation():
        page.get_by_test_id("run-rankings").click()
    assert "BIG" in page.get_by_test_id("top-customers").inner_text()

    page.goto(reverse("reports:tiers"))
    tiers = page.get_by_test_id("tiers")
    assert tiers.locator("tr", has_text="MID").locator("strong").inner_text() == "VIP"
    page.fill("#id_vip_share", "0.5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the rule").click()
    assert (
        tiers.locator("tr", has_text="MID").locator("strong").inner_text() == "Important"
    )  # tiers by name
    assert TierSettings.objects.get().vip_share == 0.5
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "tiers.png"), full_page=True)


def test_the_phone_lookup_stays_put_while_the_number_is_typed(page, log_in):
    """Issue 14: typing shows the match without leaving the page; only Enter opens it."""
    seller = UserFactory(username="mei", roles=[Role.SALES.value])
    acme = customer("ACME", name="Acme Pipes", salesperson=seller)
    CustomerPhone.objects.create(customer=acme, number="+86 138 0013 8000")
    log_in("mei")
    page.goto(reverse("crm:customer-search"))
    page.get_by_test_id("lookup").press_sequentially("1380013", delay=80)
    page.wait_for_timeout(800)  # past the typing delay: the one match is listed
    assert "Acme Pipes" in page.get_by_test_id("lookup-results").inner_text()
    assert "/crm/360/" not in page.url
    with page.expect_navigation(url="**/crm/360/ACME/"):
        page.get_by_test_id("lookup").press("Enter")
