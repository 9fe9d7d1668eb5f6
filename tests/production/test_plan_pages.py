"""Plan and machine-load pages: who may open them, what they show, the actions, and a fixed
number of queries however many lines."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.services.changes import change_apply
from production.models import Downtime, PlanStatus, ProductionPlan, WorkOrder
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    iso,
    order_line,
    week,
)

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def login(client, make_user):
    def as_(role: str):
        user = make_user(role)
        client.force_login(user)
        return user

    return as_


def plan_for(floor, sales, *orders):
    for n, (item, qty) in enumerate(orders, start=1):
        order_line(f"SO-{n}", floor.items[item], qty, due=day(4))
    return plan_propose(user=sales, start=day(0), end=day(4))


def test_sales_proposes_submits_and_production_approves(client, floor, login):
    order_line("SO-1", floor.items["B"], 20, due=day(4), key=True)
    sales = login("sales")
    response = client.post(
        reverse("production:plan-new"),
        {"period_start": iso(0), "period_end": iso(4), "note": "Week 1"},
    )
    plan = ProductionPlan.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "production:plan-detail", args=[plan.pk]
    )
    page = client.get(response.url).content.decode()
    assert 'data-testid="plan-line-SO-1-10"' in page and 'data-testid="plan-line-SO-1-20"' in page
    assert "Week 1" in page and 'data-testid="plan-submit"' in page
    client.post(reverse("production:plan-action", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_by) == (PlanStatus.SUBMITTED, sales)

    login("production")
    page = client.get(reverse("production:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-approve"' in page and 'data-testid="reject-form"' in page
    assert 'data-testid="plan-submit"' not in page
    client.post(reverse("production:plan-action", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert WorkOrder.objects.filter(sales_order__order_no="SO-1").exists()


def test_reject_from_the_page_keeps_the_reason(client, floor, login, make_user):
    plan = plan_for(floor, make_user("sales"), ("A", 10))
    plan_submit(user=make_user("sales"), plan=plan)
    login("production")
    url = reverse("production:plan-action", args=[plan.pk, "reject"])
    client.post(url, {"reason": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # refused: no reason
    client.post(url, {"reason": "Too much on CUT"})
    page = client.get(reverse("production:plan-detail", args=[plan.pk])).content.decode()
    assert "Too much on CUT" in page


def test_the_wrong_role_cannot_act(client, floor, login, make_user):
    plan = plan_for(floor, make_user("sales"), ("A", 10))
    login("warehouse")
    assert client.get(reverse("production:plan-new")).status_code == 403
    response = client.post(reverse("production:plan-action", args=[plan.pk, "submit"]))
    assert response.status_code == 403
    login("production")
    response = client.post(reverse("production:plan-action", args=[plan.pk, "submit"]))
    assert response.status_code == 403
    assert (
        client.post(reverse("production:plan-action", args=[plan.pk, "nonsense"])).status_code
        == 404
    )


def test_a_line_is_moved_by_hand_in_a_draft(client, floor, login, make_user):
    plan = plan_for(floor, make_user("sales"), ("A", 10))
    line = plan.lines.get()
    login("sales")
    url = reverse("production:plan-line-edit", args=[line.pk])
    client.post(url, {"start_date": iso(2), "end_date": iso(3), "work_center": "WELD"})
    line.refresh_from_db()
    assert (line.start_date, line.end_date, line.work_center.code) == (day(2), day(3), "WELD")
    response = client.post(url, {"start_date": "garbage"}, follow=True)
    assert "must be a date" in response.content.decode()
    client.post(url, {"remove": "1"})
    assert not plan.lines.exists()


def test_stale_lines_and_the_revision_difference_show(client, floor, login, make_user):
    sales, production = make_user("sales"), make_user("production")
    plan = plan_for(floor, sales, ("A", 10), ("A", 20))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=production, plan=plan)
    first = plan.lines.get(order_line__order__order_no="SO-1").order_line
    change_apply(
        user=sales,
        order=first.order,
        kind="quantity",
        reason="more",
        order_line=1,
        new_quantity=D(30),
    )
    login("sales")
    page = client.get(reverse("production:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="stale-alert"' in page
    response = client.post(reverse("production:plan-action", args=[plan.pk, "revise"]))
    revision = ProductionPlan.objects.get(number=plan.number, revision=2)
    assert response.url == reverse("production:plan-detail", args=[revision.pk])
    page = client.get(response.url).content.decode()
    assert 'data-testid="plan-diff"' in page and "quantity 10 -&gt; 30" in page
    list_page = client.get(reverse("production:plan-list")).content.decode()
    assert list_page.count('data-testid="stale"') == 1  # revision 1 is stale, 2 is not


def test_machine_load_page_shows_overloads_and_orders(client, floor, login, make_user):
    sales = make_user("sales")
    plan = plan_for(floor, sales, ("A", 400))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    order_line("SO-2", floor.items["A"], 50, due=day(4))  # 5 h more
    second = plan_propose(user=sales, start=day(0), end=day(4))
    line = second.lines.get(order_line__order__order_no="SO-2")
    line.start_date, line.end_date, line.day_minutes = day(1), day(1), {iso(1): "300"}
    line.save()
    login("production")
    url = reverse("production:machine-load")
    page = client.get(url, {"start": iso(0), "weeks": "2"}).content.decode()
    assert f'data-testid="load-CUT-{week(0)}"' in page and "40 / 40 h" in page
    assert "data-overloaded" not in page and "SO-1/1" in page
    page = client.get(url, {"start": iso(0), "plan": second.pk}).content.decode()
    assert 'data-testid="load-preview"' in page and "45 / 40 h" in page
    assert "data-overloaded" in page
    # odd input is ignored, not a 500
    assert client.get(url, {"start": "x", "weeks": "-4", "plan": "abc"}).status_code == 200


def test_downtime_page(client, floor, login):
    login("production")
    url = reverse("production:downtime-list")
    response = client.post(
        url,
        {
            "work_center": floor.machines["CUT"].pk,
            "start_date": iso(1),
            "end_date": iso(-1),
            "reason": "Repair",
        },
    )
    assert "before the first day" in response.content.decode()
    client.post(
        url,
        {"work_center": floor.machines["CUT"].pk, "start_date": iso(1), "reason": "Repair"},
    )
    downtime = Downtime.objects.get()
    assert downtime.end_date == day(1)
    login("sales")
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert client.post(reverse("production:downtime-delete", args=[downtime.pk])).status_code == 403


def test_pages_take_a_fixed_number_of_queries(
    client, floor, login, make_user, django_assert_max_num_queries
):
    sales = make_user("sales")
    orders = [("A" if n % 2 else "B", 5 + n) for n in range(12)]
    plan = plan_for(floor, sales, *orders)
    plan_submit(user=sales, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    login("sales")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("production:plan-detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("production:plan-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("production:machine-load")).status_code == 200
