"""Set-up of the order-entry tests: a salesperson with a customer, a manager, finished
items with a standard cost and a list price, stock on hand, and past orders to take a last
price from. Dates are fixed: nothing here depends on the day the tests run."""

import datetime as dt
from decimal import Decimal

from erp.roles import Role
from materials.models import Location
from materials.services.stock import StockChange, apply_stock_changes
from orders.services.orders import OrderLineInput, order_confirm, order_create
from tests.factories import CustomerFactory, ItemFactory

D = Decimal
PAST = dt.date(2026, 1, 10)
ORDER_DATE = dt.date(2026, 3, 2)


def build_entry(make_user) -> dict:
    sales = make_user(Role.SALES.value, username="lin", first_name="Lin", last_name="Mei")
    manager = make_user(Role.MANAGER.value, username="boss")
    acme = CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales, region="East")
    other = CustomerFactory(code="C2", name="Bolt Works", salesperson=sales)
    frame = ItemFactory(
        code="F100",
        name="Frame",
        kind="finished",
        standard_cost=D("8"),
        list_price=D("12.50"),
    )
    wire = ItemFactory(
        code="F200",
        name="Wire",
        kind="finished",
        uom="kg",
        decimals=3,
        standard_cost=D("2"),
        list_price=D("3"),
    )
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(frame.pk, usable.pk, D("40"))], kind="receipt")
    return {
        "sales": sales,
        "manager": manager,
        "acme": acme,
        "other": other,
        "frame": frame,
        "wire": wire,
        "warehouse": make_user(Role.WAREHOUSE.value, username="zhao"),
    }


def past_order(entry, *, customer=None, item=None, price="11", on=PAST, confirm=True):
    order = order_create(
        user=entry["sales"],
        customer=customer or entry["acme"],
        order_date=on,
        lines=[
            OrderLineInput(
                item=item or entry["frame"],
                quantity=D("10"),
                unit_price=D(price),
                due_date=on + dt.timedelta(days=20),
            )
        ],
    )
    if confirm:
        order = order_confirm(order=order, user=entry["sales"])
    return order
