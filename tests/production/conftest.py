"""Fixtures for the production tests: the MRP worked example of CONTRACT.md section 4."""

import datetime as dt
from decimal import Decimal as D

import pytest

from materials.models import Location
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)


def put(item, qty):
    loc = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(item.pk, loc.pk, D(qty))], kind="count")


@pytest.fixture
def example(db):
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=D("0.05"))
    f = ItemFactory(code="F", kind="finished", lead_time_days=2)
    s = ItemFactory(code="S", kind="semi", lead_time_days=1)
    r = ItemFactory(
        code="R", kind="raw", uom="kg", decimals=3, lead_time_days=5, min_order_qty=D(50)
    )
    BomLineFactory(parent=f, component=s, quantity=D(2), process=p1)
    BomLineFactory(parent=s, component=r, quantity=D("0.4"), process=p2)
    put(f, 10)
    put(r, 20)
    order = SalesOrderFactory(order_no="SO1", order_date=dt.date(2026, 3, 1))
    SalesOrderLineFactory(
        order=order, line=1, item=f, quantity=D(60), due_date=dt.date(2026, 3, 10)
    )
    return {"f": f, "s": s, "r": r, "order": order}
