"""MRP against the database: inputs, runs, one at a time, the nightly task."""

import datetime as dt
import threading
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from erp.errors import ConflictError
from erp.locks import exclusive_job
from orders.models import OrderMaterial
from production.models import MrpRun, PlannedOrder
from production.mrp.selectors import latest_run, planned_orders
from production.mrp.services import run_mrp
from production.tasks import nightly_mrp
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    WorkOrderFactory,
)

T = dt.date(2026, 3, 2)


def rows():
    return {
        p.item.code: (p.kind, p.quantity, p.due_date, p.release_date, p.late, p.pegging)
        for p in planned_orders()
    }


def test_the_worked_example_through_the_database(example):
    run = run_mrp(as_of=T)
    assert run.status == "succeeded", run.error
    assert rows() == {
        "F": ("production", D(50), dt.date(2026, 3, 10), dt.date(2026, 3, 8), False, ["SO1"]),
        "S": ("production", D(102), dt.date(2026, 3, 8), dt.date(2026, 3, 7), False, ["SO1"]),
        "R": ("purchase", D("50.000"), dt.date(2026, 3, 7), dt.date(2026, 3, 2), False, ["SO1"]),
    }


def test_cancelled_closed_and_draft_lines_are_ignored(example):
    order = SalesOrderFactory(order_no="SO2", status="confirmed")
    SalesOrderLineFactory(
        order=order, line=1, item=example["f"], quantity=D(500), status="cancelled"
    )
    SalesOrderLineFactory(order=order, line=2, item=example["f"], quantity=D(500), status="closed")
    draft = SalesOrderFactory(order_no="SO3", status="draft")
    SalesOrderLineFactory(order=draft, line=1, item=example["f"], quantity=D(500))
    run_mrp(as_of=T)
    assert rows()["F"][1] == D(50)


def test_open_purchase_orders_and_shipped_quantities_net(example):
    PurchaseOrderLineFactory(
        item=example["r"], quantity=D(100), received_quantity=D(60), due_date=dt.date(2026, 3, 1)
    )
    line = example["order"].lines.get()
    line.shipped_quantity = D(10)
    line.save()
    run_mrp(as_of=T)
    # F: 10 on hand, 50 open -> 40; S 40 x 2.04 = 81.6 -> 82; R: 82 x 0.42 = 34.44 vs 20 + 40 received
    result = rows()
    assert result["F"][1] == D(40)
    assert result["S"][1] == D(82)
    assert "R" not in result


def test_allocated_demand_is_reduced_by_picks_for_the_work_order(db):
    p = ProcessFactory(code="PX", defect_rate=D("0"))
    f = ItemFactory(code="FF", kind="finished", lead_time_days=3)
    r = ItemFactory(code="RR", kind="raw")
    BomLineFactory(parent=f, component=r, quantity=D(2), process=p)
    order = SalesOrderFactory(order_no="SOX")
    line = SalesOrderLineFactory(
        order=order, line=1, item=f, quantity=D(10), due_date=dt.date(2026, 4, 1)
    )
    WorkOrderFactory(
        wo_no="WOX",
        item=f,
        quantity=D(10),
        completed_quantity=D(0),
        due_date=dt.date(2026, 3, 20),
        sales_order=order,
    )
    OrderMaterial.objects.create(order_line=line, item=r, picked=D(5))

    run_mrp(as_of=T)
    (raw,) = [p for p in planned_orders() if p.item.code == "RR"]
    # 10 x 2 = 20 needed at 03-17, 5 already picked -> 15; pegged to the WO and its order
    assert (raw.quantity, raw.due_date) == (D(15), dt.date(2026, 3, 17))
    assert raw.pegging == ["SOX", "WOX"]


def test_a_failed_run_keeps_the_previous_results(example):
    first = run_mrp(as_of=T)
    with mock.patch("production.mrp.services.plan", side_effect=RuntimeError("boom")):
        failed = run_mrp(as_of=T)
    assert failed.status == "failed" and "boom" in failed.error
    assert latest_run() == first
    assert len(rows()) == 3


def test_a_bom_cycle_fails_the_run_with_the_cycle_named(example):
    BomLineFactory(parent=example["r"], component=example["f"])
    run = run_mrp(as_of=T)
    assert run.status == "failed"
    assert (
        "F -> S -> R -> F" in run.error
        or "R -> F -> S -> R" in run.error
        or "S -> R -> F -> S" in run.error
    )


@pytest.mark.django_db(transaction=True)
def test_only_one_run_at_a_time(example):
    """While one run holds the lock (another connection), a second is refused at once."""
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with exclusive_job("mrp", busy_message="busy"):
            holding.set()
            release.wait(10)
        connection.close()

    t = threading.Thread(target=hold)
    t.start()
    holding.wait(10)
    try:
        with pytest.raises(ConflictError, match="already in progress"):
            run_mrp(as_of=T)
        with pytest.raises(CommandError, match="already in progress"):
            call_command("run_mrp", "--as-of", "2026-03-02")
    finally:
        release.set()
        t.join()
    assert run_mrp(as_of=T).status == "succeeded"
    assert MrpRun.objects.count() == 1


def test_the_nightly_task_calls_the_service(example):
    with mock.patch("production.tasks.run_mrp", wraps=run_mrp) as service:
        run_id = nightly_mrp.delay().result
    service.assert_called_once_with(trigger="nightly")
    assert MrpRun.objects.get(pk=run_id).trigger == "nightly"


def test_command_prints_the_counts(example, capsys):
    call_command("run_mrp", "--as-of", "2026-03-02")
    assert "3 planned orders (1 purchase, 2 production, 0 late)" in capsys.readouterr().out


def test_query_count_does_not_grow_with_the_factory(db, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            f = ItemFactory(code=f"G{n}-{i}", kind="finished")
            r = ItemFactory(code=f"GR{n}-{i}")
            BomLineFactory(parent=f, component=r, quantity=D(1))
            order = SalesOrderFactory(order_no=f"GSO{n}-{i}")
            SalesOrderLineFactory(order=order, line=1, item=f, quantity=D(3))

    grow(3)
    with django_assert_max_num_queries(20):
        run_mrp(as_of=T)
    grow(30)
    with django_assert_max_num_queries(20):
        run_mrp(as_of=T)
    assert PlannedOrder.objects.filter(run=latest_run()).count() == 66


def test_allocated_demand_is_reduced_by_picks_against_the_work_order_itself(db):
    from orders.models import WorkOrderMaterial

    p = ProcessFactory(code="PX", defect_rate=D("0"))
    f = ItemFactory(code="FF", kind="semi", lead_time_days=3)
    r = ItemFactory(code="RR", kind="raw")
    BomLineFactory(parent=f, component=r, quantity=D(2), process=p)
    wo = WorkOrderFactory(
        wo_no="WOS", item=f, quantity=D(10), completed_quantity=D(0), due_date=dt.date(2026, 3, 20)
    )
    WorkOrderMaterial.objects.create(work_order=wo, item=r, picked=D(8), returned_surplus=D(1))
    run_mrp(as_of=T)
    (raw,) = [p for p in planned_orders() if p.item.code == "RR"]
    assert raw.quantity == D(13)  # 20 - (8 - 1) picked against WOS by a work-order slip
