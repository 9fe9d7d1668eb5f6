"""Small order, stock and purchase histories for the managers' figures (on-time delivery,
inventory turns, purchase lead time), with dates built from the factory's today."""

import datetime as dt
from decimal import Decimal

from orders.models import SalesOrderLine, Shipment
from tests.factories import (
    CustomerFactory,
    ItemFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

_counter = {"shipment": 0}


def order_line(
    customer: str,
    *,
    due: dt.date,
    quantity: str = "10",
    status: str = "open",
    order_status: str = "confirmed",
    order_no: str | None = None,
) -> SalesOrderLine:
    kwargs = {"order_no": order_no} if order_no else {}
    order = SalesOrderFactory(
        customer=CustomerFactory(code=customer),
        order_date=due - dt.timedelta(days=60),
        status=order_status,
        **kwargs,
    )
    return SalesOrderLineFactory(
        order=order,
        item=ItemFactory(code="KPI-F", kind="finished"),
        quantity=Decimal(quantity),
        due_date=due,
        status=status,
    )


def ship(line: SalesOrderLine, quantity: str, *, on: dt.date) -> Shipment:
    _counter["shipment"] += 1
    shipment = Shipment.objects.create(
        number=f"KS{_counter['shipment']:07d}",
        order_line=line,
        ship_date=on,
        quantity=Decimal(quantity),
        unit_cost=Decimal("1"),
    )
    SalesOrderLine.objects.filter(pk=line.pk).update(
        shipped_quantity=line.shipped_quantity + Decimal(quantity)
    )
    line.refresh_from_db()
    return shipment
