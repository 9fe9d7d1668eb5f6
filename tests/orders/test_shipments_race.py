"""Shipments under a real race on PostgreSQL: clerks shipping the same order line at the
same instant never ship more than is open, and orders competing for the last finished
goods never drive stock below zero."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from orders.models import SalesOrderLine, Shipment
from orders.services.shipments import ship
from tests.factories import SalesOrderFactory, SalesOrderLineFactory
from tests.orders.warehouse_support import build_floor, stock

D = Decimal


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
def test_the_same_line_is_never_shipped_beyond_its_open_quantity(make_user):
    floor = build_floor(make_user)
    clerk = floor["clerk"]
    results = race([lambda: ship(user=clerk, order_no="SO1", lines=[(2, D("4"))])] * 5)
    assert results == ["ok"] * 2 + ["refused"] * 3  # 10 open: two of 4 fit
    assert SalesOrderLine.objects.get(pk=floor["line2"].pk).shipped_quantity == D("8")
    assert stock(floor["f"]) == D("92")


@pytest.mark.django_db(transaction=True)
def test_orders_competing_for_the_last_goods_never_drive_stock_negative(make_user):
    floor = build_floor(make_user)
    clerk = floor["clerk"]
    for n in range(2, 6):
        order = SalesOrderFactory(order_no=f"SO{n}", status="confirmed")
        SalesOrderLineFactory(order=order, line=1, item=floor["f"], quantity=D("40"))
    jobs = [
        (lambda no=f"SO{n}": ship(user=clerk, order_no=no, lines=[(1, D("40"))]))
        for n in range(2, 6)
    ]
    results = race(jobs)
    assert results == ["ok"] * 2 + ["refused"] * 2  # 100 in stock: two of 40 fit
    assert stock(floor["f"]) == D("20")
    assert Shipment.objects.count() == 2
