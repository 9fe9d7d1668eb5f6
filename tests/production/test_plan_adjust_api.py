"""Adjusting the approved plan through the API and the pages: rights per role (production
and sales may, warehouse 403), quantities kept, reason required (400 with the field), an
order made late needs `late_ok`, the history listed with a fixed number of queries, the
buttons and the htmx forms on the approved plan's page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from production.models import ContactSlip, PlanAdjustment, PlanLine, PlanStatus, ProductionPlan
from production.planning.calendar import monday_of
from production.services.adjust import plan_adjust_push
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.clock import today
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

D = Decimal


def fday(n: int) -> dt.date:
    return monday_of(today()) + dt.timedelta(days=7 + n)


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def plan(floor, make_user):
    order_line("SO-1", floor.items["A"], 40, due=fday(4))
    order_line("SO-2", floor.items["B"], 20, due=fday(4))
    sales = make_user("sales", username="drafter")
    plan = plan_propose(user=sales, start=fday(0), end=fday(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=make_user("production", username="approver"), plan=plan)
    return plan


def line_id(plan, order_no="SO-1", seq=10) -> int:
    current = ProductionPlan.objects.get(number=plan.number, status=PlanStatus.APPROVED)
    return PlanLine.objects.get(plan=current, order_line__order__order_no=order_no, seq=seq).pk


@pytest.fixture
def clients(api_client_for):
    return {role: api_client_for(role) for role in ("sales", "production", "warehouse")}


def test_move_split_push_by_role(plan, clients):
    url = f"/api/v1/plan-lines/{line_id(plan)}/move/"
    body = {
        "quantity": "10",
        "from_date": fday(0).isoformat(),
        "to_date": fday(2).isoformat(),
        "reason": "Cutter slow",
    }
    assert clients["warehouse"].post(url, body, format="json").status_code == 403
    response = clients["production"].post(url, body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["kind"], made["revision"], made["reason"]) == ("move", 2, "Cutter slow")
    assert made["created_by"] == "production_user"
    # the old line's revision is superseded: 409
    again = clients["production"].post(url, body, format="json")
    assert again.status_code == 409
    split = clients["sales"].post(
        f"/api/v1/plan-lines/{line_id(plan)}/split/",
        {
            "quantity": "15",
            "start_date": fday(3).isoformat(),
            "work_center": "WELD",
            "reason": "Share the load",
        },
        format="json",
    )
    assert split.status_code == 201, split.content
    rows = PlanLine.objects.filter(
        plan_id=split.json()["plan"], order_line__order__order_no="SO-1"
    ).values_list("work_center__code", "quantity")
    assert sorted(rows) == [("CUT", D(25)), ("WELD", D(15))]
    push = clients["production"].post(
        f"/api/v1/plan-lines/{line_id(plan, 'SO-2')}/push/",
        {"start_date": fday(1).isoformat(), "reason": "Die change"},
        format="json",
    )
    assert push.status_code == 201, push.content


def test_refusals_say_which_field(plan, clients):
    production = clients["production"]
    url = f"/api/v1/plan-lines/{line_id(plan)}/push/"
    no_reason = production.post(url, {"start_date": fday(1).isoformat()}, format="json")
    assert no_reason.status_code == 400 and "reason" in str(no_reason.json())
    late = production.post(
        url, {"start_date": fday(7).isoformat(), "reason": "Coil late"}, format="json"
    )
    assert late.status_code == 400 and "late_ok" in str(late.json())
    assert "after its due date" in str(late.json())
    assert not PlanAdjustment.objects.exists()
    ok = production.post(
        url,
        {"start_date": fday(7).isoformat(), "reason": "Coil late", "late_ok": True},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["late"][0]["slip"] == ContactSlip.objects.get().number
    unknown = production.post(
        f"/api/v1/plan-lines/{line_id(plan)}/move/",
        {
            "quantity": "1",
            "from_date": fday(7).isoformat(),
            "to_date": fday(8).isoformat(),
            "work_center": "NOPE",
            "reason": "x",
        },
        format="json",
    )
    assert unknown.status_code == 400 and "work_center" in unknown.json().get(
        "fields", unknown.json()
    )


def test_history_list_is_fixed_queries(plan, clients, make_user, django_assert_max_num_queries):
    production = make_user("production", username="foreman")
    for n in range(3):
        plan_adjust_push(
            user=production,
            line=PlanLine.objects.get(pk=line_id(plan, "SO-2", 20)),
            start_date=fday(1 + n),
            reason=f"try {n}",
        )
    with django_assert_max_num_queries(8):
        response = clients["sales"].get(f"/api/v1/plan-adjustments/?number={plan.number}")
    assert response.status_code == 200
    assert [a["reason"] for a in response.json()["results"]] == ["try 2", "try 1", "try 0"]


@pytest.fixture
def login(client, make_user):
    def as_(role):
        user = make_user(role)
        client.force_login(user)
        return user

    return as_


def test_pages_buttons_forms_and_history(client, plan, login, django_assert_max_num_queries):
    login("production")
    detail = reverse("production:plan-detail", args=[plan.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="adjust-SO-1-10"' in page
    adjust = reverse("production:plan-line-adjust", args=[line_id(plan)])
    fragment = client.get(adjust, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and 'data-testid="adjust-push"' in text
    # no reason: the form says so, nothing written
    refused = client.post(
        adjust,
        {"kind": "push", "push-start_date": fday(1).isoformat(), "push-reason": ""},
        headers={"HX-Request": "true"},
    )
    assert (
        refused.status_code == 200
        and 'data-testid="adjust-error-reason"' in refused.content.decode()
    )
    assert not PlanAdjustment.objects.exists()
    done = client.post(
        adjust,
        {"kind": "push", "push-start_date": fday(1).isoformat(), "push-reason": "Die change"},
        headers={"HX-Request": "true"},
    )
    adjustment = PlanAdjustment.objects.get()
    assert done["HX-Redirect"] == reverse("production:plan-detail", args=[adjustment.plan_id])
    with django_assert_max_num_queries(16):
        page = client.get(done["HX-Redirect"]).content.decode()
    assert 'data-testid="plan-adjustments"' in page and "Die change" in page
    # without htmx: a page of its own, and a redirect
    assert (
        "<html"
        in client.get(reverse("production:plan-line-adjust", args=[line_id(plan)])).content.decode()
    )
    moved = client.post(
        reverse("production:plan-line-adjust", args=[line_id(plan)]),
        {
            "kind": "move",
            "move-quantity": "5",
            "move-from_date": fday(1).isoformat(),
            "move-to_date": fday(2).isoformat(),
            "move-reason": "short",
        },
    )
    assert moved.status_code == 302


def test_warehouse_gets_no_button_and_403(client, plan, login):
    login("warehouse")
    page = client.get(reverse("production:plan-detail", args=[plan.pk])).content.decode()
    assert "adjust-SO-1-10" not in page
    response = client.get(reverse("production:plan-line-adjust", args=[line_id(plan)]))
    assert response.status_code == 403
