"""The fast path of a run: planning in a helper thread while batches are written, ids given
by the run, pegging stored as a graph and resolved on reading, old results removed."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

from production.models import MrpRun, PlannedOrder
from production.mrp import services
from production.mrp.engine import plan
from production.mrp.loader import load_input
from production.mrp.selectors import latest_run, planned_orders
from production.mrp.services import run_mrp
from tests.factories import BomLineFactory, ItemFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.production.mrp_support import T, grow


def two_orders_sharing_a_component():
    """A <- B <- C and D <- C: C's planned orders serve both customer orders."""
    a = ItemFactory(code="A", kind="finished", lead_time_days=1)
    b = ItemFactory(code="B", kind="semi", lead_time_days=1)
    c = ItemFactory(code="C", kind="raw", lead_time_days=2)
    d = ItemFactory(code="D", kind="finished")
    BomLineFactory(parent=a, component=b, quantity=D(2))
    BomLineFactory(parent=b, component=c, quantity=D(3))
    BomLineFactory(parent=d, component=c, quantity=D(1))
    for no, item, due in (("SO-A", a, dt.date(2026, 3, 10)), ("SO-D", d, dt.date(2026, 3, 8))):
        order = SalesOrderFactory(order_no=no)
        SalesOrderLineFactory(order=order, line=1, item=item, quantity=D(5), due_date=due)


def test_stored_pegging_resolves_to_the_engines(db):
    two_orders_sharing_a_component()
    grow(4)
    expected = {(p.item_id, p.due_date): list(p.pegging) for p in plan(load_input(as_of=T))}
    run_mrp(as_of=T)
    stored = {(p.item_id, p.due_date): p.pegging for p in planned_orders()}
    assert stored == expected
    c_orders = [p.pegging for p in planned_orders() if p.item.code == "C"]
    assert c_orders == [["SO-A", "SO-D"]]  # B starts 03-08, D is due 03-08: one order of C
    assert PlannedOrder.objects.get(item__code="C").direct_pegging == []


def test_ids_follow_the_plan_and_runs_do_not_collide(db, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 3)
    grow(5)
    first = run_mrp(as_of=T)
    second = run_mrp(as_of=T)
    ids = [
        list(r.planned_orders.order_by("pk").values_list("pk", flat=True)) for r in (first, second)
    ]
    assert len(ids[0]) == len(ids[1]) == 10
    assert ids[0] == list(range(ids[0][0], ids[0][0] + 10))
    assert ids[1][0] > ids[0][-1]
    for order in PlannedOrder.objects.filter(run=second):
        assert all(p in ids[1] for p in order.pegged_to)


def test_a_writer_failure_midway_keeps_the_previous_results(db, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 2)
    grow(5)
    good = run_mrp(as_of=T)
    calls = {"n": 0}
    real_write = services._Writer.write

    def fail_on_the_third(self, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_write(self, batch)

    with mock.patch.object(services._Writer, "write", fail_on_the_third):
        failed = run_mrp(as_of=T)
    assert failed.status == "failed" and "disk full" in failed.error
    assert latest_run() == good
    assert not PlannedOrder.objects.filter(run=failed).exists()
    assert PlannedOrder.objects.filter(run=good).count() == 10


def test_old_results_are_removed_but_runs_stay_recorded(db):
    grow(2)
    runs = [run_mrp(as_of=T) for _ in range(services.KEEP_RESULTS + 2)]
    kept = set(PlannedOrder.objects.values_list("run_id", flat=True))
    assert kept == {r.pk for r in runs[-services.KEEP_RESULTS :]}
    assert MrpRun.objects.count() == len(runs)


def test_counts_of_a_run(db):
    grow(3)
    run = run_mrp(as_of=T)
    assert run.counts == {
        "items": 6,
        "planned_orders": 6,
        "purchase": 3,
        "production": 3,
        "late": 0,
    }
