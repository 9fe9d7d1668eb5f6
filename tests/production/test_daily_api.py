"""REST for shop-floor terminals: daily reports (one row, a batch, corrections), progress
and defect rates; role refusals; errors in words; query guards."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from production.models import DailyReport
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.clock import iso_in_days
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
    sales = make_user("sales")
    order_line("SO-1", floor.items["B"], 40, due=day(1))
    order_line("SO-2", floor.items["A"], 100, due=day(2))
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    return floor


def one(**changes):
    body = {
        "date": iso(0),
        "machine": "CUT",
        "process": "P-CUT",
        "order_no": "SO-2",
        "line": 1,
        "good_quantity": "40",
        "defects": [{"reason": "burr", "quantity": "2"}],
        "hours": "4",
        "operator": "Wang",
    }
    body.update(changes)
    return body


def test_a_terminal_posts_a_row_and_corrects_it(floor, api_client_for):
    terminal = api_client_for("production")
    response = terminal.post(
        "/api/v1/daily-reports/", one(), format="json", HTTP_IDEMPOTENCY_KEY="t1-0302"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {
        k: body[k] for k in ("machine", "process", "order_no", "good_quantity", "defect_quantity")
    } == {
        "machine": "CUT",
        "process": "P-CUT",
        "order_no": "SO-2",
        "good_quantity": "40.000000",
        "defect_quantity": "2.000000",
    }
    assert body["defects"] == [{"reason": "burr", "quantity": "2.000000"}]
    # a retry with the same key is applied once
    terminal.post("/api/v1/daily-reports/", one(), format="json", HTTP_IDEMPOTENCY_KEY="t1-0302")
    assert DailyReport.objects.count() == 1
    # the same row again replaces it
    terminal.post("/api/v1/daily-reports/", one(good_quantity="42", defects=[]), format="json")
    (report,) = DailyReport.objects.all()
    assert (report.good_quantity, report.defect_quantity) == (D(42), D(0))
    patched = terminal.patch(f"/api/v1/daily-reports/{report.pk}/", {"hours": "5.5"}, format="json")
    assert patched.status_code == 200 and patched.json()["hours"] == "5.500000"
    assert patched.json()["good_quantity"] == "42.000000"
    assert terminal.delete(f"/api/v1/daily-reports/{report.pk}/").status_code == 204


def test_a_batch_for_the_machine_day(floor, api_client_for):
    terminal = api_client_for("production")
    rows = [
        {"process": "P-CUT", "order_no": "SO-1", "good_quantity": "40", "hours": "4"},
        {"process": "P-CUT", "order_no": "SO-2", "good_quantity": "40", "hours": "4"},
    ]
    response = terminal.post(
        "/api/v1/daily-reports/batch/",
        {"date": iso(0), "machine": "CUT", "rows": rows},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == 2
    response = terminal.post(
        "/api/v1/daily-reports/batch/",
        {"date": iso(0), "machine": "CUT", "rows": rows[:1], "replace": True},
        format="json",
    )
    assert DailyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"machine": "NOPE"}, 400, "no machine NOPE"),
        ({"process": "P-WELD"}, 400, "not a step of A's routing"),
        ({"order_no": "SO-9"}, 400, "order SO-9 has no line 1"),
        ({"good_quantity": "1.5"}, 400, "more decimals"),
        ({"hours": "30"}, 400, "24 hours"),
        ({"good_quantity": "abc"}, 400, "good_quantity"),
        ({"date": iso_in_days(7)}, 400, "has not come yet"),
        ({"defects": [{"reason": "", "quantity": "1"}]}, 400, "reason"),
    ],
)
def test_bad_rows_are_refused(floor, api_client_for, changes, status, words):
    response = api_client_for("production").post(
        "/api/v1/daily-reports/", one(**changes), format="json"
    )
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not DailyReport.objects.exists()


def test_roles(floor, api_client_for):
    assert (
        api_client_for("sales").post("/api/v1/daily-reports/", one(), format="json").status_code
        == 403
    )
    assert api_client_for("quality").get("/api/v1/daily-reports/").status_code == 200
    assert api_client_for().get("/api/v1/daily-reports/").status_code == 403
    assert APIClient().get("/api/v1/production-progress/").status_code == 401


def test_progress_and_defect_rates(floor, api_client_for, django_assert_max_num_queries):
    terminal = api_client_for("production")
    terminal.post("/api/v1/daily-reports/", one(good_quantity="30"), format="json")
    terminal.post(
        "/api/v1/daily-reports/",
        one(order_no="SO-1", good_quantity="40", defects=[], hours="4"),
        format="json",
    )
    terminal.post(
        "/api/v1/daily-reports/",
        one(
            machine="WELD",
            process="P-WELD",
            order_no="SO-1",
            good_quantity="20",
            defects=[{"reason": "crack", "quantity": "5"}],
        ),
        format="json",
    )
    reader = api_client_for("sales")
    with django_assert_max_num_queries(10):
        progress = reader.get(f"/api/v1/production-progress/?date={iso(0)}").json()
    rows = {r["order_no"]: r for r in progress}
    assert (rows["SO-1"]["finished"], rows["SO-1"]["is_behind"]) == ("20.000000", True)
    assert rows["SO-2"]["planned_to_date"].startswith("40")
    assert [s["process"] for s in rows["SO-1"]["steps"]] == ["P-CUT", "P-WELD"]
    rates = reader.get(f"/api/v1/defect-rates/?since={iso(-1)}&until={iso(29)}").json()
    weld = next(r for r in rates if r["process"] == "P-WELD")
    assert (weld["rate"], weld["above"], weld["reasons"]) == (
        "0.200000",
        True,
        {"crack": "5.000000"},
    )
    bad = reader.get(f"/api/v1/defect-rates/?since={iso(30)}&until={iso(-1)}")
    assert bad.status_code == 400 and "since" in bad.json()
    assert reader.get("/api/v1/production-progress/?threshold=500").status_code == 400
    with django_assert_max_num_queries(8):
        assert reader.get("/api/v1/daily-reports/").json()["count"] == 3
