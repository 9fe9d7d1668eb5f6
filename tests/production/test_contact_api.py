"""REST of contact slips: raise, propose, decide; refusals by role and in words."""

from decimal import Decimal

import pytest

from production.models import ContactSlip
from production.services.daily import DailyRow, daily_report_save
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.clock import iso_in_days
from tests.factories import SupplierFactory
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    iso,
    order_line,
)

D = Decimal


@pytest.fixture
def floor(db, make_user):
    grant_plan_permissions()
    floor = build_floor()
    sales, production = make_user("sales"), make_user("production")
    line = order_line("SO-1", floor.items["A"], 80, due=day(2))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=production, plan=plan)
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[DailyRow(order_line=line, process=floor.processes["CUT"], good_quantity="10")],
    )
    SupplierFactory(code="SUB")
    return floor


def test_raise_and_decide(floor, api_client_for):
    production, sales = api_client_for("production"), api_client_for("sales")
    response = production.post(
        "/api/v1/contact-slips/",
        {"order_no": "SO-1", "line": 1, "reason": "CUT blade broke"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="slip-1",
    )
    assert response.status_code == 201, response.content
    slip = response.json()
    assert (slip["status"], slip["age_days"], slip["raised_by"]) == ("open", 0, "production_user")
    again = production.post(
        "/api/v1/contact-slips/", {"order_no": "SO-1", "reason": "again"}, format="json"
    )
    assert again.status_code == 409 and "still open" in again.json()["detail"]
    url = f"/api/v1/contact-slips/{slip['number']}/decide/"
    assert production.post(url, {"decision": "replan"}, format="json").status_code == 403
    bad = sales.post(url, {"decision": "shrug"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()
    missing = sales.post(url, {"decision": "outsource", "supplier": "NOPE"}, format="json")
    assert missing.status_code == 400 and "NOPE" in missing.json()["detail"]
    decided = sales.post(
        url,
        {
            "decision": "outsource",
            "supplier": "SUB",
            "outsource_quantity": "70",
            "outsource_due_date": iso_in_days(30),
        },
        format="json",
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["decision"], body["supplier"], body["status"]) == ("outsource", "SUB", "decided")
    assert body["purchase_order"].startswith("PO-")
    conflict = sales.post(url, {"decision": "replan"}, format="json")
    assert conflict.status_code == 409


def test_propose_and_list(floor, api_client_for, django_assert_max_num_queries):
    production = api_client_for("production")
    response = production.post("/api/v1/contact-slips/propose/", {"date": iso(0)}, format="json")
    assert response.status_code == 201, response.content
    (slip,) = response.json()
    assert slip["proposed_automatically"] and slip["behind_quantity"] == "70.000000"
    assert (
        api_client_for("sales")
        .post("/api/v1/contact-slips/propose/", {}, format="json")
        .status_code
        == 403
    )
    manager = api_client_for("manager")
    with django_assert_max_num_queries(6):
        body = manager.get("/api/v1/contact-slips/?status=open").json()
    assert body["count"] == 1
    unknown = production.post(
        "/api/v1/contact-slips/", {"order_no": "NOPE", "reason": "x"}, format="json"
    )
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["detail"]
    assert api_client_for("manager").get("/api/v1/contact-slips/CS-NOPE/").status_code == 404
    assert ContactSlip.objects.count() == 1
