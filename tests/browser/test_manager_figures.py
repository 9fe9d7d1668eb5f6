"""A manager's figures beside profit in a real browser, at desktop and tablet width: the
dashboard shows the on-time, stock value, turns and lead-time tiles; the on-time tile opens
the on-time delivery page with its chart (axis titles) and the late customer first."""

import pytest

from erp.roles import Role
from tests.clock import in_days, today
from tests.factories import UserFactory
from tests.reports.kpi_data import order_line, ship

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1280, 768])
def test_manager_reads_the_dashboard_tiles_and_on_time_delivery(page, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    UserFactory(username="boss", roles=[Role.MANAGER.value])
    on_time = order_line("GOOD", due=in_days(-3))
    ship(on_time, "10", on=in_days(-4))
    order_line("LATE", due=in_days(-2))  # overdue, nothing shipped

    log_in("boss")
    page.goto("/reports/dashboard/")
    for tile in ("tile-on-time", "tile-stock-value", "tile-turns", "tile-lead-time"):
        assert page.get_by_test_id(tile).is_visible()
    with page.expect_navigation():
        page.get_by_test_id("tile-on-time").click()
    assert page.url.endswith("/reports/on-time-delivery/")
    assert page.get_by_test_id("on-time-summary").is_visible()
    # The last 30 days (this year to date may be a day long on 1 January).
    page.fill("#id_from", in_days(-30).isoformat())
    page.fill("#id_to", today().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.get_by_test_id("on-time-rate").inner_text() == "50.0%"
    customers = page.get_by_test_id("on-time-customers").inner_text()
    assert customers.index("LATE") < customers.index("GOOD")
    assert page.get_by_test_id("x-title").first.is_visible()
    # The page's content is no wider than the screen: the tables scroll inside their own
    # box. (The top menu bar is the base layout's, not this page's.)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-responsive')"
        " && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
