"""Small exact shipment histories for the profit, tier and CRM tests."""

import datetime as dt
from decimal import Decimal

from customers.models import Customer
from materials.models import Item, ItemKind
from orders.models import SalesOrder, SalesOrderLine, Shipment
from tests.factories import CustomerFactory, ItemFactory

_counter = {"order": 0, "shipment": 0}


def item(code: str, *, decimals: int = 0, uom: str = "pcs") -> Item:
    return ItemFactory(code=code, kind=ItemKind.FINISHED, decimals=decimals, uom=uom)


def customer(code: str, **fields) -> Customer:
    return CustomerFactory(code=code, **fields)


def ship(
    customer_code: str,
    item_code: str,
    quantity: str,
    *,
    price: str,
    cost: str,
    on: dt.date | str,
    order_no: str | None = None,
) -> Shipment:
    """One order line of `quantity` at `price`, fully shipped on `on` at unit cost `cost`."""
    _counter["order"] += 1
    on = dt.date.fromisoformat(on) if isinstance(on, str) else on
    order, _ = SalesOrder.objects.get_or_create(
        order_no=order_no or f"T{_counter['order']:06d}",
        defaults={
            "customer": customer(customer_code),
            "order_date": on - dt.timedelta(days=10),
            "status": "shipped",
        },
    )
    line = SalesOrderLine.objects.create(
        order=order,
        line=order.lines.count() + 1,
        item=Item.objects.filter(code=item_code).first() or item(item_code),
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        due_date=on,
        shipped_quantity=Decimal(quantity),
    )
    _counter["shipment"] += 1
    return Shipment.objects.create(
        number=f"TS{_counter['shipment']:07d}",
        order_line=line,
        ship_date=on,
        quantity=Decimal(quantity),
        unit_cost=Decimal(cost),
    )


def earn(customer_code: str, profit: str, *, on: str = "2025-06-15", revenue: str | None = None):
    """A shipment that earns exactly `profit` (revenue `revenue`, default profit + 100)."""
    revenue = revenue or str(Decimal(profit) + 100)
    cost = Decimal(revenue) - Decimal(profit)
    return ship(customer_code, "P-" + customer_code, "1", price=revenue, cost=str(cost), on=on)
