"""REST of the machine load, downtime, plans and plan lines: shapes, the approval route by
role, refusals as CONTRACT.md section 7 says (400/403/404/409 with `detail`), query
guards on the lists."""

from decimal import Decimal

import pytest

from production.models import PlanStatus, ProductionPlan, WorkOrder
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
def clients(api_client_for):
    return {
        role: api_client_for(role)
        for role in ("sales", "production", "warehouse", "manager", "quality")
    }


def test_the_approval_route_through_the_api(floor, clients):
    order_line("SO-1", floor.items["B"], 20, due=day(4))
    sales, production = clients["sales"], clients["production"]
    response = sales.post(
        "/api/v1/plans/",
        {"period_start": iso(0), "period_end": iso(4)},
        format="json",
        HTTP_IDEMPOTENCY_KEY="plan-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["revision"], body["scheduled_steps"]) == ("draft", 1, 2)
    again = sales.post(
        "/api/v1/plans/",
        {"period_start": iso(0), "period_end": iso(4)},
        format="json",
        HTTP_IDEMPOTENCY_KEY="plan-1",
    )
    assert again.json()["id"] == body["id"] and ProductionPlan.objects.count() == 1
    plan_id = body["id"]

    lines = sales.get(f"/api/v1/plan-lines/?plan={plan_id}").json()["results"]
    assert [(pl["seq"], pl["work_center"], pl["hours"], pl["minutes"]) for pl in lines] == [
        (10, "CUT", "2.00", "120.000000"),
        (20, "WELD", "4.00", "240.000000"),
    ]
    assert lines[0]["day_minutes"] == {iso(0): "120"}

    assert production.post(f"/api/v1/plans/{plan_id}/submit/").status_code == 403
    assert sales.post(f"/api/v1/plans/{plan_id}/submit/").json()["status"] == "submitted"
    assert sales.post(f"/api/v1/plans/{plan_id}/approve/").status_code == 403
    refused = production.post(f"/api/v1/plans/{plan_id}/reject/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["detail"]
    response = production.post(f"/api/v1/plans/{plan_id}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    conflict = production.post(f"/api/v1/plans/{plan_id}/approve/")
    assert conflict.status_code == 409 and "approved" in conflict.json()["detail"]
    assert WorkOrder.objects.filter(sales_order__order_no="SO-1").count() == 1
    work_order = sales.get(f"/api/v1/plan-lines/?plan={plan_id}").json()["results"][0]
    assert work_order["work_order"].startswith("WO-")


def test_reject_reopen_and_revise(floor, clients, make_user):
    line = order_line("SO-1", floor.items["A"], 10, due=day(4))
    sales, production = clients["sales"], clients["production"]
    plan_id = sales.post(
        "/api/v1/plans/", {"period_start": iso(0), "period_end": iso(4)}, format="json"
    ).json()["id"]
    sales.post(f"/api/v1/plans/{plan_id}/submit/")
    body = production.post(
        f"/api/v1/plans/{plan_id}/reject/", {"reason": "CUT blade change"}, format="json"
    ).json()
    assert (body["status"], body["reject_reason"]) == ("rejected", "CUT blade change")
    assert sales.post(f"/api/v1/plans/{plan_id}/reopen/").json()["status"] == "draft"
    sales.post(f"/api/v1/plans/{plan_id}/submit/")
    production.post(f"/api/v1/plans/{plan_id}/approve/")
    unknown = sales.post(
        f"/api/v1/plans/{plan_id}/revise/", {"replan_orders": ["NOPE"]}, format="json"
    )
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["detail"]
    response = sales.post(
        f"/api/v1/plans/{plan_id}/revise/", {"replan_orders": ["SO-1"]}, format="json"
    )
    assert response.status_code == 201, response.content
    revision = response.json()
    assert (revision["revision"], revision["previous"], revision["status"]) == (2, plan_id, "draft")
    assert sales.get(f"/api/v1/plans/{revision['id']}/changes/").status_code == 200
    assert line.pk


def test_a_draft_line_is_moved_and_removed(floor, clients, make_user):
    order_line("SO-1", floor.items["A"], 10, due=day(4))
    plan = plan_propose(user=make_user("sales"), start=day(0), end=day(4))
    line = plan.lines.get()
    sales = clients["sales"]
    url = f"/api/v1/plan-lines/{line.pk}/"
    moved = sales.patch(url, {"start_date": iso(1), "work_center": "WELD"}, format="json")
    assert moved.status_code == 200, moved.content
    assert (moved.json()["start_date"], moved.json()["work_center"]) == (iso(1), "WELD")
    bad = sales.patch(url, {"work_center": "NOPE"}, format="json")
    assert bad.status_code == 400 and "NOPE" in bad.json()["detail"]
    bad = sales.patch(url, {"start_date": iso(7), "end_date": iso(1)}, format="json")
    assert bad.status_code == 400 and "before the start" in bad.json()["detail"]
    assert (
        clients["production"].patch(url, {"start_date": iso(2)}, format="json").status_code == 403
    )
    assert sales.delete(url).status_code == 204
    assert sales.get(url).status_code == 404


def test_proposals_refused_in_words(floor, clients):
    sales = clients["sales"]
    empty = sales.post(
        "/api/v1/plans/", {"period_start": iso(0), "period_end": iso(4)}, format="json"
    )
    assert empty.status_code == 400 and "No open order line" in empty.json()["detail"]
    bad = sales.post("/api/v1/plans/", {"period_start": "x"}, format="json")
    assert bad.status_code == 400 and "period_end" in bad.json()
    backwards = sales.post(
        "/api/v1/plans/", {"period_start": iso(4), "period_end": iso(0)}, format="json"
    )
    assert backwards.status_code == 400 and "before it starts" in backwards.json()["detail"]
    assert (
        clients["production"]
        .post(
            "/api/v1/plans/",
            {"period_start": iso(0), "period_end": iso(4)},
            format="json",
        )
        .status_code
        == 403
    )
    assert sales.post("/api/v1/plans/999999/submit/").status_code == 404


def test_machine_load_and_downtime(floor, clients, make_user):
    sales_user = make_user("sales")
    order_line("SO-1", floor.items["A"], 500, due=day(4))  # 50 h on CUT
    plan = plan_propose(user=sales_user, start=day(0), end=day(11))
    plan_submit(user=sales_user, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    production = clients["production"]
    created = production.post(
        "/api/v1/downtimes/",
        {"work_center": "CUT", "start_date": iso(7), "reason": "Service"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["end_date"] == iso(7) and created.json()["hours_per_day"] is None
    refused = production.post(
        "/api/v1/downtimes/",
        {"work_center": "CUT", "start_date": iso(7), "hours_per_day": "30", "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "24 hours" in refused.json()["detail"]
    assert (
        clients["sales"]
        .post(
            "/api/v1/downtimes/",
            {"work_center": "CUT", "start_date": iso(7), "reason": "x"},
            format="json",
        )
        .status_code
        == 403
    )

    response = clients["manager"].get(f"/api/v1/machine-load/?start={iso(2)}&weeks=2&machine=CUT")
    assert response.status_code == 200, response.content
    (cut,) = response.json()
    assert [
        (w["week"], w["capacity_hours"], w["planned_hours"], w["overloaded"]) for w in cut["weeks"]
    ] == [
        (week(0), "40.00", "40.00", False),
        (week(7), "32.00", "10.00", False),
    ]
    assert cut["weeks"][0]["orders"] == [
        {"order_no": "SO-1", "line": 1, "customer": "Customer C-SO-1", "hours": "40.00"}
    ]
    bad = clients["manager"].get("/api/v1/machine-load/?weeks=abc&plan=0")
    assert bad.status_code == 400 and "weeks" in bad.json()
    assert clients["manager"].get("/api/v1/machine-load/?plan=424242").status_code == 400


def test_lists_take_a_fixed_number_of_queries(
    floor, clients, make_user, django_assert_max_num_queries
):
    sales_user = make_user("sales")
    for n in range(10):
        order_line(f"SO-{n}", floor.items["B"], 5 + n, due=day(4))
    plan = plan_propose(user=sales_user, start=day(0), end=day(4))
    plan_submit(user=sales_user, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    sales = clients["sales"]
    with django_assert_max_num_queries(6):
        assert sales.get("/api/v1/plans/").status_code == 200
    with django_assert_max_num_queries(6):
        body = sales.get("/api/v1/plan-lines/?in_force=true").json()
    assert body["count"] == 20
    with django_assert_max_num_queries(8):
        assert sales.get("/api/v1/machine-load/").status_code == 200
    with django_assert_max_num_queries(6):
        assert sales.get("/api/v1/downtimes/").status_code == 200


@pytest.mark.parametrize("path", ["plans", "plan-lines", "downtimes", "machine-load"])
def test_anonymous_and_roleless_are_refused(floor, api_client_for, path):
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/{path}/").status_code == 401
    assert api_client_for().get(f"/api/v1/{path}/").status_code == 403


def test_status_filter(floor, clients, make_user):
    order_line("SO-1", floor.items["A"], 10, due=day(4))
    plan_propose(user=make_user("sales"), start=day(0), end=day(4))
    body = clients["sales"].get("/api/v1/plans/?status=approved").json()
    assert body["count"] == 0
    body = clients["sales"].get(f"/api/v1/plans/?status={PlanStatus.DRAFT}").json()
    assert body["count"] == 1
    assert clients["sales"].get("/api/v1/plans/?status=bogus").status_code == 400
