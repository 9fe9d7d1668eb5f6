"""Production adjusts the approved plan in a real browser: the line's move / split / push
forms open in place (htmx), a push without a reason is refused in the form, with the reason
it makes revision 2 in force and the plan page shows the adjustment."""

import datetime as dt

import pytest
from django.urls import reverse

from erp.roles import Role
from production.models import PlanAdjustment, PlanStatus, ProductionPlan
from production.planning.calendar import monday_of
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.clock import today
from tests.factories import UserFactory
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_production_pushes_a_line_with_a_reason(page, log_in):
    grant_plan_permissions()
    sales = UserFactory(username="lin", roles=[Role.SALES.value])
    wang = UserFactory(username="wang", roles=[Role.PRODUCTION.value])
    floor = build_floor()
    monday = monday_of(today()) + dt.timedelta(days=7)
    order_line("SO-1", floor.items["A"], 40, due=monday + dt.timedelta(days=4))
    plan = plan_propose(user=sales, start=monday, end=monday + dt.timedelta(days=4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=wang, plan=plan)

    log_in("wang")
    page.goto(reverse("production:plan-detail", args=[plan.pk]))
    page.get_by_test_id("adjust-SO-1-10").click()
    page.wait_for_selector("[data-testid=adjust-forms]")
    push = page.get_by_test_id("adjust-push")
    push.locator("input[name=push-start_date]").fill((monday + dt.timedelta(days=2)).isoformat())
    push.get_by_test_id("adjust-push-submit").click()
    page.wait_for_selector("[data-testid=adjust-error-reason]")
    assert not PlanAdjustment.objects.exists()
    push = page.get_by_test_id("adjust-push")
    push.locator("textarea[name=push-reason]").fill("Cutter down on Monday")
    with page.expect_navigation(url="**/production/plans/*/"):
        push.get_by_test_id("adjust-push-submit").click()
    current = ProductionPlan.objects.get(number=plan.number, status=PlanStatus.APPROVED)
    assert current.revision == 2
    assert page.get_by_test_id("plan-adjustments").get_by_text("Cutter down on Monday").is_visible()
