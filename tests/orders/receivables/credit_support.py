"""Set-up of the credit check tests: a salesperson's customer, a manager, orders entered
through the order services, invoices written as model rows (CONTRACT 8)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.test import override_settings

from orders.receivables.models import Invoice
from orders.services.orders import OrderLineInput, order_confirm, order_create
from tests.clock import in_days, today
from tests.factories import CustomerFactory, ItemFactory

D = Decimal
_numbers = itertools.count(1)


# Every credit test runs with the contract's defaults, whatever the factory's settings:
# `with CREDIT_SETTINGS:` in each file's autouse fixture.
CREDIT_SETTINGS = dict(VAT_RATE=D("0.13"), CREDIT_OVERDUE_DAYS=30)


def credit_settings():
    return override_settings(**CREDIT_SETTINGS)


def build_credit_shop(make_user) -> dict:
    sales = make_user("sales", username="lin", email="lin@example.com")
    manager = make_user("manager", username="boss", email="boss@example.com")
    customer = CustomerFactory(code="C1", name="Acme Pipes", salesperson=sales)
    item = ItemFactory(code="F", name="Frame", kind="finished")
    return {
        "sales": sales,
        "manager": manager,
        "customer": customer,
        "item": item,
        "warehouse": make_user("warehouse", username="zhao"),
    }


def draft(shop, quantity="50", price="12.5", *, customer=None):
    """A draft of one line (50 x 12.5 = 625 net, 706.25 with 13% VAT by default)."""
    return order_create(
        user=shop["sales"],
        customer=customer or shop["customer"],
        order_date=today(),
        lines=[
            OrderLineInput(
                item=shop["item"], quantity=D(quantity), unit_price=D(price), due_date=in_days(20)
            )
        ],
    )


def confirm(shop, order, user=None):
    return order_confirm(order=order, user=user or shop["sales"])


def invoice(customer, *, due_in_days: int, gross="100.00", allocated="0", **kw) -> Invoice:
    due = in_days(due_in_days)
    gross = D(gross)
    return Invoice.objects.create(
        invoice_no=f"TINV-{next(_numbers):06d}",
        customer=customer,
        invoice_date=min(due, today()) - dt.timedelta(days=30),
        due_date=due,
        vat_rate=D("0.13"),
        net_amount=gross,
        tax_amount=D(0),
        gross_amount=gross,
        allocated_amount=D(allocated),
        **kw,
    )
