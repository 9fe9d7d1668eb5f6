"""Set-up of the invoicing tests: two customers, orders with priced lines and shipments
(rows built directly; the shipment service is tested elsewhere), dates from tests/clock."""

from decimal import Decimal

from customers.models import Customer
from orders.models import Shipment
from orders.receivables.models import Invoice, InvoiceLine
from tests.clock import in_days
from tests.factories import (
    CustomerFactory,
    ItemFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    ShipmentFactory,
)

D = Decimal


def shipment(order, *, line: int, price: str, quantity: str, days_ago: int = 10, item=None):
    order_line = SalesOrderLineFactory(
        order=order,
        line=line,
        item=item or ItemFactory(kind="finished"),
        quantity=D(quantity) * 2,
        unit_price=D(price),
        shipped_quantity=D(quantity),
        due_date=in_days(-days_ago),
    )
    return ShipmentFactory(
        number=f"{order.order_no}-SH{line}",
        order_line=order_line,
        quantity=D(quantity),
        ship_date=in_days(-days_ago),
    )


def build_invoicing(make_user) -> dict:
    """ACME (45 days' terms): order SO-A with 3 shipments whose per-line tax rounding
    differs from the invoice's (nets 10.01, 10.05, 10.05); BETA: order SO-B, 1 shipment."""
    acme = CustomerFactory(code="ACME", name="Acme Ltd", payment_terms_days=45)
    beta = CustomerFactory(code="BETA", name="Beta Co", payment_terms_days=30)
    order_a = SalesOrderFactory(order_no="SO-A", customer=acme, order_date=in_days(-30))
    order_b = SalesOrderFactory(order_no="SO-B", customer=beta, order_date=in_days(-30))
    return {
        "acme": acme,
        "beta": beta,
        "s1": shipment(order_a, line=1, price="3.335", quantity="3", days_ago=12),
        "s2": shipment(order_a, line=2, price="10.05", quantity="1", days_ago=11),
        "s3": shipment(order_a, line=3, price="10.05", quantity="1", days_ago=10),
        "sb": shipment(order_b, line=1, price="20", quantity="5", days_ago=9),
        "manager": make_user("manager", username="boss"),
        "sales": make_user("sales", username="sally"),
    }


def invoiced(shipment: Shipment) -> Decimal:
    shipment.refresh_from_db()
    return shipment.invoiced_quantity


def counts() -> tuple[int, int]:
    return Invoice.objects.count(), InvoiceLine.objects.count()


def customer(code: str) -> Customer:
    return Customer.objects.get(code=code)
