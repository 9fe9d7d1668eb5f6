"""Shipments (出货): at most the line's open quantity, only from usable stock, the unit cost
recorded, the order's shipped quantities and status kept, refusals that write nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from erp.errors import DomainError
from materials.errors import InsufficientStock
from materials.models import StockMove
from orders.errors import OrderStateError
from orders.models import Shipment
from orders.services.shipments import ShipmentLimitExceeded, ship
from tests.factories import ItemFactory, SalesOrderLineFactory, WarehouseFactory
from tests.orders.warehouse_support import build_floor, moves_count, put_stock, stock

D = Decimal


@pytest.fixture
def floor(db, make_user):
    return build_floor(make_user)


def test_one_delivery_ships_several_lines(floor):
    shipments = ship(
        user=floor["clerk"],
        order_no="SO1",
        lines=[(1, D("30")), (2, D("10"))],
        ship_date=dt.date(2026, 3, 10),
    )
    delivery_no = shipments[0].delivery_no
    assert delivery_no.startswith("DN-")
    assert [(s.number, s.order_line.line, s.quantity) for s in shipments] == [
        (f"{delivery_no}-1", 1, D("30")),
        (f"{delivery_no}-2", 2, D("10")),
    ]
    assert all(
        s.ship_date == dt.date(2026, 3, 10) and s.warehouse.code == "MAIN" for s in shipments
    )
    assert all(s.created_by == floor["clerk"] for s in shipments)
    assert stock(floor["f"]) == D("60")
    floor["line1"].refresh_from_db()
    floor["line2"].refresh_from_db()
    assert floor["line1"].shipped_quantity == D("30") and floor["line2"].shipped_quantity == D("10")
    moves = StockMove.objects.filter(kind="shipment").order_by("id")
    assert [m.quantity for m in moves] == [D("-30"), D("-10")]
    assert {m.document_number for m in moves} == {delivery_no}
    assert {m.document_type for m in moves} == {"delivery"}


def test_the_unit_cost_is_the_stock_cost_in_that_warehouse(floor):
    put_stock(floor["f"], "100", D("90"))  # average of 100 at 60 and 100 at 90 = 75
    shipment = ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("5"))])[0]
    assert shipment.unit_cost == D("75")


def test_without_a_stock_cost_the_standard_cost_is_recorded(floor):
    other = WarehouseFactory(code="W2")
    put_stock(floor["f"], "20", None, warehouse="W2")  # no cost: the balance's cost stays 0
    shipment = ship(
        user=floor["clerk"], order_no="SO1", lines=[(1, D("5"))], warehouse_code=other.code
    )[0]
    assert shipment.unit_cost == D("77.5")
    assert stock(floor["f"], warehouse="W2") == D("15") and stock(floor["f"]) == D("100")


def test_order_status_follows_partly_then_fully_shipped(floor):
    order = floor["order"]
    ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("50"))])
    order.refresh_from_db()
    assert order.status == "partly_shipped"
    ship(user=floor["clerk"], order_no="SO1", lines=[(2, D("10"))])
    order.refresh_from_db()
    assert order.status == "shipped"


def test_more_than_the_open_quantity_is_refused_and_nothing_written(floor):
    ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("45"))])
    before = moves_count()
    with pytest.raises(ShipmentLimitExceeded) as refused:
        ship(user=floor["clerk"], order_no="SO1", lines=[(2, D("1")), (1, D("6"))])
    message = str(refused.value)
    assert "50 pcs ordered" in message and "45 pcs already shipped" in message
    assert "5 pcs open" in message and "6 pcs asked" in message
    assert moves_count() == before and Shipment.objects.count() == 1
    floor["line2"].refresh_from_db()
    assert floor["line2"].shipped_quantity == 0


def test_the_same_line_twice_in_one_delivery_counts_together(floor):
    with pytest.raises(ShipmentLimitExceeded):
        ship(user=floor["clerk"], order_no="SO1", lines=[(2, D("6")), (2, D("5"))])
    shipments = ship(user=floor["clerk"], order_no="SO1", lines=[(2, D("6")), (2, D("4"))])
    assert len(shipments) == 1 and shipments[0].quantity == D("10")


def test_not_enough_finished_goods_is_refused(floor):
    floor["order"].lines.filter(line=1).update(quantity=D("500"))
    before = moves_count()
    with pytest.raises(InsufficientStock, match="100 pcs on hand, 101 pcs asked"):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("101"))])
    assert moves_count() == before and Shipment.objects.count() == 0


def test_quarantine_stock_is_never_shipped(floor):
    floor["order"].lines.filter(line=1).update(quantity=D("500"))
    put_stock(floor["f"], "50", kind="quarantine")
    with pytest.raises(InsufficientStock):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("120"))])


@pytest.mark.parametrize("status", ["draft", "cancelled", "closed"])
def test_no_shipment_against_an_order_that_is_not_open(floor, status):
    floor["order"].status = status
    floor["order"].save()
    with pytest.raises(OrderStateError, match="nothing can be shipped"):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("1"))])


@pytest.mark.parametrize("status", ["cancelled", "closed"])
def test_no_shipment_on_a_cancelled_or_closed_line(floor, status):
    floor["line2"].status = status
    floor["line2"].save()
    with pytest.raises(OrderStateError, match=f"line 2: the line is {status}"):
        ship(user=floor["clerk"], order_no="SO1", lines=[(2, D("1"))])


@pytest.mark.parametrize(
    "order_no, lines, message",
    [
        ("SO404", [(1, D("1"))], "no customer order SO404"),
        ("SO1", [], "at least one line"),
        ("SO1", [(9, D("1"))], "has no line 9"),
        ("SO1", [(0, D("1"))], "a number from 1"),
        ("SO1", [(1, D("0"))], "greater than 0"),
        ("SO1", [(1, D("-2"))], "greater than 0"),
        ("SO1", [(1, "abc")], "must be a number"),
        ("SO1", [(1, D("NaN"))], "greater than 0"),
        ("SO1", [(1, D("1.5"))], "0 decimals"),
    ],
)
def test_bad_input_is_refused_in_words(floor, order_no, lines, message):
    with pytest.raises(DomainError, match=message):
        ship(user=floor["clerk"], order_no=order_no, lines=lines)
    assert Shipment.objects.count() == 0


def test_an_unknown_warehouse_is_refused(floor):
    with pytest.raises(DomainError, match="no warehouse NOWHERE"):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("1"))], warehouse_code="NOWHERE")


def test_a_kg_item_ships_in_its_decimals(floor):
    wire = ItemFactory(code="K", kind="finished", uom="kg", decimals=3, standard_cost=D("2"))
    SalesOrderLineFactory(order=floor["order"], line=3, item=wire, quantity=D("12.5"))
    put_stock(wire, "20", D("2.2"))
    shipment = ship(user=floor["clerk"], order_no="SO1", lines=[(3, D("12.345"))])[0]
    assert shipment.quantity == D("12.345") and stock(wire) == D("7.655")
    with pytest.raises(DomainError, match="3 decimals"):
        ship(user=floor["clerk"], order_no="SO1", lines=[(3, D("0.0001"))])
