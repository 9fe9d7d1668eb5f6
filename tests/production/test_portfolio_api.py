"""Portfolio pages and REST: build, requests on own orders, the route by role, plan vs.
actual, old orders never produced; refusals; query guards."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from production.models import Portfolio
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

# The portfolio's month is March 2026 and its data is fixed (orders taken 2026-01-05, due
# 2026-03-31; "never produced" counts their age from today), so the factory's today is a day
# of that month, whatever day the suite runs. Noon in Shanghai; the clock ticks on.
ORDERED = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def in_march():
    with time_machine.travel(dt.datetime(2026, 3, 20, 4, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def floor(db, make_user):
    grant_plan_permissions()
    floor = build_floor(hours="2")
    li = make_user("sales", username="li")
    zhao = make_user("sales", username="zhao")
    a = floor.items["A"]
    order_line(
        "KEY",
        a,
        200,
        due=dt.date(2026, 3, 31),
        ordered=ORDERED,
        price="4",
        key=True,
        salesperson=li,
    )
    order_line(
        "RICH", a, 200, due=dt.date(2026, 3, 31), ordered=ORDERED, price="20", salesperson=zhao
    )
    order_line(
        "POOR", a, 200, due=dt.date(2026, 3, 31), ordered=ORDERED, price="10", salesperson=li
    )
    head = make_user("production", username="head")
    head.user_permissions.add(Permission.objects.get(codename="head_portfolio"))
    return floor


@pytest.fixture
def client_as(make_user):
    from rest_framework.test import APIClient

    def make(username: str, role: str | None = None):
        client = APIClient()
        client.force_authenticate(make_user(*([role] if role else []), username=username))
        return client

    return make


def test_the_portfolio_through_the_api(floor, client_as, django_assert_max_num_queries):
    planner = client_as("planner", "production")
    li, zhao = client_as("li"), client_as("zhao")
    assert li.post("/api/v1/portfolios/", {"month": "2026-03"}, format="json").status_code == 403
    bad = planner.post("/api/v1/portfolios/", {"month": "March"}, format="json")
    assert bad.status_code == 400 and "month" in bad.json()
    response = planner.post("/api/v1/portfolios/", {"month": "2026-03"}, format="json")
    assert response.status_code == 201, response.content
    portfolio = response.json()
    assert (portfolio["status"], portfolio["bottleneck"], portfolio["solver"]) == (
        "draft",
        "CUT",
        "highs",
    )
    again = planner.post("/api/v1/portfolios/", {"month": "2026-03"}, format="json")
    assert again.status_code == 409

    with django_assert_max_num_queries(6):
        lines = li.get(f"/api/v1/portfolio-lines/?portfolio={portfolio['id']}").json()["results"]
    by_order = {line["order_no"]: line for line in lines}
    assert [o for o, line in by_order.items() if line["included"]] == ["KEY", "RICH"]
    assert "income_per_hour" not in by_order["POOR"]  # a salesperson sees no income
    planned = planner.get(f"/api/v1/portfolio-lines/{by_order['POOR']['id']}/").json()
    assert planned["income_per_hour"] == "70.000000"
    url = f"/api/v1/portfolio-lines/{by_order['POOR']['id']}/"
    assert zhao.patch(url, {"request": "include"}, format="json").status_code == 403
    assert li.patch(url, {"request": "maybe"}, format="json").status_code == 400
    assert li.patch(url, {"request": "include"}, format="json").json()["request"] == "include"
    li.post(f"/api/v1/portfolios/{portfolio['id']}/resolve/")
    rich = zhao.get(f"/api/v1/portfolio-lines/{by_order['RICH']['id']}/").json()
    assert (rich["included"], rich["conflict"]) == (False, True)

    pid = portfolio["id"]
    assert li.post(f"/api/v1/portfolios/{pid}/submit/").json()["level"] == "planner"
    assert li.post(f"/api/v1/portfolios/{pid}/approve/").status_code == 403
    assert planner.post(f"/api/v1/portfolios/{pid}/approve/").json()["level"] == "head"
    assert client_as("head").post(f"/api/v1/portfolios/{pid}/approve/").json()["level"] == "manager"
    boss = client_as("boss", "manager")
    refused = boss.post(f"/api/v1/portfolios/{pid}/reject/", {}, format="json")
    assert refused.status_code == 400
    agreed = boss.post(f"/api/v1/portfolios/{pid}/approve/").json()
    assert agreed["status"] == "agreed"
    conflict = boss.post(f"/api/v1/portfolios/{pid}/approve/")
    assert conflict.status_code == 409
    actual = li.get(f"/api/v1/portfolios/{pid}/plan-vs-actual/").json()
    assert {row["order_no"] for row in actual} == {"KEY", "POOR"}
    never = boss.get("/api/v1/never-produced/?older_than=30").json()
    assert {row["order_no"] for row in never} >= {"KEY", "RICH", "POOR"}
    assert boss.get("/api/v1/never-produced/?older_than=0").status_code == 400


def test_portfolio_pages(client, floor, make_user):
    planner = make_user("production", username="planner")
    client.force_login(planner)
    page = client.get(reverse("production:portfolio")).content.decode()
    assert 'data-testid="build-form"' in page and 'data-testid="never-produced"' in page
    response = client.post(reverse("production:portfolio"), {"month": "2026-03"})
    portfolio = Portfolio.objects.get()
    assert response.url == reverse("production:portfolio-detail", args=[portfolio.pk])
    page = client.get(response.url).content.decode()
    assert 'data-testid="pl-POOR"' in page and "No capacity left on CUT" in page
    assert 'data-testid="submit"' in page

    li = make_user("sales", username="li")
    client.force_login(li)
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    rich = portfolio.lines.get(order_line__order__order_no="RICH")
    client.post(reverse("production:portfolio-request", args=[poor.pk]), {"request": "include"})
    poor.refresh_from_db()
    assert poor.request == "include"
    assert (
        client.post(
            reverse("production:portfolio-request", args=[rich.pk]), {"request": "exclude"}
        ).status_code
        == 403
    )
    client.post(reverse("production:portfolio-action", args=[portfolio.pk, "resolve"]))
    page = client.get(reverse("production:portfolio-detail", args=[portfolio.pk])).content.decode()
    assert 'data-testid="conflicts"' in page
    client.post(reverse("production:portfolio-action", args=[portfolio.pk, "submit"]))
    client.force_login(planner)
    page = client.get(reverse("production:portfolio-detail", args=[portfolio.pk])).content.decode()
    assert 'data-testid="approve"' in page
    client.post(
        reverse("production:portfolio-action", args=[portfolio.pk, "reject"]), {"reason": "no"}
    )
    portfolio.refresh_from_db()
    assert portfolio.status == "draft"
    assert client.get(reverse("production:portfolio"), {"older_than": "x"}).status_code == 200
