"""Two managers approving the same count at the same instant: it is applied once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from materials.models import StockMove
from materials.services.adjustments import adjustment_approve, adjustment_request
from tests.factories import ItemFactory
from tests.orders.warehouse_support import put_stock, stock

D = Decimal


@pytest.mark.django_db(transaction=True)
def test_a_count_is_applied_once_however_many_approve_it(make_user):
    steel = ItemFactory(code="R", uom="kg", decimals=3)
    put_stock(steel, "100")
    clerk = make_user("warehouse", username="clerk")
    managers = [make_user("manager", username=f"boss{n}") for n in range(4)]
    adjustment = adjustment_request(
        user=clerk, item=steel, warehouse_code="MAIN", counted_quantity="90", reason="count"
    )
    barrier = threading.Barrier(len(managers))
    results: list[str] = []

    def approve(manager):
        try:
            barrier.wait()
            adjustment_approve(user=manager, adjustment=adjustment)
            results.append("ok")
        except ConflictError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] + ["refused"] * 3
    assert stock(steel) == D("90")
    assert StockMove.objects.filter(kind="adjustment").count() == 1
