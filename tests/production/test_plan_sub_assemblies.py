"""The plan proposal makes a line's sub-assemblies first, on their own routing machines, as
much as stock does not cover (CONTRACT.md section 3b `to_make`); approval gives each made
item its work order."""

from decimal import Decimal

import pytest

from production.models import PlanLine, WorkOrder
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.factories import BomLineFactory, ItemFactory, RoutingFactory
from tests.orders.material_support import put_stock
from tests.production.plan_support import build_floor, day, grant_plan_permissions, order_line

D = Decimal


@pytest.fixture
def floor(db):
    """A (CUT) <- 2 S; S (WELD, 12 min/pc) <- 1 R, R bought and in stock."""
    grant_plan_permissions()
    floor = build_floor()
    s = ItemFactory(code="S", kind="semi")
    r = ItemFactory(code="R", kind="raw")
    BomLineFactory(parent=floor.items["A"], component=s, quantity=D("2"))
    BomLineFactory(parent=s, component=r, quantity=D("1"))
    RoutingFactory(
        item=s,
        seq=10,
        process=floor.processes["WELD"],
        work_center=floor.machines["WELD"],
        minutes_per_unit=D(12),
        setup_minutes=D(0),
    )
    put_stock(r, "1000")
    floor.items.update(S=s, R=r)
    return floor


def test_the_sub_assembly_is_made_first_on_its_own_machine(floor, make_user):
    put_stock(floor.items["S"], "5")  # 20 needed: 15 to make
    order_line("SO-1", floor.items["A"], 10, due=day(4))
    plan = plan_propose(user=make_user("sales"), start=day(0), end=day(4))
    lines = list(PlanLine.objects.filter(plan=plan).select_related("item", "work_center"))
    made = {pl.item.code: pl for pl in lines}
    assert set(made) == {"A", "S"} and all(pl.start_date for pl in lines)
    s, a = made["S"], made["A"]
    assert (s.quantity, s.work_center.code, s.minutes) == (D(15), "WELD", D(180))
    assert (a.quantity, a.work_center.code) == (D(10), "CUT")
    assert s.end_date <= a.start_date  # the parent starts once its sub-assembly is made

    plan_submit(user=make_user("sales", username="s2"), plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    orders = {wo.item.code: wo for wo in WorkOrder.objects.select_related("item")}
    assert (orders["A"].quantity, orders["S"].quantity) == (D(10), D(15))
    assert orders["S"].sales_order.order_no == "SO-1"


def test_a_sub_assembly_in_stock_is_not_made_again(floor, make_user):
    put_stock(floor.items["S"], "20")
    order_line("SO-1", floor.items["A"], 10, due=day(4))
    plan = plan_propose(user=make_user("sales"), start=day(0), end=day(4))
    assert {pl.item.code for pl in PlanLine.objects.filter(plan=plan)} == {"A"}
