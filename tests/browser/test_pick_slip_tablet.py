"""Issue 14: the pick slip (领料单) on a 768 px tablet and a 1280 px desktop: the item
stays fixed while the figures scroll behind, the scan field jumps to the item's row, kit
for N pcs and pick all remaining fill the quantities, a slip with two rows over the limit
is refused with both rows marked, and once fixed it is issued."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import MaterialSlip
from tests.factories import UserFactory
from tests.orders.warehouse_support import build_floor

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def make_user(role: str, username: str):
    return UserFactory(username=username, roles=[role])


def qty(page, floor, line: int, item: str):
    return page.locator(f"#qty-{line}-{floor[item.lower()].pk}")


def row(page, line: int, item: str):
    return page.get_by_test_id(f"slip-row-{line}-{item}")


def box_x(locator) -> float:
    return locator.bounding_box()["x"]


@pytest.mark.parametrize("width", [768, 1280])
def test_pick_slip_on_tablet_and_desktop(page, log_in, width):
    floor = build_floor(make_user)
    page.set_viewport_size({"width": width, "height": 900})
    log_in("clerk")
    page.goto(f"{reverse('orders:slip-create')}?order=SO1")

    if width == 768:
        # The figures scroll behind the item (left) and the quantity (right).
        scroller = page.get_by_test_id("slip-scroll")
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
        item_cell = row(page, 1, "R").locator("td").first
        usable_cell = row(page, 1, "R").locator("td").nth(11)
        item_x, usable_x, qty_x = (
            box_x(item_cell),
            box_x(usable_cell),
            box_x(qty(page, floor, 1, "R")),
        )
        scroller.evaluate("el => { el.scrollLeft = 250; }")
        page.wait_for_timeout(100)
        assert box_x(item_cell) == pytest.approx(item_x, abs=1)
        assert box_x(qty(page, floor, 1, "R")) == pytest.approx(qty_x, abs=1)
        assert box_x(usable_cell) < usable_x - 100
        assert item_cell.inner_text().startswith("R")

    # The scan field has the focus: a code and Enter put the cursor in that item's row.
    expect(page.get_by_test_id("slip-scan")).to_be_focused()
    page.keyboard.type("S")
    page.keyboard.press("Enter")
    expect(qty(page, floor, 1, "S")).to_be_focused()
    expect(row(page, 1, "S")).to_have_class("slip-row-scanned")
    # Enter in a quantity goes back to the scan field; it does not issue the slip.
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("slip-scan")).to_be_focused()
    assert not MaterialSlip.objects.exists()
    page.keyboard.type("NOPE")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("slip-scan-status")).to_have_text(
        "No row on this slip for item NOPE"
    )

    # Kit for 5 pcs: the BOM with its allowances, filled by the server.
    page.fill("#id_kit", "5")
    with page.expect_navigation(url="**kit=5**"):
        page.keyboard.press("Enter")
    expect(qty(page, floor, 1, "R")).to_have_value("4.284")
    expect(qty(page, floor, 1, "S")).to_have_value("11")
    expect(qty(page, floor, 2, "S")).to_have_value("11")

    # Pick all remaining: every row's limit.
    with page.expect_navigation(url="**fill=all**"):
        page.get_by_test_id("pick-all").click()
    expect(qty(page, floor, 1, "R")).to_have_value("42.84")
    expect(qty(page, floor, 1, "S")).to_have_value("102")
    expect(qty(page, floor, 2, "R")).to_have_value("8.568")
    expect(qty(page, floor, 2, "S")).to_have_value("21")

    # Two rows over the limit: both are marked, nothing is issued.
    qty(page, floor, 1, "R").fill("50")
    qty(page, floor, 2, "S").fill("22")
    with page.expect_navigation():
        page.get_by_test_id("issue-slip").click()
    expect(page.get_by_test_id("row-error")).to_have_count(2)
    expect(row(page, 1, "R").get_by_test_id("row-error")).to_have_text(
        "Over the pick limit: 42.84 kg left."
    )
    expect(row(page, 2, "S").get_by_test_id("row-error")).to_have_text(
        "Over the pick limit: 21 pcs left."
    )
    expect(page.get_by_test_id("slip-error")).to_contain_text("2 rows refused")
    assert not MaterialSlip.objects.exists()
    # What was typed stays.
    expect(qty(page, floor, 1, "S")).to_have_value("102")

    # Fixed: the slip is issued.
    qty(page, floor, 1, "R").fill("42.84")
    qty(page, floor, 2, "S").fill("21")
    with page.expect_navigation(url="**/orders/slips/PK-*/"):
        page.get_by_test_id("issue-slip").click()
    assert page.get_by_test_id("slip-number").inner_text().startswith("PK-")
    assert MaterialSlip.objects.get().lines.count() == 4
