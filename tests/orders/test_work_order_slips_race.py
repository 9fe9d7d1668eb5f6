"""Work-order slips under a real race on PostgreSQL (threads, one connection each): the
pick limit per (work order, item) and stock that never goes negative hold when clerks issue
at the same instant."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from materials.models import StockMove
from materials.services.stock import StockChange, apply_stock_changes
from orders.models import MaterialSlip
from orders.services.slips import SlipLineInput, issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput as L
from orders.services.work_order_slips import issue_work_order_slip
from tests.factories import WorkOrderFactory
from tests.orders.warehouse_support import location, stock
from tests.orders.work_order_support import build_work_order_floor, wo_counters

D = Decimal


def race(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job):
        try:
            barrier.wait()
            job()
            results.append("ok")
        except ConflictError as refused:  # a limit, or stock taken meanwhile
            results.append(f"refused: {type(refused).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def pick(wo_no: str, item: str, quantity: str, user):
    return lambda: issue_work_order_slip(
        kind="pick", wo_no=wo_no, lines=[L(item, D(quantity))], user=user
    )


def ledger_matches(item) -> bool:
    return sum(
        m.quantity for m in StockMove.objects.filter(item=item, location__kind="usable")
    ) == (stock(item))


@pytest.mark.django_db(transaction=True)
def test_two_work_orders_picking_the_last_units_cannot_both_succeed(make_user):
    floor = build_work_order_floor(make_user)
    clerk, r = floor["clerk"], floor["r"]
    apply_stock_changes(changes=[StockChange(r.pk, location().pk, D("-470"))], kind="adjustment")
    WorkOrderFactory(wo_no="WO-S2", item=floor["s"], quantity=D("100"))
    # 30 kg left; each work order may pick 42 kg and asks for 20: only one fits.
    results = race([pick("WO-S", "R", "20", clerk), pick("WO-S2", "R", "20", clerk)])
    assert results == ["ok", "refused: InsufficientStock"]
    assert stock(r) == D("10")
    assert MaterialSlip.objects.count() == 1
    assert ledger_matches(r)


@pytest.mark.django_db(transaction=True)
def test_clerks_picking_for_one_work_order_at_once_cannot_pass_its_limit(make_user):
    """WO-S may pick 42 kg: six clerks pick 20 kg each at the same instant; two fit."""
    floor = build_work_order_floor(make_user)
    clerk, r = floor["clerk"], floor["r"]
    results = race([pick("WO-S", "R", "20", clerk)] * 6)
    assert results == ["ok"] * 2 + ["refused: PickLimitExceeded"] * 4
    assert wo_counters("WO-S", r).picked == D("40")
    assert stock(r) == D("460")
    assert ledger_matches(r)


@pytest.mark.django_db(transaction=True)
def test_a_work_order_and_a_customer_order_racing_for_the_last_units(make_user):
    floor = build_work_order_floor(make_user)
    clerk, s = floor["clerk"], floor["s"]
    apply_stock_changes(changes=[StockChange(s.pk, location().pk, D("-490"))], kind="adjustment")

    def order_pick():
        issue_slip(kind="pick", order_no="SO1", lines=[SlipLineInput(1, "S", D("10"))], user=clerk)

    results = race([pick("WO-F", "S", "10", clerk), order_pick])
    assert results == ["ok", "refused: InsufficientStock"]
    assert stock(s) == D("0")
    assert ledger_matches(s)
