"""Goods receipts under a real race on PostgreSQL: clerks booking the same purchase order
at the same instant never receive more than was ordered, and the order still closes."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from materials.models import GoodsReceipt, PurchaseOrder, StockBalance, StockMove
from materials.services import receipts
from tests.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, UserFactory
from tests.orders.material_support import build_floor

D = Decimal
pytestmark = pytest.mark.usefixtures("transactional_db")


def run_at_once(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job):
        try:
            barrier.wait()
            job()
            results.append("ok")
        except receipts.ReceiptLimitExceeded:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def test_clerks_receiving_the_last_units_at_once_cannot_both_pass():
    floor = build_floor()
    clerk = UserFactory(username="clerk")
    line = PurchaseOrderLineFactory(item=floor.r, quantity=D("10"), line=1)

    def receive():
        receipts.goods_receipt(user=clerk, purchase_line=line.pk, quantity=D("4"))

    assert run_at_once([receive] * 5) == ["ok", "ok", "refused", "refused", "refused"]
    line.refresh_from_db()
    usable = StockBalance.objects.get(item=floor.r, location__kind="usable").quantity
    ledger = sum(m.quantity for m in StockMove.objects.filter(item=floor.r))
    assert line.received_quantity == usable == ledger == D("8")
    assert GoodsReceipt.objects.count() == 2


def test_two_lines_completed_at_once_close_the_order():
    """Each receipt checks "every line received?" after writing its own line: the second
    one must see the first (the order row is locked first)."""
    floor = build_floor()
    clerk = UserFactory(username="clerk")
    order = PurchaseOrderFactory(po_no="PO-RACE")
    lines = [
        PurchaseOrderLineFactory(purchase_order=order, line=n, item=item, quantity=D("5"))
        for n, item in enumerate((floor.r, floor.s), start=1)
    ]
    jobs = [
        (lambda pk=line.pk: receipts.goods_receipt(user=clerk, purchase_line=pk, quantity=D("5")))
        for line in lines
    ]
    assert run_at_once(jobs) == ["ok", "ok"]
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CLOSED
