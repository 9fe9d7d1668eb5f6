"""CONTRACT.md section 4 on plain data: the engine without the database."""

import datetime as dt
from decimal import Decimal as D

import pytest

from production.mrp.engine import (
    Component,
    Event,
    MrpBomCycle,
    MrpInput,
    PlanItem,
    lot_size,
    low_level_codes,
    plan,
)

T = dt.date(2026, 3, 2)


def item(id, code, *, decimals=0, lead=0, safety="0", moq="0", multiple="0"):
    return PlanItem(id, code, decimals, lead, D(safety), D(moq), D(multiple))


def day(n):
    return dt.date(2026, 3, n)


def worked_example() -> MrpInput:
    items = {
        1: item(1, "F", lead=2),
        2: item(2, "S", lead=1),
        3: item(3, "R", decimals=3, lead=5, moq="50"),
    }
    bom = {1: [Component(2, D("2") * D("1.02"))], 2: [Component(3, D("0.4") * D("1.05"))]}
    data = MrpInput(as_of=T, items=items, bom=bom, on_hand={1: D(10), 2: D(0), 3: D(20)})
    data.demands[1].append(Event(day(10), D(60), frozenset({"SO1"})))
    return data


def test_the_worked_example():
    result = {p.item_id: p for p in plan(worked_example())}
    f, s, r = result[1], result[2], result[3]
    assert (f.kind, f.quantity, f.due_date, f.release_date, f.late) == (
        "production",
        D(50),
        day(10),
        day(8),
        False,
    )
    assert (s.kind, s.quantity, s.due_date, s.release_date) == (
        "production",
        D(102),
        day(8),
        day(7),
    )
    assert (r.kind, r.quantity, r.due_date, r.release_date, r.late) == (
        "purchase",
        D("50.000"),
        day(7),
        day(2),
        False,
    )
    assert str(r.quantity) == "50.000"
    assert f.pegging == s.pegging == r.pegging == ("SO1",)


def test_lot_size_moq_then_multiple_then_decimals():
    assert lot_size(item(1, "A", moq="50"), D("22.84")) == D(50)
    assert lot_size(item(1, "A", moq="50", multiple="40"), D("22.84")) == D(80)
    assert lot_size(item(1, "A", multiple="12"), D("25")) == D(36)
    assert lot_size(item(1, "A", decimals=3), D("1.00001")) == D("1.001")
    assert lot_size(item(1, "A"), D("0.2")) == D(1)


def test_safety_stock_with_no_demand_orders_at_as_of():
    data = MrpInput(
        as_of=T, items={1: item(1, "A", safety="10", lead=3)}, bom={}, on_hand={1: D(4)}
    )
    (p,) = plan(data)
    assert (p.quantity, p.due_date, p.release_date, p.late) == (D(6), T, dt.date(2026, 2, 27), True)


def test_receipts_come_before_demands_on_a_date_and_past_dates_count_as_today():
    data = MrpInput(as_of=T, items={1: item(1, "A")}, bom={}, on_hand={1: D(0)})
    data.receipts[1].append(Event(dt.date(2026, 2, 20), D(5)))  # past due receipt -> T
    data.demands[1].append(Event(dt.date(2026, 2, 25), D(5), frozenset({"SO0"})))  # past -> T
    data.receipts[1].append(Event(day(5), D(3)))
    data.demands[1].append(Event(day(5), D(3), frozenset({"SO1"})))
    assert plan(data) == []


def test_a_shared_component_is_planned_once_after_all_its_parents():
    # F <- S, F <- R; S <- R: R appears at level 1 and 2, its low-level code is 2.
    items = {1: item(1, "F"), 2: item(2, "S"), 3: item(3, "R")}
    bom = {1: [Component(2, D(1)), Component(3, D(1))], 2: [Component(3, D(2))]}
    assert low_level_codes(items, bom) == {1: 0, 2: 1, 3: 2}
    data = MrpInput(as_of=T, items=items, bom=bom, on_hand={})
    data.demands[1].append(Event(day(10), D(5), frozenset({"SO1"})))
    data.demands[3].append(Event(day(12), D(1), frozenset({"SO2"})))
    planned = [p for p in plan(data) if p.item_id == 3]
    assert [(p.quantity, p.due_date) for p in planned] == [(D(15), day(10)), (D(1), day(12))]
    assert planned[0].pegging == ("SO1",) and planned[1].pegging == ("SO2",)


def test_a_bom_cycle_is_reported():
    items = {1: item(1, "A"), 2: item(2, "B")}
    with pytest.raises(MrpBomCycle, match="A -> B -> A"):
        plan(MrpInput(as_of=T, items=items, bom={1: [Component(2, D(1))], 2: [Component(1, D(1))]}))


def test_pegging_follows_fifo_consumption():
    data = MrpInput(as_of=T, items={1: item(1, "A")}, bom={}, on_hand={1: D(10)})
    data.demands[1].append(Event(day(3), D(8), frozenset({"SO-A"})))
    data.demands[1].append(Event(day(4), D(8), frozenset({"SO-B"})))
    (p,) = plan(data)
    assert (p.quantity, p.due_date, p.pegging) == (D(6), day(4), ("SO-B",))
