"""The production procedure in a real browser: sales follow-up proposes and submits a plan,
production approves it and reports the day on the keyboard, the order falls behind, a
contact slip is raised from plan attainment, and sales follow-up decides it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from erp.roles import Role
from production.models import ContactSlip, DailyReport, PlanStatus, ProductionPlan, WorkOrder
from tests.factories import UserFactory
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_plan_approve_report_and_contact_slip(page, log_in):
    grant_plan_permissions()
    UserFactory(username="lin", roles=[Role.SALES.value])
    UserFactory(username="wang", roles=[Role.PRODUCTION.value])
    floor = build_floor(days_per_week=7)
    today = timezone.localdate()
    start = today - dt.timedelta(days=1)
    order_line("SO-1", floor.items["A"], 80, due=today + dt.timedelta(days=3), key=True)
    order_line("SO-2", floor.items["B"], 20, due=today + dt.timedelta(days=4))

    def switch(username: str) -> None:
        page.context.clear_cookies()
        log_in(username)

    # Sales follow-up proposes a plan for the period and submits it.
    switch("lin")
    page.goto(reverse("production:plan-list"))
    page.get_by_test_id("propose-plan").click()
    page.wait_for_url("**/plans/new/")
    page.fill("#id_period_start", start.isoformat())
    page.fill("#id_period_end", (start + dt.timedelta(days=13)).isoformat())
    with page.expect_navigation(url="**/production/plans/*/"):
        page.get_by_test_id("propose").click()
    plan = ProductionPlan.objects.get()
    lines = page.get_by_test_id("plan-lines")
    assert lines.get_by_test_id("plan-line-SO-1-10").is_visible()
    assert lines.get_by_test_id("plan-line-SO-2-20").is_visible()
    assert page.get_by_test_id("plan-status").first.inner_text() == "draft"
    with page.expect_navigation():
        page.get_by_test_id("plan-submit").click()
    assert page.get_by_test_id("plan-status").first.inner_text() == "submitted"

    # Production looks at the load with this plan, then approves it.
    switch("wang")
    page.goto(reverse("production:plan-detail", args=[plan.pk]))
    page.get_by_test_id("preview-load").click()
    page.wait_for_selector("[data-testid=load-preview]")
    assert page.get_by_test_id("load-table").get_by_text("SO-1/1", exact=False).count() >= 1
    page.goto(reverse("production:plan-detail", args=[plan.pk]))
    with page.expect_navigation():
        page.get_by_test_id("plan-approve").click()
    assert page.get_by_test_id("plan-status").first.inner_text() == "approved"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert WorkOrder.objects.filter(sales_order__order_no="SO-1").exists()

    # The day's report on CUT, typed on the keyboard: SO-1 makes 50 of the 80 planned.
    page.goto(f"{reverse('production:daily-report')}?machine=CUT&date={start.isoformat()}")
    row = page.get_by_test_id("daily-row-SO-1-P-CUT")
    good = row.locator("input[data-col=good]")
    good.fill("50")
    row.locator("input[data-col=defects]").fill("burr 3")
    row.locator("input[data-col=hours]").fill("8")
    row.locator("input[data-col=operator]").fill("Wang")
    with page.expect_navigation():
        good.press("Control+Enter")
    report = DailyReport.objects.get(order_line__order__order_no="SO-1")
    assert (report.good_quantity, report.defect_quantity) == (50, 3)

    # Plan attainment shows SO-1 behind; production raises the contact slips.
    page.goto(f"{reverse('production:attainment')}?date={start.isoformat()}")
    assert page.get_by_test_id("attainment-SO-1").get_attribute("data-behind") == "1"
    with page.expect_navigation(url="**/contact-slips/"):
        page.get_by_test_id("propose-slips").click()
    slip = ContactSlip.objects.get(order__order_no="SO-1")
    assert page.get_by_test_id(f"slip-{slip.number}").is_visible()

    # Sales follow-up accepts the delay, having told the customer.
    switch("lin")
    page.goto(reverse("production:contact-slip-detail", args=[slip.number]))
    page.check("#d-accept_delay")
    page.fill("#id_np", (today + dt.timedelta(days=10)).isoformat())
    page.check("#id_ci")
    with page.expect_navigation():
        page.get_by_test_id("decide").click()
    assert page.get_by_test_id("slip-decision").is_visible()
    slip.refresh_from_db()
    assert (slip.status, slip.decision) == ("decided", "accept_delay")
    slip.order_line.refresh_from_db()
    assert slip.order_line.due_date == today + dt.timedelta(days=10)
