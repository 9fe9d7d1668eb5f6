"""Parallel retries with one `Idempotency-Key` on PostgreSQL (threads, one connection
each): the POST is applied once; every retry gets the first answer (same status and body)
or a 409 saying the first request is still running; never a 500."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from erp.api.idempotency import REUSED, STILL_RUNNING
from erp.models import IdempotencyKey
from materials.models import StockMove
from orders.api import slip_views
from orders.models import MaterialSlip
from tests.orders.warehouse_support import build_floor, stock

D = Decimal
URL = "/api/v1/slips/"
PICK = {"kind": "pick", "order_no": "SO1", "lines": [{"line": 1, "item": "R", "quantity": "10"}]}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def floor(make_user):
    return build_floor(make_user)


def post(user, data=PICK, key="retry-1"):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(URL, data, format="json", headers={"Idempotency-Key": key})


def in_threads(jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    answers: list = [None] * len(jobs)

    def run(n, job):
        try:
            barrier.wait()
            answers[n] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_ten_parallel_retries_apply_once_and_answer_the_first_answer_or_still_running(floor):
    answers = in_threads([lambda: post(floor["clerk"])] * 10)

    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, [a.content for a in answers]
    created = [a.json() for a in answers if a.status_code == 201]
    assert created and all(body == created[0] for body in created)
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json() == {"detail": STILL_RUNNING}
        assert refused["Retry-After"] == "1"
    assert MaterialSlip.objects.count() == 1
    assert StockMove.objects.filter(kind="pick").count() == 1
    assert stock(floor["r"]) == D("490")
    # Once the first has finished, any retry gets its answer.
    late = post(floor["clerk"])
    assert late.status_code == 201 and late.json() == created[0]
    assert IdempotencyKey.objects.get().status_code == 201


def test_retries_while_the_first_runs_get_409_then_its_answer(floor, monkeypatch):
    """The first request is held inside the slip service until the retries have answered."""
    entered, release = threading.Event(), threading.Event()
    real_issue = slip_views.issue_slip_and_refresh

    def held_issue(**kwargs):
        entered.set()
        assert release.wait(20)
        return real_issue(**kwargs)

    monkeypatch.setattr(slip_views, "issue_slip_and_refresh", held_issue)
    first: list = []

    def run_first():
        try:
            first.append(post(floor["clerk"]))
        finally:
            connection.close()

    runner = threading.Thread(target=run_first)
    runner.start()
    try:
        assert entered.wait(20)
        retries = [post(floor["clerk"]) for _ in range(3)]
        other_body = post(floor["clerk"], data={**PICK, "note": "another"})
    finally:
        release.set()
        runner.join()

    assert [(r.status_code, r.json()) for r in retries] == [(409, {"detail": STILL_RUNNING})] * 3
    assert (other_body.status_code, other_body.json()) == (409, {"detail": REUSED})
    assert first[0].status_code == 201
    again = post(floor["clerk"])
    assert (again.status_code, again.json()) == (201, first[0].json())
    assert MaterialSlip.objects.count() == 1 and stock(floor["r"]) == D("490")


def test_a_first_request_that_failed_leaves_the_key_to_its_retry(floor, monkeypatch):
    """A request that dies half-way (here: an error after the slip was written) applies
    nothing and keeps no answer: its retry runs and is applied once."""
    real_issue = slip_views.issue_slip_and_refresh
    calls = []

    def failing_once(**kwargs):
        slip = real_issue(**kwargs)
        calls.append(slip.pk)
        if len(calls) == 1:
            raise RuntimeError("the web process died")
        return slip

    monkeypatch.setattr(slip_views, "issue_slip_and_refresh", failing_once)
    with pytest.raises(RuntimeError):
        post(floor["clerk"])
    assert MaterialSlip.objects.count() == 0 and stock(floor["r"]) == D("500")
    retry = post(floor["clerk"])
    assert retry.status_code == 201
    assert post(floor["clerk"]).json() == retry.json()
    assert MaterialSlip.objects.count() == 1 and stock(floor["r"]) == D("490")
