"""Aging as of a date (CONTRACT.md section 8): buckets, as-of cut-offs, reversals, order,
cancelled invoices; open invoices, overdue lists and DSO."""

import datetime as dt
from decimal import Decimal

import pytest

from orders.receivables import aging as ag
from tests.clock import today
from tests.factories import CustomerFactory, UserFactory
from tests.orders.receivables import factories as rf

pytestmark = pytest.mark.django_db

D = Decimal


def _days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("days_overdue", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "over_90"),
        (400, "over_90"),
    ],
)
def test_bucket_edges(days_overdue, bucket):
    customer = CustomerFactory(code="EDGE")
    as_of = today()
    due = as_of - dt.timedelta(days=days_overdue)
    rf.invoice(customer, on=min(due, as_of), due=due, gross="123.45")
    [row] = ag.aging(as_of=as_of)
    assert row.customer == "EDGE"
    assert row.total == D("123.45")
    for name in ag.BUCKETS:
        assert getattr(row, name) == (D("123.45") if name == bucket else D("0.00")), name
    assert ag.bucket_of(days_overdue) == bucket


def test_as_of_leaves_out_later_invoices_and_later_allocations():
    customer = CustomerFactory(code="ASOF")
    a = _days(-10)
    inv = rf.invoice(customer, on=_days(-40), due=_days(-20), gross="100.00")
    rf.invoice(customer, on=_days(-9), gross="999.00")  # after A: not counted
    pay = rf.payment(customer, on=_days(-15), amount="30.00")
    rf.allocate(pay, inv, on=_days(-15), amount="30.00")
    late = rf.payment(customer, on=_days(-5), amount="50.00")
    rf.allocate(late, inv, on=_days(-5), amount="50.00")  # after A: not counted
    [row] = ag.aging(as_of=a)
    assert (row.d1_30, row.total) == (D("70.00"), D("70.00"))
    [row] = ag.aging(as_of=today())
    assert row.total == D("1019.00")  # 20 + 999


def test_allocation_on_the_as_of_day_counts_and_paid_invoice_drops_out():
    customer = CustomerFactory(code="PAID")
    inv = rf.invoice(customer, on=_days(-40), gross="100.00")
    pay = rf.payment(customer, on=today(), amount="100.00")
    rf.allocate(pay, inv, on=today(), amount="100.00")
    assert ag.aging(as_of=today()) == []
    assert ag.aging(as_of=_days(-1))[0].total == D("100.00")


def test_credit_note_allocations_reduce_open_amount():
    customer = CustomerFactory(code="CN")
    inv = rf.invoice(customer, on=_days(-10), gross="100.00")
    note = rf.credit_note(customer, invoice=inv, on=_days(-2), gross="40.00")
    rf.allocate(note, inv, on=_days(-2), amount="40.00")
    assert ag.aging(as_of=today())[0].total == D("60.00")


def test_reversal_rows_give_the_amount_back_from_their_date():
    customer = CustomerFactory(code="REV")
    inv = rf.invoice(customer, on=_days(-60), due=_days(-30), gross="200.00")
    pay = rf.payment(customer, on=_days(-20), amount="200.00")
    rf.allocate(pay, inv, on=_days(-20), amount="200.00")
    rf.reverse(pay, on=_days(-5))
    assert ag.aging(as_of=_days(-10)) == []  # paid then
    [row] = ag.aging(as_of=today())  # reversed since: open again, 30 days past due
    assert (row.d1_30, row.total) == (D("200.00"), D("200.00"))


def test_cancelled_invoices_never_count():
    customer = CustomerFactory(code="CANC")
    rf.invoice(customer, on=_days(-50), gross="500.00", status="cancelled")
    assert ag.aging(as_of=today()) == []
    assert ag.aging(as_of=_days(-40)) == []


def test_order_by_total_desc_then_code_and_sums_per_bucket():
    b, a, c = CustomerFactory(code="B"), CustomerFactory(code="A"), CustomerFactory(code="C")
    rf.invoice(b, on=_days(-1), gross="50.00")
    rf.invoice(a, on=_days(-1), gross="50.00")
    rf.invoice(c, on=_days(-100), due=_days(-95), gross="10.005")
    rf.invoice(c, on=_days(-100), due=_days(-45), gross="100.00")
    rows = ag.aging(as_of=today())
    assert [r.customer for r in rows] == ["C", "A", "B"]
    assert rows[0].over_90 == D("10.01")  # 0.01, half up
    assert rows[0].d31_60 == D("100.00")
    totals = ag.aging_totals(rows)
    assert totals["total"] == D("210.01")
    report = ag.aging_report_rows(as_of=today())
    assert report[0] == {
        "customer": "C",
        "current": "0.00",
        "d1_30": "0.00",
        "d31_60": "100.00",
        "d61_90": "0.00",
        "over_90": "10.01",
        "total": "110.01",
    }


def test_salesperson_filter_and_overdue_list():
    mine = UserFactory(username="seller1")
    other = UserFactory(username="seller2")
    c1 = CustomerFactory(code="MINE", salesperson=mine)
    c2 = CustomerFactory(code="THEIRS", salesperson=other)
    rf.invoice(c1, on=_days(-50), due=_days(-20), gross="10.00", invoice_no="INV-A")
    rf.invoice(c1, on=_days(-50), due=_days(-40), gross="20.00", invoice_no="INV-B")
    rf.invoice(c1, on=_days(-5), gross="30.00", invoice_no="INV-C")
    rf.invoice(c2, on=_days(-50), due=_days(-20), gross="40.00")
    assert [r.customer for r in ag.aging(as_of=today(), salesperson_id=mine.pk)] == ["MINE"]
    overdue = ag.overdue_for_salesperson(mine, as_of=today())
    assert [(i.invoice_no, i.days_overdue) for i in overdue] == [("INV-B", 40), ("INV-A", 20)]
    assert overdue[0].bucket == "d31_60"
    listed = ag.customer_open_invoices(c1, as_of=today())
    assert [i.invoice_no for i in listed] == ["INV-B", "INV-A", "INV-C"]
    per_person = ag.overdue_by_salesperson(as_of=today())
    assert [(p.salesperson_id, p.invoices, p.amount) for p in per_person] == [
        (other.pk, 1, D("40.00")),
        (mine.pk, 2, D("30.00")),
    ]


def test_dso():
    customer = CustomerFactory(code="DSO")
    assert ag.dso(as_of=today()).days is None
    inv = rf.invoice(customer, on=_days(-89), gross="900.00")  # inside the 90 days
    rf.invoice(customer, on=_days(-90), gross="100.00")  # outside
    pay = rf.payment(customer, on=_days(-1), amount="450.00")
    rf.allocate(pay, inv, on=_days(-1), amount="450.00")
    result = ag.dso(as_of=today())
    # receivables 450 + 100 = 550; sales 900; 550 / 900 x 90 = 55.0
    assert (result.receivables, result.credit_sales, result.days) == (
        D("550.00"),
        D("900.00"),
        D("55.0"),
    )
    assert result.overdue == D("550.00")  # both due long ago (30 days terms)


def test_queries_are_fixed(django_assert_num_queries):
    for n in range(5):
        customer = CustomerFactory(code=f"Q{n}")
        for k in range(3):
            inv = rf.invoice(customer, on=_days(-10 * k - 5), gross="10.00")
            pay = rf.payment(customer, on=_days(-1), amount="1.00")
            rf.allocate(pay, inv, on=_days(-1), amount="1.00")
    with django_assert_num_queries(1):
        assert len(ag.aging(as_of=today())) == 5
    with django_assert_num_queries(1):
        ag.open_invoices(as_of=today())
    with django_assert_num_queries(1):
        ag.dso(as_of=today())
