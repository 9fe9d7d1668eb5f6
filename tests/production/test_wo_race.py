"""Work orders and receipts under a real race on PostgreSQL: the same planned order released
at the same instant becomes one work order; receipts against an order line at once never
exceed its open quantity; a receipt reversed twice at once is reversed once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from materials.models import StockMove
from production.models import (
    FinishedGoodsReceipt,
    FinishedGoodsReceiptReversal,
    PlannedOrder,
    WorkOrder,
)
from production.mrp.services import run_mrp
from production.services import finished_goods_receipt
from production.services.receipt_reversal import finished_goods_receipt_reverse
from production.services.release import release_planned_orders
from tests.factories import SalesOrderLineFactory
from tests.orders.warehouse_support import build_floor, stock
from tests.production.mrp_support import T

D = Decimal
pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"
)


def race(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job):
        try:
            barrier.wait()
            job()
            results.append("ok")
        except ConflictError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_the_same_planned_order_released_at_once_becomes_one_work_order(example, make_user):
    run_mrp(as_of=T)
    planned = PlannedOrder.objects.get(item=example["f"])
    planner = make_user("production")
    job = lambda: release_planned_orders(user=planner, planned_order_ids=[planned.pk])  # noqa: E731
    assert race([job] * 4) == ["ok"] + ["refused"] * 3
    assert WorkOrder.objects.filter(mrp_planned_order=planned.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_receipts_against_a_line_at_once_never_exceed_its_open_quantity(make_user):
    floor = build_floor(make_user)
    line = SalesOrderLineFactory(order=floor["order"], line=3, item=floor["f"], quantity=15)
    job = lambda: finished_goods_receipt(user=floor["clerk"], quantity=D(4), order_line=line)  # noqa: E731
    assert race([job] * 5) == ["ok"] * 3 + ["refused"] * 2  # 15 open: three of 4 fit
    assert FinishedGoodsReceipt.objects.filter(order_line=line).count() == 3
    assert stock(floor["f"]) == D(112)


@pytest.mark.django_db(transaction=True)
def test_a_receipt_reversed_twice_at_once_is_reversed_once(make_user):
    floor = build_floor(make_user)
    receipt = finished_goods_receipt(user=floor["clerk"], quantity=D(7), order_line=floor["line2"])
    job = lambda: finished_goods_receipt_reverse(  # noqa: E731
        user=floor["clerk"], receipt=receipt, reason="booked twice"
    )
    assert race([job] * 3) == ["ok"] + ["refused"] * 2
    assert FinishedGoodsReceiptReversal.objects.count() == 1
    assert StockMove.objects.filter(document_type="finished_receipt_reversal").count() == 1
    assert stock(floor["f"]) == D(100)
