"""Shared set-up of the material-availability and purchasing tests: the CONTRACT.md worked
example (F <- 2 S at P1 2%; S <- 0.4 kg R at P2 5%), orders, stock and purchase orders."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from materials.models import Location, PurchaseOrder
from materials.services.stock import StockChange, apply_stock_changes
from orders.models import SalesOrder
from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    ItemFactory,
    ProcessFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    SupplierFactory,
)

D = Decimal
DUE = dt.date(2026, 3, 10)
# An order due after the others: the lines due first take stock first.
LATER = dt.date(2026, 3, 17)


def build_floor() -> SimpleNamespace:
    """F (pcs) <- 2 S (pcs) at P1 (2%); S <- 0.4 kg R (3 decimals) at P2 (5%)."""
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=D("0.05"))
    f = ItemFactory(code="F", name="Frame", kind="finished")
    s = ItemFactory(code="S", name="Side", kind="semi")
    r = ItemFactory(code="R", name="Steel", kind="raw", uom="kg", decimals=3, lead_time_days=5)
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=p1)
    BomLineFactory(parent=s, component=r, quantity=D("0.4"), process=p2)
    return SimpleNamespace(
        f=f, s=s, r=r, customer=CustomerFactory(code="C1"), supplier=SupplierFactory(code="SUP1")
    )


def put_stock(item, quantity, *, warehouse: str = "MAIN", kind: str = "usable", cost=None):
    location = Location.objects.get(warehouse__code=warehouse, kind=kind)
    apply_stock_changes(
        changes=[StockChange(item.pk, location.pk, D(quantity), cost)], kind="count"
    )


def order_of(order_no: str, *lines, status: str = "confirmed", customer=None) -> SalesOrder:
    """An order with lines (item, quantity[, due date]) numbered 1, 2, ..."""
    order = SalesOrderFactory(
        order_no=order_no, status=status, **({"customer": customer} if customer else {})
    )
    for n, (item, quantity, *due) in enumerate(lines, start=1):
        SalesOrderLineFactory(
            order=order, line=n, item=item, quantity=D(quantity), due_date=due[0] if due else DUE
        )
    return order


def purchase_line(item, quantity, *, received="0", status="open", supplier=None, **kwargs):
    order = PurchaseOrderFactory(
        status=status, **({"supplier": supplier} if supplier else {}), **kwargs
    )
    return PurchaseOrderLineFactory(
        purchase_order=order,
        line=1,
        item=item,
        quantity=D(quantity),
        received_quantity=D(received),
    )


def row_of(rows, line: int, code: str):
    return next(r for r in rows if r.order_line.line == line and r.item.code == code)


OPEN = PurchaseOrder.Status.OPEN
