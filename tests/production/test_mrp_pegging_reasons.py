"""Why a planned order exists: made or bought by BOM lines (not by the item's kind), the part
of it that keeps the safety stock, and the open purchase orders that could be expedited
instead of buying more."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from production.models import PlannedOrder
from production.mrp.engine import Component, Event, MrpInput, PlanItem, plan
from production.mrp.services import run_mrp
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    SupplierFactory,
)
from tests.production.conftest import put
from tests.production.mrp_support import T

SHORTFALLS = reverse("production:shortfall-list")
PRODUCTION = reverse("production:mrp-production")


def day(n: int) -> dt.date:
    return T + dt.timedelta(days=n)


def item(id, code, *, safety="0", moq="0"):
    return PlanItem(id, code, 0, 0, D(safety), D(moq), D(0))


def demand(data: MrpInput, item_id: int, on: dt.date, qty, order: str) -> None:
    data.demands[item_id].append(Event(on, D(qty), frozenset({order})))


def ordered(item, qty, *, due, order_no):
    order = SalesOrderFactory(order_no=order_no)
    SalesOrderLineFactory(order=order, line=1, item=item, quantity=D(qty), due_date=due)


# Made or bought: BOM lines decide ------------------------------------------------------------


@pytest.fixture
def kinds_that_lie(db):
    """A "raw" item that has a BOM (made here), a "semi" item without one (bought)."""
    made = ItemFactory(code="RAW-MADE", kind="raw")
    part = ItemFactory(code="PART", kind="raw")
    BomLineFactory(parent=made, component=part, quantity=D(2))
    bought = ItemFactory(code="SEMI-BOUGHT", kind="semi")
    ordered(made, 4, due=day(5), order_no="SO-MADE")
    ordered(bought, 3, due=day(5), order_no="SO-BOUGHT")
    run = run_mrp(as_of=T)
    assert run.status == "succeeded", run.error
    return run


def test_planned_orders_follow_the_bom_lines_not_the_kind(kinds_that_lie):
    kinds = dict(PlannedOrder.objects.filter(run=kinds_that_lie).values_list("item__code", "kind"))
    assert kinds == {"RAW-MADE": "production", "PART": "purchase", "SEMI-BOUGHT": "purchase"}
    part = PlannedOrder.objects.get(run=kinds_that_lie, item__code="PART")
    assert part.quantity == D(8)  # the made "raw" item's components are exploded


def test_the_pages_list_them_by_what_they_are(kinds_that_lie, client, make_user):
    client.force_login(make_user("purchasing"))
    shortfalls = client.get(SHORTFALLS).content.decode()
    assert 'data-item="SEMI-BOUGHT"' in shortfalls and 'data-item="PART"' in shortfalls
    assert 'data-item="RAW-MADE"' not in shortfalls
    production = client.get(PRODUCTION).content.decode()
    assert 'data-item="RAW-MADE"' in production and "SEMI-BOUGHT" not in production


def test_the_engine_plans_a_kindless_item_by_its_bom():
    data = MrpInput(as_of=T, items={1: item(1, "A"), 2: item(2, "B")}, bom={})
    data.bom = {1: [Component(2, D(1))]}
    demand(data, 1, day(3), 5, "SO1")
    demand(data, 2, day(3), 2, "SO2")
    kinds = {p.item_id: p.kind for p in plan(data)}
    assert kinds == {1: "production", 2: "purchase"}


# Safety stock ----------------------------------------------------------------------------------


def test_safety_stock_alone_is_what_the_planned_order_is_for():
    data = MrpInput(as_of=T, items={1: item(1, "A", safety="10")}, bom={}, on_hand={1: D(4)})
    (p,) = plan(data)
    assert (p.quantity, p.safety, p.pegging) == (D(6), D(6), ())


def test_safety_stock_comes_first_then_the_orders():
    # Nothing on hand, 10 to keep: the order at T builds the safety stock, the order on the
    # day of the customer order is for the customer order.
    data = MrpInput(as_of=T, items={1: item(1, "A", safety="10")}, bom={}, on_hand={})
    demand(data, 1, day(5), 30, "SO1")
    first, second = plan(data)
    assert (first.due_date, first.quantity, first.safety, first.pegging) == (T, 10, 10, ())
    assert (second.due_date, second.quantity, second.safety) == (day(5), D(30), D(0))
    assert second.pegging == ("SO1",)


def test_part_safety_stock_part_order():
    data = MrpInput(as_of=T, items={1: item(1, "A", safety="10")}, bom={}, on_hand={1: D(4)})
    demand(data, 1, T, 5, "SO1")
    (p,) = plan(data)
    assert (p.quantity, p.safety, p.pegging) == (D(11), D(6), ("SO1",))


def test_stock_keeps_the_safety_stock_and_a_dip_into_it_is_for_that_order():
    data = MrpInput(as_of=T, items={1: item(1, "A", safety="10")}, bom={}, on_hand={1: D(20)})
    demand(data, 1, day(3), 15, "SO-A")
    demand(data, 1, day(5), 15, "SO-B")
    first, second = plan(data)
    assert (first.quantity, first.safety, first.pegging) == (D(5), D(0), ("SO-A",))
    assert (second.quantity, second.safety, second.pegging) == (D(15), D(0), ("SO-B",))


def test_a_minimum_order_quantity_is_neither_safety_stock_nor_an_order():
    data = MrpInput(as_of=T, items={1: item(1, "A", safety="5", moq="50")}, bom={}, on_hand={})
    demand(data, 1, day(2), 10, "SO1")
    (p,) = plan(data)
    assert (p.quantity, p.safety, p.pegging) == (D(50), D(5), ("SO1",))


@pytest.fixture
def safety_run(db):
    """F keeps 5 in stock (none yet) and is made of 2 S; R keeps 10 and has an order."""
    f = ItemFactory(code="F", kind="finished", safety_stock=D(5))
    s = ItemFactory(code="S", kind="semi")
    BomLineFactory(parent=f, component=s, quantity=D(2))
    r = ItemFactory(code="R", kind="raw", uom="kg", safety_stock=D(10))
    put(r, 4)
    ordered(r, 5, due=T, order_no="SO-R")
    return run_mrp(as_of=T)


def test_stored_with_the_planned_order(safety_run):
    stored = {
        p.item.code: (p.quantity, p.for_safety_stock)
        for p in PlannedOrder.objects.filter(run=safety_run).select_related("item")
    }
    assert stored == {"F": (D(5), D(5)), "S": (D(10), D(0)), "R": (D(11), D(6))}


def test_the_pegging_page_says_safety_stock_with_the_quantity(safety_run, client, make_user):
    client.force_login(make_user("purchasing"))
    r = PlannedOrder.objects.get(run=safety_run, item__code="R")
    html = client.get(reverse("production:mrp-planned-order", args=[r.pk])).content.decode()
    entry = html[html.index('data-testid="pegged-safety-stock"') :]
    entry = entry[: entry.index("</tr>")]
    assert "Safety stock" in entry and "6 kg" in entry
    assert 'data-testid="pegged-order"' in html and "SO-R" in html  # and the order
    f = PlannedOrder.objects.get(run=safety_run, item__code="F")
    html = client.get(reverse("production:mrp-planned-order", args=[f.pk])).content.decode()
    assert 'data-testid="pegged-safety-stock"' in html and 'data-testid="pegged-order"' not in html
    assert "None: it keeps the safety stock" not in html


def test_a_component_shows_the_safety_stock_of_what_it_supplies(safety_run, client, make_user):
    client.force_login(make_user("production"))
    s = PlannedOrder.objects.get(run=safety_run, item__code="S")
    html = client.get(reverse("production:mrp-planned-order", args=[s.pk])).content.decode()
    served = html[html.index('data-testid="served-planned-orders"') :]
    assert 'data-testid="pegged-safety-stock"' not in html
    assert ">F<" in served and served.count('<td class="text-end">5</td>') == 2  # of 5, 5


def test_the_page_in_chinese(safety_run, client, make_user):
    client.force_login(make_user("purchasing"))
    r = PlannedOrder.objects.get(run=safety_run, item__code="R")
    url = reverse("production:mrp-planned-order", args=[r.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    entry = html[html.index('data-testid="pegged-safety-stock"') :]
    assert "安全库存" in entry[: entry.index("</tr>")] and "留作库存，不对应订单" in html
    assert "该物料的安全库存为 10" in html


# Open purchase orders to expedite -------------------------------------------------------------


@pytest.fixture
def expedite(db):
    """R is needed on day 5; open purchase lines of R come later, earlier, closed, received."""
    r = ItemFactory(code="R", kind="raw", uom="kg")
    other = ItemFactory(code="OTHER", kind="raw")
    ordered(r, 30, due=day(5), order_no="SO-R")
    acme = SupplierFactory(code="ACME", name="Acme Metals")
    late = PurchaseOrderFactory(po_no="PO-LATER", supplier=acme)
    PurchaseOrderLineFactory(
        purchase_order=late, item=r, quantity=D(40), received_quantity=D(15), due_date=day(20)
    )
    PurchaseOrderLineFactory(purchase_order=late, item=other, quantity=D(9), due_date=day(21))
    early = PurchaseOrderFactory(po_no="PO-EARLIER", supplier=acme)
    PurchaseOrderLineFactory(purchase_order=early, item=r, quantity=D(5), due_date=day(4))
    closed = PurchaseOrderFactory(po_no="PO-CLOSED", supplier=acme, status="closed")
    PurchaseOrderLineFactory(purchase_order=closed, item=r, quantity=D(8), due_date=day(30))
    received = PurchaseOrderFactory(po_no="PO-RECEIVED", supplier=acme)
    PurchaseOrderLineFactory(
        purchase_order=received, item=r, quantity=D(8), received_quantity=D(8), due_date=day(30)
    )
    run = run_mrp(as_of=T)
    return PlannedOrder.objects.get(run=run, item=r)


def test_open_purchase_orders_due_after_the_need_are_offered(
    expedite, client, make_user, django_assert_max_num_queries
):
    assert (expedite.kind, expedite.quantity, expedite.due_date) == ("purchase", D(25), day(5))
    client.force_login(make_user("purchasing"))
    url = reverse("production:mrp-planned-order", args=[expedite.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    table = html[html.index('data-testid="expedite"') :]
    table = table[: table.index("</table>")]
    assert table.count('data-testid="expedite-line"') == 1
    assert "PO-LATER" in table and "ACME Acme Metals" in table
    assert "25 kg" in table and day(20).isoformat() in table
    for other in ("PO-EARLIER", "PO-CLOSED", "PO-RECEIVED"):
        assert other not in table


def test_none_to_expedite_says_so_and_production_has_no_such_list(
    kinds_that_lie, client, make_user
):
    client.force_login(make_user("purchasing"))
    bought = PlannedOrder.objects.get(run=kinds_that_lie, item__code="SEMI-BOUGHT")
    html = client.get(reverse("production:mrp-planned-order", args=[bought.pk])).content.decode()
    assert "None: no open purchase order of this item is due after it is needed." in html
    made = PlannedOrder.objects.get(run=kinds_that_lie, item__code="RAW-MADE")
    html = client.get(reverse("production:mrp-planned-order", args=[made.pk])).content.decode()
    assert 'data-testid="expedite"' not in html
