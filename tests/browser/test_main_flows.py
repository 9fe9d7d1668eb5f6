"""The main flows in a real browser: log in per role and see that role's menu, a wrong
password, the language switch, item search and its BOM tree, log out."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from erp.navigation import MENU
from erp.roles import Role
from materials.models import ItemKind, Location
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Set ERP_SCREENSHOT_DIR=/tmp to keep the screenshots for a look.
SCREENSHOTS = (
    Path(os.environ.get("ERP_SCREENSHOT_DIR", "")) if os.environ.get("ERP_SCREENSHOT_DIR") else None
)


def menu_labels(page) -> set[str]:
    return {t.strip() for t in page.locator("#mainnav a.dropdown-item").all_text_contents()}


def expected_menu(role: str) -> tuple[set[str], set[str]]:
    """(labels the role must see, labels it must not see) among the pages that exist."""
    shown, hidden = set(), set()
    for section in MENU:
        for entry in section.entries:
            try:
                reverse(entry.url_name)
            except NoReverseMatch:
                continue
            (shown if role in entry.roles else hidden).add(str(entry.label))
    return shown, hidden - shown


def small_factory() -> None:
    p1 = ProcessFactory(code="P1", name="Cutting", defect_rate=Decimal("0.02"))
    p2 = ProcessFactory(code="P2", name="Welding", defect_rate=Decimal("0.05"))
    frame = ItemFactory(code="F", name="Frame", kind=ItemKind.FINISHED)
    side = ItemFactory(code="S", name="Side", kind=ItemKind.SEMI)
    steel = ItemFactory(code="R", name="Steel", kind=ItemKind.RAW, uom="kg", decimals=3)
    BomLineFactory(parent=frame, component=side, quantity=Decimal("2"), process=p1)
    BomLineFactory(parent=side, component=steel, quantity=Decimal("0.4"), process=p2)
    for n in range(12):
        ItemFactory(code=f"B{n:02d}", name=f"Bolt M{n + 3}")
    usable = Location.objects.get(warehouse=WarehouseFactory(code="MAIN"), kind="usable")
    apply_stock_changes(
        changes=[StockChange(steel.pk, usable.pk, Decimal("20"), Decimal("3"))], kind="count"
    )


def test_sales_user_sees_the_sales_menu_but_no_profit_pages(page, log_in):
    UserFactory(username="sales", first_name="Lin", roles=[Role.SALES.value])
    log_in("sales")
    assert page.get_by_test_id("who").inner_text().startswith("Lin")
    labels = menu_labels(page)
    shown, hidden = expected_menu(Role.SALES.value)
    assert shown <= labels and not (hidden & labels)
    assert {"Customers", "Items and BOMs"} <= labels
    assert not {"Profit dashboard", "Factory workbook", "Defect-control table"} & labels
    assert "Profit dashboard" not in page.content()
    page.locator("#mainnav .dropdown-toggle", has_text="Master data").click()
    page.locator("#mainnav a.dropdown-item", has_text="Customers").click()
    page.wait_for_url("**/crm/customers/")
    assert page.get_by_role("heading", name="Customers").is_visible()


def test_warehouse_user_sees_the_warehouse_entries(page, log_in):
    UserFactory(username="clerk", roles=[Role.WAREHOUSE.value])
    log_in("clerk")
    labels = menu_labels(page)
    shown, hidden = expected_menu(Role.WAREHOUSE.value)
    assert shown <= labels and not (hidden & labels)
    assert {"Items and BOMs", "Defect-control table"} <= labels
    assert "Customers" not in labels and "Profit dashboard" not in labels
    card = page.get_by_test_id("role-card-warehouse")
    assert card.is_visible()
    card.get_by_role("link", name="Defect-control table").click()
    page.wait_for_url("**/materials/processes/")


def test_a_wrong_password_is_refused_with_a_message(page, log_in):
    UserFactory(username="sales", roles=[Role.SALES.value])
    log_in("sales", "not-the-password")
    assert (
        page.locator(".alert-danger")
        .inner_text()
        .startswith("Your username and password didn't match")
    )
    assert page.url.endswith(reverse("login"))


def test_the_login_page_switches_to_simplified_chinese(page, log_in):
    UserFactory(username="sales", roles=[Role.SALES.value])
    page.goto(reverse("login"))
    with page.expect_navigation():
        page.get_by_role("button", name="简体中文").click()
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.get_by_label("用户名").is_visible()
    assert page.get_by_label("密码").is_visible()
    page.fill("#id_username", "sales")
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert "您好" in page.locator("h1").inner_text()
    assert "业务跟单" in page.get_by_test_id("who").inner_text()
    assert "基础资料" in page.locator("#mainnav").inner_text()


def test_a_logged_in_user_switches_language_from_any_page(page, log_in):
    UserFactory(username="quality", roles=[Role.QUALITY.value])
    log_in("quality")
    page.goto(reverse("materials:process-list"))
    with page.expect_navigation(url="**/materials/processes/"):
        page.get_by_test_id("language-switch").locator("select").select_option("zh-hans")
    assert page.get_by_role("heading", name="不良控制比例表").is_visible()
    page.goto(reverse("home"))
    assert "品管课" in page.get_by_test_id("who").inner_text()


def test_item_search_and_its_bom_tree(page, log_in):
    small_factory()
    UserFactory(username="production", roles=[Role.PRODUCTION.value])
    log_in("production")
    page.goto(reverse("materials:item-list"))
    rows = page.get_by_test_id("item-table").locator("tbody tr")
    assert rows.count() == 15
    page.fill("#id_q", "fram")  # htmx live search, no submit
    # A locator wait, not wait_for_function: that evaluates a string, which the CSP refuses.
    expect(page.get_by_test_id("item-table").locator("tbody tr")).to_have_count(1)
    assert "q=fram" in page.url
    rows.first.get_by_role("link", name="F").click()
    page.wait_for_url("**/materials/items/F/")
    tree = page.get_by_test_id("bom-tree")
    assert tree.locator("tbody tr").count() == 2
    page.fill("#id_quantity", "50")
    with page.expect_navigation(url="**quantity=50"):
        page.get_by_role("button", name="Explode").click()
    cells = page.get_by_test_id("bom-tree").locator("tbody tr").nth(1).locator("td")
    assert cells.nth(0).get_by_role("link").inner_text() == "R"
    assert cells.nth(4).inner_text() == "5%"
    assert cells.nth(5).inner_text() == "42.84"
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "item.png"), full_page=True)
    page.get_by_test_id("bom-tree").get_by_role("link", name="R").click()
    page.wait_for_url("**/materials/items/R/")
    assert "20 kg" in page.get_by_test_id("stock-table").inner_text()


def test_home_page_is_styled_and_log_out_ends_the_session(page, log_in):
    UserFactory(username="boss", first_name="Zhang", roles=[Role.MANAGER.value])
    log_in("boss")
    navbar_colour = page.locator("nav.navbar").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert navbar_colour == "rgb(33, 37, 41)"  # Bootstrap's bg-dark: the stylesheet loaded
    assert page.get_by_test_id("role-card-manager").is_visible()
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**" + reverse("login"))
    page.goto(reverse("home"))
    assert reverse("login") in page.url
