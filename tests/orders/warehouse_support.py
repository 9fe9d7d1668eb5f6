"""Shared set-up of the warehouse tests (slips, shipments, receipts, stock): the public
MRP example's BOM with stock in MAIN and a confirmed order, plus small readers."""

from decimal import Decimal

from materials.models import Location, StockBalance, StockMove
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

D = Decimal


def location(kind: str = "usable", warehouse: str = "MAIN") -> Location:
    return Location.objects.get(warehouse__code=warehouse, kind=kind)


def stock(item, kind: str = "usable", warehouse: str = "MAIN") -> Decimal:
    row = StockBalance.objects.filter(
        item=item, location__kind=kind, location__warehouse__code=warehouse
    ).first()
    return row.quantity if row else D(0)


def put_stock(item, quantity, unit_cost=None, kind: str = "usable", warehouse: str = "MAIN"):
    apply_stock_changes(
        changes=[StockChange(item.pk, location(kind, warehouse).pk, D(quantity), unit_cost)],
        kind="receipt",
    )


def moves_count() -> int:
    return StockMove.objects.count()


def build_floor(make_user) -> dict:
    """F <- 2 S at P1 (2%); S <- 0.4 kg R at P2 (5%). Order SO1 (confirmed), line 1: 50 F
    (limits: S 102 pcs, R 42.84 kg), line 2: 10 F. Stock in MAIN: R 500 kg at 3, S 500,
    F 100 at 60."""
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=D("0.05"))
    f = ItemFactory(code="F", name="Frame", kind="finished", standard_cost=D("77.5"))
    s = ItemFactory(code="S", name="Side", kind="semi")
    r = ItemFactory(code="R", name="Steel", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=p1)
    BomLineFactory(parent=s, component=r, quantity=D("0.4"), process=p2)
    order = SalesOrderFactory(order_no="SO1", status="confirmed")
    line1 = SalesOrderLineFactory(order=order, line=1, item=f, quantity=D("50"))
    line2 = SalesOrderLineFactory(order=order, line=2, item=f, quantity=D("10"))
    put_stock(r, "500", D("3"))
    put_stock(s, "500", D("1"))
    put_stock(f, "100", D("60"))
    return {
        "clerk": make_user("warehouse", username="clerk"),
        "manager": make_user("manager", username="boss"),
        "sales": make_user("sales", username="sally"),
        "order": order,
        "line1": line1,
        "line2": line2,
        "f": f,
        "s": s,
        "r": r,
    }
