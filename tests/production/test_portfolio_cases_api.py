# ruff: noqa: F811  (the portfolio fixtures are imported from test_portfolio_services)
"""Escalated portfolio requests and the disposal of old orders, through the API and the
pages: the salesperson escalates with the case and figures, the manager decides; an old
order line is cancelled by a change notice or kept; who may."""

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import LineStatus
from production.models import PortfolioCase, StaleDealDecision
from production.services.portfolio import portfolio_build
from tests.production.plan_support import order_line
from tests.production.test_portfolio_services import (  # noqa: F401  (fixtures)
    MARCH,
    ORDERED,
    floor,
    in_march,
    month,
    people,
)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_escalate_and_decide_through_the_api(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    poor.request, poor.included = "include", False
    poor.save(update_fields=["request", "included"])
    url = f"/api/v1/portfolio-lines/{poor.pk}/escalate/"
    body = {"case": "Penalty clause", "figures": {"order value": "2000", "penalty": "300"}}
    assert api(people["zhao"]).post(url, body, format="json").status_code == 403
    bad = api(people["li"]).post(url, {"case": "x", "figures": {"v": "lots"}}, format="json")
    assert bad.status_code == 400 and "figures" in str(bad.json())
    made = api(people["li"]).post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["figures"] == {"order value": "2000", "penalty": "300"}
    case_id = made.json()["id"]
    listed = api(people["boss"]).get(f"/api/v1/portfolio-cases/?portfolio={portfolio.pk}")
    assert [c["id"] for c in listed.json()["results"]] == [case_id]
    decide = f"/api/v1/portfolio-cases/{case_id}/decide/"
    assert api(people["li"]).post(decide, {"grant": True}, format="json").status_code == 403
    refused = api(people["boss"]).post(decide, {"grant": False}, format="json")
    assert refused.status_code == 400 and "note" in str(refused.json())
    granted = api(people["boss"]).post(decide, {"grant": True, "note": "ok"}, format="json")
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    poor.refresh_from_db()
    assert poor.included


def test_escalate_and_decide_on_the_pages(client, month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    poor.request, poor.included = "include", False
    poor.save(update_fields=["request", "included"])
    client.force_login(people["li"])
    page = client.get(reverse("production:portfolio-detail", args=[portfolio.pk]))
    assert 'data-testid="escalate-POOR"' in page.content.decode()
    client.post(
        reverse("production:portfolio-escalate", args=[poor.pk]),
        {"case": "Repeat buyer", "figures": "order value: 2000\npenalty = 300"},
    )
    case = PortfolioCase.objects.get()
    assert case.figures == {"order value": "2000", "penalty": "300"}
    client.force_login(people["boss"])
    page = client.get(reverse("production:portfolio-detail", args=[portfolio.pk]))
    assert 'data-testid="case-grant"' in page.content.decode()
    client.post(reverse("production:portfolio-case-decide", args=[case.pk]), {"grant": "1"})
    case.refresh_from_db()
    assert case.status == "granted"


def test_dispose_old_orders_api_and_page(client, floor, people, make_user):
    a = floor.items["A"]
    old = order_line("OLD", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    kept = order_line("KEPT", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    seller = make_user("sales", username="seller")
    listed = api(seller).get("/api/v1/never-produced/?older_than=30").json()
    assert {row["id"] for row in listed} == {old.pk, kept.pk}
    url = f"/api/v1/never-produced/{old.pk}/dispose/"
    assert (
        api(make_user("warehouse"))
        .post(url, {"decision": "cancel", "reason": "x"}, format="json")
        .status_code
        == 403
    )
    done = api(seller).post(url, {"decision": "cancel", "reason": "gone"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["order_change"].startswith("CN")
    old.refresh_from_db()
    assert old.status == LineStatus.CANCELLED
    client.force_login(seller)
    page = client.get(reverse("production:portfolio") + "?older_than=30").content.decode()
    assert 'data-testid="dispose-KEPT"' in page
    client.post(
        reverse("production:never-produced-dispose", args=[kept.pk]),
        {"decision": "keep", "reason": "frame contract"},
    )
    assert StaleDealDecision.objects.get(decision="keep").reason == "frame contract"
    page = client.get(reverse("production:portfolio") + "?older_than=30").content.decode()
    assert 'data-testid="dispose-KEPT"' not in page
