"""Shared set-up of the order and change-notice tests: a salesperson with a customer, a
finished item in pieces with a kg raw material in its BOM, and orders entered through the
services."""

import datetime as dt
from decimal import Decimal

from materials.models import Location
from materials.services.stock import StockChange, apply_stock_changes
from orders.services.orders import OrderLineInput, order_confirm, order_create
from tests.factories import BomLineFactory, CustomerFactory, ItemFactory, ProcessFactory

D = Decimal
ORDER_DATE = dt.date(2026, 3, 2)


def build_shop(make_user) -> dict:
    """The `shop` fixture of the order tests: F (pcs) <- 0.4 kg R at P1 (5%); K sold by the kg (3 decimals); customer C1 looked
    after by `sales`; one production and one warehouse user; 500 kg R in stock."""
    sales = make_user("sales", username="lin", email="lin@example.com")
    customer = CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales)
    p1 = ProcessFactory(code="P1", defect_rate=D("0.05"))
    f = ItemFactory(code="F", name="Frame", kind="finished")
    k = ItemFactory(code="K", name="Wire", kind="finished", uom="kg", decimals=3)
    r = ItemFactory(code="R", name="Steel", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=f, component=r, quantity=D("0.4"), process=p1)
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(r.pk, usable.pk, D("500"))], kind="receipt")
    return {
        "sales": sales,
        "customer": customer,
        "f": f,
        "k": k,
        "r": r,
        "production": make_user("production", username="wang"),
        "warehouse": make_user("warehouse", username="zhao", email="zhao@example.com"),
    }


def new_order(shop, *lines, confirm=True, order_date=ORDER_DATE):
    """An order of C1 entered by the salesperson; lines (item, quantity, due date)."""
    lines = lines or (("F", "50", dt.date(2026, 3, 20)),)
    order = order_create(
        user=shop["sales"],
        customer=shop["customer"],
        order_date=order_date,
        lines=[
            OrderLineInput(item=item, quantity=D(qty), unit_price=D("12.5"), due_date=due)
            for item, qty, due in lines
        ],
    )
    if confirm:
        order = order_confirm(order=order, user=shop["sales"])
    return order
