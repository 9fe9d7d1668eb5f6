"""Reading MRP results at factory size: pages and the API sort ids first and then read one
page of rows (the same rows in the same order as the plain query), take the counts a run
recorded instead of counting again, and read a fixed number of queries."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from production.models import PlannedOrder
from production.mrp import pages, selectors
from production.mrp.services import run_mrp
from tests.factories import BomLineFactory, ItemFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.production.mrp_support import T, grow, late_raw

SHORTFALLS = reverse("production:shortfall-list")
PRODUCTION = reverse("production:mrp-production")
PLANNED = "/api/v1/mrp/planned-orders/"


@pytest.fixture
def run(db):
    grow(12)
    grow(5, prefix="K")
    for n in range(4):
        late_raw(f"LATE{n}", supplier_code="GS1" if n % 2 else None)
    made = ItemFactory(code="LATEF", kind="finished", lead_time_days=10)
    BomLineFactory(parent=made, component=ItemFactory(code="LATEF-R"), quantity=D(1))
    order = SalesOrderFactory(order_no="SO-LATEF")
    SalesOrderLineFactory(order=order, line=1, item=made, quantity=D(2), due_date=T)
    run = run_mrp(as_of=T)
    assert run.status == "succeeded", run.error
    return run


def paged(rows, size):
    return [row.pk for start in range(0, rows.count(), size) for row in rows[start : start + size]]


@pytest.mark.parametrize("big_group", [2, 2_000])  # 2: every supplier's group is "big"
def test_two_steps_give_the_rows_of_the_plain_query_in_its_order(run, monkeypatch, big_group):
    monkeypatch.setattr(pages, "BIG_GROUP", big_group)
    for filters in (
        {},
        {"late_only": True},
        {"supplier": "GS1"},
        {"supplier": "none"},
        {"supplier": "none", "late_only": True},
        {"supplier": "NOSUCH"},
        {"search": "late"},
    ):
        plain = [p.pk for p in selectors.shortfalls(run=run, **filters)]
        for size in (1, 4, 7, 100):
            assert paged(pages.shortfall_rows(run=run, **filters), size) == plain, filters
    assert isinstance(pages.shortfall_rows(run=run), pages.BySupplier)
    plain = [p.pk for p in selectors.planned_production(run=run)]
    assert paged(pages.production_rows(run=run), 5) == plain
    assert len(plain) == run.counts["production"] == 18
    late = pages.production_rows(run=run, late_only=True)
    assert late.count() == len(selectors.planned_production(run=run, late_only=True)) == 1


def page_counts(sql: list[str]) -> int:
    return sum("COUNT(*)" in q and "production_plannedorder" in q for q in sql)


def test_unfiltered_lists_take_the_counts_of_the_run(run, client, make_user):
    client.force_login(make_user("purchasing"))
    client.get(SHORTFALLS)
    for url, counted in (
        (SHORTFALLS, 0),
        (SHORTFALLS + "?late=on&supplier=GS1", 0),  # the run counted them by supplier
        (PRODUCTION, 0),
        (PRODUCTION + "?late=on", 0),  # late ones less the late purchases
        (SHORTFALLS + "?q=late", 1),
        (PRODUCTION + "?q=F", 1),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert page_counts([q["sql"] for q in queries]) == counted, url
    html = client.get(SHORTFALLS).content.decode()
    assert f"{run.counts['purchase']} planned purchases" in html


def test_the_api_pages_through_every_row_once(run, api_client_for):
    api = api_client_for("purchasing")
    seen, url = [], PLANNED + "?page_size=7"
    with CaptureQueriesContext(connection) as queries:
        first = api.get(url).json()
    assert first["count"] == run.counts["planned_orders"]
    assert page_counts([q["sql"] for q in queries]) == 0
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    plain = [p.pk for p in selectors.planned_orders(run=run)]
    assert seen == plain and len(seen) == PlannedOrder.objects.filter(run=run).count()
    purchases = api.get(PLANNED, {"kind": "purchase"}).json()
    assert purchases["count"] == run.counts["purchase"]
    late = api.get(PLANNED, {"kind": "purchase", "late": "true"}).json()
    assert late["count"] == 4 and {r["item"] for r in late["results"]} >= {"LATE0", "LATE3"}
    for value, expected in (("true", 5), ("false", run.counts["planned_orders"] - 5)):
        with CaptureQueriesContext(connection) as queries:
            body = api.get(PLANNED, {"late": value}).json()
        assert body["count"] == expected and page_counts([q["sql"] for q in queries]) == 0
    assert api.get(PLANNED, {"late": "1"}).json()["count"] == run.counts["planned_orders"]


def test_pages_and_api_read_a_fixed_number_of_queries(
    run, client, make_user, api_client_for, django_assert_max_num_queries
):
    client.force_login(make_user("purchasing"))
    api = api_client_for("purchasing")
    client.get(SHORTFALLS)
    api.get(PLANNED)
    r = PlannedOrder.objects.filter(run=run, kind="purchase").order_by("pk").first()
    for url, most in (
        (SHORTFALLS, 16),
        (SHORTFALLS + "?late=on&q=late", 17),
        (PRODUCTION, 15),
        (reverse("production:mrp-planned-order", args=[r.pk]), 20),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(PLANNED).status_code == 200
