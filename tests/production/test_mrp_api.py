"""GET /api/v1/mrp/planned-orders/ (the export's rows), GET and POST /api/v1/mrp/runs/."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from erp.locks import exclusive_job
from production.models import MrpRun
from production.mrp.services import run_mrp
from reports.exports import Period, report_rows, to_json
from tests.production.mrp_support import T, bought_before, grow, late_raw

PLANNED = "/api/v1/mrp/planned-orders/"
RUNS = "/api/v1/mrp/runs/"


@pytest.fixture
def planned(example):
    bought_before(example["r"], "SUP1")
    late_raw("LATE")
    return run_mrp(as_of=T)


def test_planned_orders_are_the_export_rows(planned, api_client_for):
    import json

    answer = api_client_for("purchasing").get(PLANNED, {"page_size": 100})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 4 and "next" in body
    report, rows = report_rows("mrp-planned-orders", Period())
    exported = json.loads(to_json(report, rows))
    fields = list(report.fields)
    assert [{k: r[k] for k in fields} for r in body["results"]] == exported
    r = next(r for r in body["results"] if r["item"] == "R")
    assert r == {
        "id": r["id"],
        "run": planned.pk,
        "item": "R",
        "kind": "purchase",
        "quantity": "50.000",
        "due_date": "2026-03-07",
        "release_date": "2026-03-02",
        "late": False,
        "pegging": ["SO1"],
        "supplier": "SUP1",
    }


def test_filters_kind_item_and_late(planned, api_client_for):
    client = api_client_for("warehouse")

    def items(**params):
        return sorted(r["item"] for r in client.get(PLANNED, params).json()["results"])

    assert items(kind="purchase") == ["LATE", "R"]
    assert items(kind="production") == ["F", "S"]
    assert items(item="S") == ["S"]
    assert items(late="true") == ["LATE"]
    assert items(late="false", kind="purchase") == ["R"]
    assert client.get(PLANNED, {"kind": "nonsense"}).status_code == 400


def test_no_run_yet_is_an_empty_list(db, api_client_for):
    assert api_client_for("purchasing").get(PLANNED).json()["count"] == 0


def test_list_query_count_does_not_grow(example, api_client_for, django_assert_max_num_queries):
    client = api_client_for("purchasing")
    grow(2)
    run_mrp(as_of=T)
    with django_assert_max_num_queries(12) as few:
        assert client.get(PLANNED, {"page_size": 1000}).json()["count"] == 7
    grow(30, prefix="H")
    run_mrp(as_of=T)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(PLANNED, {"page_size": 1000}).json()["count"] == 67
    with django_assert_max_num_queries(6):
        client.get(RUNS)


@pytest.mark.parametrize("role", ["sales", "quality"])
def test_other_roles_may_not_read(planned, api_client_for, role):
    client = api_client_for(role)
    assert client.get(PLANNED).status_code == 403
    assert client.get(RUNS).status_code == 403


def test_anonymous_is_401(planned):
    assert APIClient().get(PLANNED).status_code == 401


def test_runs_list_latest_first(planned, api_client_for):
    run_mrp(as_of=T, trigger="nightly")
    body = api_client_for("production").get(RUNS).json()
    assert [r["trigger"] for r in body["results"]] == ["nightly", "manual"]
    first = body["results"][0]
    assert set(first) == {
        "id",
        "as_of",
        "trigger",
        "started_by",
        "started_at",
        "finished_at",
        "status",
        "counts",
        "error",
    }
    assert first["counts"]["planned_orders"] == 4 and first["status"] == "succeeded"


def test_post_starts_a_run(example, api_client_for):
    answer = api_client_for("purchasing").post(RUNS, {"as_of": "2026-03-02"}, format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["status"], body["as_of"], body["started_by"], body["trigger"]) == (
        "succeeded",
        "2026-03-02",
        "purchasing_user",
        "run now",
    )
    assert body["counts"]["planned_orders"] == 3


def test_post_is_applied_once_per_idempotency_key(example, api_client_for):
    client = api_client_for("manager")
    first = client.post(RUNS, {}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(RUNS, {}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and MrpRun.objects.count() == 1


def test_post_refusals(example, api_client_for):
    answer = api_client_for("purchasing").post(RUNS, {"as_of": "03/02/2026"}, format="json")
    assert answer.status_code == 400 and "as_of" in answer.json()
    for role in ("warehouse", "production", "sales"):
        assert api_client_for(role).post(RUNS, {}, format="json").status_code == 403
    assert not MrpRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_post_while_a_run_is_in_progress_is_409(example, api_client_for):
    client = api_client_for("purchasing")
    holding, release = threading.Event(), threading.Event()

    def hold():
        with exclusive_job("mrp", busy_message="busy"):
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        answer = client.post(RUNS, {}, format="json")
    finally:
        release.set()
        thread.join()
    assert answer.status_code == 409
    assert "already in progress" in answer.json()["detail"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_with_a_worker_post_queues_the_run_or_refuses(example, api_client_for):
    client = api_client_for("purchasing")
    with mock.patch("production.tasks.run_mrp_task.delay_on_commit") as queued:
        answer = client.post(RUNS, {"as_of": "2026-03-02"}, format="json")
    assert answer.status_code == 202
    assert queued.call_args.kwargs["as_of"] == "2026-03-02"
    MrpRun.objects.create(as_of=T, trigger="nightly")  # in progress
    assert client.post(RUNS, {}, format="json").status_code == 409
