"""The customer statement (对账单) and the finance figures of a customer."""

import datetime as dt
from decimal import Decimal

import pytest

from orders.receivables.statement import customer_finances, statement
from tests.clock import today
from tests.factories import CustomerFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.orders.receivables import factories as rf

pytestmark = pytest.mark.django_db
D = Decimal


def _days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.fixture
def history():
    customer = CustomerFactory(code="STMT")
    old = rf.invoice(customer, on=_days(-60), gross="100.00", invoice_no="INV-OLD")
    early = rf.payment(customer, on=_days(-50), amount="30.00")
    rf.allocate(early, old, on=_days(-50), amount="30.00")
    rf.invoice(customer, on=_days(-20), gross="999.00", status="cancelled")
    new = rf.invoice(customer, on=_days(-20), gross="200.00", invoice_no="INV-NEW")
    note = rf.credit_note(customer, invoice=new, on=_days(-15), gross="20.00")
    rf.allocate(note, new, on=_days(-15), amount="20.00")
    pay = rf.payment(customer, on=_days(-10), amount="300.00")
    rf.allocate(pay, old, on=_days(-10), amount="70.00")
    rf.allocate(pay, new, on=_days(-10), amount="180.00")  # 50 left unallocated
    bounced = rf.payment(customer, on=_days(-8), amount="40.00")
    rf.reverse(bounced, on=_days(-3))
    rf.invoice(customer, on=_days(5), gross="77.00")  # after the period
    return customer


def test_statement_running_balance(history, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = statement(history, start=_days(-30), end=today())
    assert result.opening_balance == D("70.00")  # 100 - 30
    assert [(ln.kind, ln.debit, ln.credit, ln.balance) for ln in result.lines] == [
        ("invoice", D("200.00"), D("0.00"), D("270.00")),
        ("credit_note", D("0.00"), D("20.00"), D("250.00")),
        ("payment", D("0.00"), D("300.00"), D("-50.00")),
        ("payment", D("0.00"), D("40.00"), D("-90.00")),
        ("reversal", D("40.00"), D("0.00"), D("-50.00")),
    ]
    assert result.lines[0].number == "INV-NEW"
    assert result.closing_balance == D("-50.00")
    assert result.unallocated_credit == D("50.00")
    assert (result.total_debit, result.total_credit) == (D("240.00"), D("360.00"))


def test_statement_before_the_reversal_counts_the_bounced_payment_as_credit(history):
    result = statement(history, start=_days(-30), end=_days(-5))
    assert result.closing_balance == D("-90.00")
    assert result.unallocated_credit == D("90.00")


def test_statement_of_a_quiet_period():
    customer = CustomerFactory(code="QUIET")
    result = statement(customer, start=_days(-30), end=today())
    assert (result.opening_balance, result.lines, result.closing_balance) == (D(0), [], D(0))


def test_finances(history):
    history.credit_limit = D("1000")
    history.save()
    SalesOrderLineFactory(
        order=SalesOrderFactory(customer=history), quantity=D("1"), unit_price=D("100")
    )
    rf.payment(history, on=_days(-1), amount="5.00", status="reversed")
    result = customer_finances(history, today=today())
    assert result.open_amount == D("0.00")  # both invoices paid
    assert result.overdue_amount == D("0.00")
    # the reversed payments are not "last payments"
    assert (result.last_payment_date, result.last_payment_amount) == (_days(-10), D("300.00"))
    # exposure counts the 77.00 invoice dated later (exposure is not as of a date)
    assert result.unallocated_credit == D("50.00")
    assert result.exposure == D("77.00") - D("50.00") + D("113.00")
    assert result.available_credit == D("1000.00") - result.exposure
    assert not result.over_limit


def test_finances_overdue_in_three_queries(django_assert_num_queries):
    customer = CustomerFactory(code="LATE")
    rf.invoice(customer, on=_days(-80), due=_days(-50), gross="10.00")
    rf.invoice(customer, on=_days(-40), due=_days(-10), gross="20.00")
    rf.invoice(customer, on=_days(-1), gross="5.00")
    with django_assert_num_queries(3):
        result = customer_finances(customer, today=today())
    assert (result.open_amount, result.overdue_amount) == (D("35.00"), D("30.00"))
    assert result.oldest_days_overdue == 50
    assert result.last_payment_date is None
    assert result.available_credit is None  # no limit
