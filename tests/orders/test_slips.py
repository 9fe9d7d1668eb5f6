"""CONTRACT.md section 3: the pick limit, returns, replenishment, never negative stock."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import DomainError
from materials.errors import InsufficientStock
from materials.models import Location, StockBalance, StockMove
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import (
    OrderStateError,
    PickLimitExceeded,
    ReplenishLimitExceeded,
    ReturnLimitExceeded,
)
from orders.models import MaterialSlip, OrderMaterial
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

D = Decimal


@pytest.fixture
def factory_floor(db, make_user):
    """F <- 2 S at P1 (2%); S <- 0.4 kg R at P2 (5%); order SO1 line 1: 50 F."""
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    p2 = ProcessFactory(code="P2", defect_rate=D("0.05"))
    f = ItemFactory(code="F", kind="finished")
    s = ItemFactory(code="S", kind="semi")
    r = ItemFactory(code="R", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=p1)
    BomLineFactory(parent=s, component=r, quantity=D("0.4"), process=p2)
    order = SalesOrderFactory(order_no="SO1")
    SalesOrderLineFactory(order=order, line=1, item=f, quantity=D("50"))
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(
        changes=[StockChange(r.pk, usable.pk, D("500")), StockChange(s.pk, usable.pk, D("500"))],
        kind="receipt",
    )
    return {"clerk": make_user("warehouse"), "order": order, "r": r, "s": s}


def stock(item, kind="usable"):
    row = StockBalance.objects.filter(item=item, location__kind=kind).first()
    return row.quantity if row else D(0)


def counters(item):
    return OrderMaterial.objects.get(item=item)


def slip(kind, *lines, user):
    return issue_slip(kind=kind, order_no="SO1", lines=list(lines), user=user)


def test_pick_up_to_the_requirement_with_allowance(factory_floor):
    clerk, r = factory_floor["clerk"], factory_floor["r"]
    first = slip("pick", L(1, "R", D("40")), user=clerk)
    assert first.number.startswith("PK-") and first.lines.count() == 1
    slip("pick", L(1, "R", D("2.84")), user=clerk)  # exactly the limit 42.840
    assert counters(r).picked == D("42.84")
    assert stock(r) == D("457.16")
    with pytest.raises(PickLimitExceeded) as refused:
        slip("pick", L(1, "R", D("0.001")), user=clerk)
    message = str(refused.value)
    assert "limit is 42.84 kg" in message and "42.84 kg already picked" in message
    assert "0 kg left" in message and "0.001 kg asked" in message


def test_a_pieces_item_limit_is_rounded_up_to_whole_pieces(factory_floor):
    clerk = factory_floor["clerk"]
    slip("pick", L(1, "S", D("102")), user=clerk)  # 50 x 2 x 1.02 = 102
    with pytest.raises(PickLimitExceeded, match="limit is 102 pcs"):
        slip("pick", L(1, "S", D("1")), user=clerk)


def test_a_refused_slip_writes_nothing(factory_floor):
    clerk, r, s = factory_floor["clerk"], factory_floor["r"], factory_floor["s"]
    moves = StockMove.objects.count()
    with pytest.raises(PickLimitExceeded):
        slip("pick", L(1, "S", D("10")), L(1, "R", D("50")), user=clerk)
    assert MaterialSlip.objects.count() == 0
    assert StockMove.objects.count() == moves
    assert stock(r) == D("500") and stock(s) == D("500")
    assert not OrderMaterial.objects.filter(picked__gt=0).exists()


def test_surplus_return_gives_the_pick_allowance_back(factory_floor):
    clerk, r = factory_floor["clerk"], factory_floor["r"]
    slip("pick", L(1, "R", D("42.84")), user=clerk)
    slip("return", L(1, "R", D("5"), "surplus"), user=clerk)
    assert stock(r) == D("462.16") and stock(r, "quarantine") == D(0)
    slip("pick", L(1, "R", D("5")), user=clerk)
    with pytest.raises(PickLimitExceeded):
        slip("pick", L(1, "R", D("0.001")), user=clerk)


def test_defective_return_goes_to_quarantine_and_opens_replenishment(factory_floor):
    clerk, r = factory_floor["clerk"], factory_floor["r"]
    slip("pick", L(1, "R", D("42.84")), user=clerk)
    with pytest.raises(ReplenishLimitExceeded, match="0 kg left"):
        slip("replenish", L(1, "R", D("1")), user=clerk)
    slip("return", L(1, "R", D("3.5"), "defective"), user=clerk)
    assert stock(r, "quarantine") == D("3.5")
    assert stock(r) == D("457.16")  # defective material is not usable again
    with pytest.raises(PickLimitExceeded):  # a defective return gives no pick allowance
        slip("pick", L(1, "R", D("0.001")), user=clerk)
    slip("replenish", L(1, "R", D("2")), user=clerk)
    slip("replenish", L(1, "R", D("1.5")), user=clerk)
    with pytest.raises(ReplenishLimitExceeded, match="3.5 kg already replenished"):
        slip("replenish", L(1, "R", D("0.001")), user=clerk)
    c = counters(r)
    assert (c.picked, c.returned_defective, c.replenished) == (D("42.84"), D("3.5"), D("3.5"))
    assert stock(r) == D("453.66")


def test_a_return_cannot_exceed_what_the_line_holds(factory_floor):
    clerk = factory_floor["clerk"]
    slip("pick", L(1, "R", D("10")), user=clerk)
    slip("return", L(1, "R", D("4"), "defective"), user=clerk)
    slip("replenish", L(1, "R", D("4")), user=clerk)
    slip("return", L(1, "R", D("2"), "surplus"), user=clerk)
    # holds 10 + 4 - 2 - 4 = 8
    with pytest.raises(ReturnLimitExceeded, match="holds 8 kg"):
        slip("return", L(1, "R", D("8.001"), "surplus"), user=clerk)
    slip("return", L(1, "R", D("8"), "defective"), user=clerk)


def test_a_pick_never_drives_stock_negative(factory_floor):
    clerk, r = factory_floor["clerk"], factory_floor["r"]
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(r.pk, usable.pk, D("-495"))], kind="adjustment")
    with pytest.raises(InsufficientStock, match="5 kg on hand, 6 kg asked"):
        slip("pick", L(1, "R", D("6")), user=clerk)
    assert not OrderMaterial.objects.filter(picked__gt=0).exists()


@pytest.mark.parametrize(
    ("kind", "line", "message"),
    [
        ("pick", L(2, "R", D("1")), "has no line 2"),
        ("pick", L(1, "NOPE", D("1")), "no item NOPE"),
        ("pick", L(1, "R", D("0")), "greater than 0"),
        ("pick", L(1, "R", D("-1")), "greater than 0"),
        ("pick", L(1, "S", D("1.5")), "0 decimals"),
        ("pick", L(1, "R", D("1.0005")), "3 decimals"),
        ("pick", L(1, "F", D("1")), "not in the bill of materials"),
        ("return", L(1, "R", D("1")), "defective or surplus"),
        ("pick", L(1, "R", D("1"), "surplus"), "only a return has a reason"),
    ],
)
def test_bad_lines_are_refused_in_the_clerks_words(factory_floor, kind, line, message):
    with pytest.raises(DomainError, match=message):
        slip(kind, line, user=factory_floor["clerk"])


def test_no_issue_against_a_cancelled_order(factory_floor):
    order = factory_floor["order"]
    order.status = "cancelled"
    order.save()
    with pytest.raises(OrderStateError):
        slip("pick", L(1, "R", D("1")), user=factory_floor["clerk"])


def test_no_pick_or_replenish_on_a_cancelled_line_but_returns_are_taken(factory_floor):
    clerk = factory_floor["clerk"]
    slip("pick", L(1, "R", D("10")), user=clerk)
    line = factory_floor["order"].lines.get()
    line.status = "cancelled"
    line.save()
    for kind in ("pick", "replenish"):
        with pytest.raises(OrderStateError, match="line 1 is cancelled"):
            slip(kind, L(1, "R", D("1")), user=clerk)
    slip("return", L(1, "R", D("10"), "surplus"), user=clerk)


def test_unknown_order_and_warehouse(factory_floor):
    clerk = factory_floor["clerk"]
    with pytest.raises(DomainError, match="no customer order SO9"):
        issue_slip(kind="pick", order_no="SO9", lines=[L(1, "R", D("1"))], user=clerk)
    with pytest.raises(DomainError, match="no warehouse WX"):
        issue_slip(
            kind="pick", order_no="SO1", lines=[L(1, "R", D("1"))], user=clerk, warehouse_code="WX"
        )


@pytest.mark.django_db(transaction=True)
def test_two_clerks_picking_at_once_cannot_both_pass_the_limit(factory_floor):
    """The limit is 42.84 kg: six clerks each pick 20 kg at the same instant; two fit."""
    clerk, r = factory_floor["clerk"], factory_floor["r"]
    barrier = threading.Barrier(6)
    results: list[str] = []

    def pick():
        try:
            barrier.wait()
            slip("pick", L(1, "R", D("20")), user=clerk)
            results.append("ok")
        except PickLimitExceeded:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pick) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] * 2 + ["refused"] * 4
    assert counters(r).picked == D("40")
    assert stock(r) == D("460")
    assert sum(m.quantity for m in StockMove.objects.filter(item=r)) == stock(r)
