"""An item's time-phased grid agrees with the run: its planned receipts are the run's
planned orders of the item, computed from the same inputs."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal as D

from orders.models import OrderMaterial
from production.models import PlannedOrder
from production.mrp.grid import item_grid
from production.mrp.services import run_mrp
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    WorkOrderFactory,
)
from tests.production.conftest import put
from tests.production.mrp_support import T


def day(n):
    return dt.date(2026, 3, n)


def by_date(pairs) -> dict:
    out: dict = defaultdict(D)
    for date, qty in pairs:
        out[date] += qty
    return {d: q for d, q in out.items() if q}


def assert_grid_matches_the_run(run, item) -> None:
    grid = item_grid(item=item, run=run)
    orders = PlannedOrder.objects.filter(run=run, item=item)
    assert by_date((b.date, b.planned_receipts) for b in grid.buckets) == by_date(
        (p.due_date, p.quantity) for p in orders
    ), item.code
    assert by_date((b.date, b.planned_releases) for b in grid.buckets) == by_date(
        (p.release_date, p.quantity) for p in orders
    ), item.code


def test_the_worked_example_grid_planned_receipts_are_the_runs(example):
    run = run_mrp(as_of=T)
    for item in (example["f"], example["s"], example["r"]):
        assert_grid_matches_the_run(run, item)


def test_the_worked_example_grid_of_r(example):
    run = run_mrp(as_of=T)
    grid = item_grid(item=example["r"], run=run)
    assert grid.on_hand == D(20) and not grid.made
    rows = {
        b.date: (b.gross, b.dependent, b.scheduled, b.balance, b.planned_receipts)
        for b in grid.buckets
    }
    assert rows[T] == (D(0), D(0), D(0), D(20), D(0))
    # 102 x 0.4 x 1.05 = 42.84 needed on 03-07, 20 on hand: 50 (the minimum) planned
    assert rows[day(7)] == (D("42.84"), D("42.84"), D(0), D("27.16"), D(50))
    releases = {b.date: b.planned_releases for b in grid.buckets if b.planned_releases}
    assert releases == {T: D(50)}


def test_grid_of_a_finished_item_shows_customer_demand_and_receipts(example):
    PurchaseOrderLineFactory(item=example["f"], quantity=D(5), due_date=day(9))
    run = run_mrp(as_of=T)
    grid = item_grid(item=example["f"], run=run)
    assert grid.made
    bucket = {b.date: b for b in grid.buckets}
    assert bucket[day(9)].scheduled == D(5)
    assert bucket[day(10)].independent == D(60)
    assert bucket[day(10)].planned_receipts == D(45) and bucket[day(10)].balance == D(0)
    assert bucket[day(8)].planned_releases == D(45)
    assert_grid_matches_the_run(run, example["f"])


def test_a_bigger_factory_agrees_item_by_item(db):
    """Shared component at two levels, work orders with picks, purchase orders, past-due
    demand, safety stock, MOQ and multiples, kg decimals, late releases."""
    cut = ProcessFactory(code="CUT", defect_rate=D("0.03"))
    top = ItemFactory(code="TOP", kind="finished", lead_time_days=2, safety_stock=D(5))
    sub = ItemFactory(code="SUB", kind="semi", lead_time_days=3, order_multiple=D(12))
    steel = ItemFactory(
        code="STEEL", kind="raw", uom="kg", decimals=3, lead_time_days=9, min_order_qty=D(40)
    )
    bolt = ItemFactory(code="BOLT", kind="raw", lead_time_days=1, safety_stock=D(100))
    BomLineFactory(parent=top, component=sub, quantity=D(2), process=cut)
    BomLineFactory(parent=top, component=steel, quantity=D("1.25"))
    BomLineFactory(parent=sub, component=steel, quantity=D("0.7"), process=cut)
    BomLineFactory(parent=sub, component=bolt, quantity=D(4))
    put(steel, "12.5")
    put(bolt, 30)
    PurchaseOrderLineFactory(item=steel, quantity=D(20), due_date=day(6))
    PurchaseOrderLineFactory(item=bolt, quantity=D(50), due_date=dt.date(2026, 2, 20))
    customer = SalesOrderFactory(order_no="SO-A")
    line = SalesOrderLineFactory(order=customer, line=1, item=top, quantity=D(8), due_date=day(1))
    SalesOrderLineFactory(order=customer, line=2, item=top, quantity=D(30), due_date=day(20))
    other = SalesOrderFactory(order_no="SO-B")
    SalesOrderLineFactory(order=other, line=1, item=sub, quantity=D(7), due_date=day(12))
    WorkOrderFactory(wo_no="WO-A", item=top, quantity=D(10), due_date=day(9), sales_order=customer)
    WorkOrderFactory(wo_no="WO-B", item=sub, quantity=D(24), due_date=day(15))
    OrderMaterial.objects.create(order_line=line, item=sub, picked=D(6))

    run = run_mrp(as_of=T)
    assert run.status == "succeeded", run.error
    assert PlannedOrder.objects.filter(run=run, late=True).exists()
    for item in (top, sub, steel, bolt):
        assert_grid_matches_the_run(run, item)
    bolt_grid = {b.date: b for b in item_grid(item=bolt, run=run).buckets}
    assert bolt_grid[T].scheduled == D(50)  # past-due receipt counts at T
    sub_grid = item_grid(item=sub, run=run)
    allocated = sum(b.allocated for b in sub_grid.buckets)
    assert allocated == D(10) * D(2) * D("1.03") - D(6)  # WO-A less what was picked


def test_the_grid_reads_a_fixed_number_of_queries(example, django_assert_max_num_queries):
    run = run_mrp(as_of=T)
    with django_assert_max_num_queries(12):
        item_grid(item=example["s"], run=run)
