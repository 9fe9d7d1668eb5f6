"""Helpers of the MRP page, API and grid tests (the worked example is in conftest.py)."""

import datetime as dt
from decimal import Decimal as D

from tests.factories import (
    BomLineFactory,
    ItemFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    SupplierFactory,
)

T = dt.date(2026, 3, 2)


def bought_before(item, supplier_code: str, *, on=dt.date(2026, 1, 10)):
    """A fully received purchase order line: no scheduled receipt, but the item's supplier."""
    supplier = SupplierFactory(code=supplier_code, name=f"Supplier {supplier_code}")
    order = PurchaseOrderFactory(supplier=supplier, order_date=on, status="closed")
    PurchaseOrderLineFactory(purchase_order=order, item=item, quantity=D(5), received_quantity=D(5))
    return supplier


def late_raw(code: str = "LATE", *, supplier_code: str | None = None):
    """A raw item needed in 3 days with a 10-day lead time: its planned purchase is late."""
    item = ItemFactory(code=code, kind="raw", lead_time_days=10)
    order = SalesOrderFactory(order_no=f"SO-{code}")
    SalesOrderLineFactory(
        order=order, line=1, item=item, quantity=D(7), due_date=T + dt.timedelta(days=3)
    )
    if supplier_code:
        bought_before(item, supplier_code)
    return item


def grow(n: int, prefix: str = "G") -> None:
    """n more finished items, each with a raw component and a customer order: n more
    planned production orders and n more planned purchases."""
    for i in range(n):
        f = ItemFactory(code=f"{prefix}F{n}-{i}", kind="finished")
        r = ItemFactory(code=f"{prefix}R{n}-{i}", kind="raw")
        BomLineFactory(parent=f, component=r, quantity=D(1))
        bought_before(r, f"{prefix}S{i % 3}")
        order = SalesOrderFactory(order_no=f"{prefix}SO{n}-{i}")
        SalesOrderLineFactory(order=order, line=1, item=f, quantity=D(3), due_date=T)
