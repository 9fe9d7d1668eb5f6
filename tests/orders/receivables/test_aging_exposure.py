"""Credit exposure (CONTRACT.md section 8): each term, rounding, many customers at once."""

from decimal import Decimal

import pytest

from orders.models import LineStatus, OrderStatus
from orders.receivables.exposure import credit_exposure, credit_exposures, exposure_of
from tests.clock import in_days, today
from tests.factories import (
    CustomerFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    ShipmentFactory,
)
from tests.orders.receivables import factories as rf

pytestmark = pytest.mark.django_db


def test_nothing_owed_is_zero():
    customer = CustomerFactory()
    assert credit_exposure(customer) == Decimal("0.00")


def test_open_invoices_count_cancelled_and_paid_do_not():
    customer = CustomerFactory()
    rf.invoice(customer, on=today(), gross="100.00")
    rf.invoice(customer, on=today(), gross="50.00", status="cancelled")
    paid = rf.invoice(customer, on=today(), gross="30.00")
    pay = rf.payment(customer, on=today(), amount="30.00")
    rf.allocate(pay, paid, on=today(), amount="30.00")
    assert credit_exposure(customer) == Decimal("100.00")


def test_unallocated_payment_and_credit_note_reduce():
    customer = CustomerFactory()
    inv = rf.invoice(customer, on=today(), gross="100.00")
    pay = rf.payment(customer, on=today(), amount="70.00")
    rf.allocate(pay, inv, on=today(), amount="40.00")  # 30 unallocated, invoice 60 open
    rf.credit_note(customer, invoice=inv, on=today(), gross="5.00")  # 5 unallocated
    rf.payment(customer, on=today(), amount="1000.00", status="reversed")  # ignored
    exposure = exposure_of(customer)
    assert exposure.open_invoices == Decimal("60")
    assert exposure.unallocated_credit == Decimal("35")
    assert credit_exposure(customer) == Decimal("25.00")


def test_shipped_not_invoiced_and_open_lines_with_vat():
    customer = CustomerFactory()
    order = SalesOrderFactory(customer=customer, status=OrderStatus.PARTLY_SHIPPED)
    line = SalesOrderLineFactory(
        order=order, quantity=Decimal("10"), unit_price=Decimal("3.33"), shipped_quantity=4
    )
    ShipmentFactory(order_line=line, quantity=Decimal("4"), invoiced_quantity=Decimal("1"))
    # shipped not invoiced 3 x 3.33 = 9.99; open 6 x 3.33 = 19.98; (29.97) x 1.13 = 33.8661
    assert credit_exposure(customer) == Decimal("33.87")
    assert credit_exposure(customer, vat_rate=Decimal("0")) == Decimal("29.97")


def test_only_confirmed_open_lines_count():
    customer = CustomerFactory()
    for status in (
        OrderStatus.DRAFT,
        OrderStatus.CREDIT_HOLD,
        OrderStatus.CANCELLED,
        OrderStatus.CLOSED,
        OrderStatus.SHIPPED,
    ):
        SalesOrderLineFactory(order=SalesOrderFactory(customer=customer, status=status))
    SalesOrderLineFactory(
        order=SalesOrderFactory(customer=customer, status=OrderStatus.CONFIRMED),
        status=LineStatus.CANCELLED,
    )
    assert credit_exposure(customer) == Decimal("0.00")
    SalesOrderLineFactory(
        order=SalesOrderFactory(customer=customer, status=OrderStatus.IN_PRODUCTION),
        quantity=Decimal("2"),
        unit_price=Decimal("50"),
    )
    assert credit_exposure(customer) == Decimal("113.00")


def test_rounds_half_up_once_at_the_end():
    customer = CustomerFactory()
    SalesOrderLineFactory(
        order=SalesOrderFactory(customer=customer),
        quantity=Decimal("1"),
        unit_price=Decimal("0.5"),
    )
    # 0.5 x 1.13 = 0.565 -> 0.57 (half up)
    assert credit_exposure(customer) == Decimal("0.57")


def test_many_customers_in_fixed_queries(django_assert_max_num_queries):
    customers = [CustomerFactory() for _ in range(4)]
    for n, customer in enumerate(customers):
        rf.invoice(customer, on=in_days(-5), gross=f"{n + 1}00.00")
    with django_assert_max_num_queries(5):
        result = credit_exposures(customer_ids=[c.pk for c in customers])
    assert [result[c.pk].total for c in customers] == [
        Decimal("100.00"),
        Decimal("200.00"),
        Decimal("300.00"),
        Decimal("400.00"),
    ]
    everyone = credit_exposures()
    assert {c.pk for c in customers} <= set(everyone)


def test_one_query_for_a_few_customers_and_the_same_figures_grouped(
    django_assert_num_queries,
):
    customers = [CustomerFactory() for _ in range(3)]
    for n, customer in enumerate(customers):
        inv = rf.invoice(customer, on=today(), gross=f"{n + 1}00.00")
        pay = rf.payment(customer, on=today(), amount="150.00")
        rf.allocate(pay, inv, on=today(), amount=min(Decimal("150"), inv.gross_amount))
        rf.credit_note(customer, invoice=inv, on=today(), gross="1.00")
        line = SalesOrderLineFactory(
            order=SalesOrderFactory(customer=customer), quantity=Decimal("3"), shipped_quantity=1
        )
        ShipmentFactory(order_line=line, quantity=Decimal("1"))
    ids = [c.pk for c in customers]
    with django_assert_num_queries(1):
        few = credit_exposures(customer_ids=ids)
    with django_assert_num_queries(1):
        credit_exposure(customers[0])
    everyone = credit_exposures()
    assert {pk: few[pk] for pk in ids} == {pk: everyone[pk] for pk in ids}
    assert few[ids[2]].total == Decimal("150.00") - Decimal("1.00") + Decimal("16.95")
