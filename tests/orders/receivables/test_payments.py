"""Payments (收款) and allocation (核销), CONTRACT.md section 8: earliest due first then
invoice number, partial allocation, unallocated credit used by the next invoice, chosen
allocations, refusals that write nothing, reversal, the append-only allocation table."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from erp.errors import ConflictError, DomainError
from erp.numbers import plain
from erp.roles import Role
from orders.receivables.models import Allocation, Invoice, Payment, PaymentReversal
from orders.receivables.payments import (
    OverAllocation,
    allocate_payment,
    apply_unallocated_credit,
    record_payment,
    reverse_payment,
)
from tests.clock import in_days, today
from tests.factories import CustomerFactory
from tests.orders.receivables.factories import credit_note, invoice

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user):
    return make_user(Role.MANAGER.value, username="accountant")


@pytest.fixture
def acme():
    return CustomerFactory(code="ACME")


def state(*invoices):
    return [
        (inv.invoice_no, plain(inv.allocated_amount), inv.status)
        for inv in (Invoice.objects.get(pk=i.pk) for i in invoices)
    ]


def test_earliest_due_first_then_invoice_number_partial_and_leftover_credit(acme, clerk):
    late = invoice(acme, on=in_days(-40), due=in_days(20), gross="300.00", invoice_no="INV-A")
    b = invoice(acme, on=in_days(-60), due=in_days(-10), gross="100.00", invoice_no="INV-C")
    a = invoice(acme, on=in_days(-60), due=in_days(-10), gross="50.00", invoice_no="INV-B")
    pay = record_payment(customer="ACME", date=today(), amount="250.00", by=clerk)
    assert pay.payment_no.startswith(f"RCV-{today().year}-")
    rows = list(pay.allocations.order_by("pk").values_list("invoice__invoice_no", "amount"))
    assert rows == [("INV-B", D("50")), ("INV-C", D("100")), ("INV-A", D("100"))]
    assert state(a, b, late) == [
        ("INV-B", "50", "paid"),
        ("INV-C", "100", "paid"),
        ("INV-A", "100", "open"),
    ]
    pay.refresh_from_db()
    assert (pay.allocated_amount, pay.unallocated_amount) == (D("250"), D("0"))
    assert all(r.date == today() and r.created_by == clerk for r in pay.allocations.all())

    more = record_payment(customer=acme, date=today(), amount="500", by=clerk)
    assert more.allocated_amount == D("200") and more.unallocated_amount == D("300")
    assert state(late) == [("INV-A", "300", "paid")]


def test_leftover_credit_is_used_by_the_next_invoice_then_credit_notes(acme, clerk):
    old = invoice(acme, on=in_days(-30), gross="100.00", invoice_no="INV-1")
    first = record_payment(customer=acme, date=in_days(-5), amount="150.00", by=clerk)
    second = record_payment(customer=acme, date=in_days(-2), amount="30.00", by=clerk)
    note = credit_note(acme, invoice=old, on=in_days(-1), gross="20.00")
    assert state(old) == [("INV-1", "100", "paid")]
    new = invoice(acme, on=today(), gross="90.00", invoice_no="INV-2")
    rows = apply_unallocated_credit(customer=acme, on=today(), by=clerk)
    # the oldest payment first, then the next, then the credit note
    assert [(r.payment_id, r.credit_note_id, r.amount) for r in rows] == [
        (first.pk, None, D("50")),
        (second.pk, None, D("30")),
        (None, note.pk, D("10")),
    ]
    assert all(r.date == today() for r in rows)
    assert state(new) == [("INV-2", "90", "paid")]
    note.refresh_from_db()
    assert note.allocated_amount == D("10")
    assert apply_unallocated_credit(customer=acme, on=today(), by=clerk) == []


def test_chosen_allocations_and_the_rest_stays_credit(acme, clerk):
    a = invoice(acme, on=in_days(-30), due=in_days(-1), gross="100.00", invoice_no="INV-A")
    b = invoice(acme, on=in_days(-10), gross="200.00", invoice_no="INV-B")
    pay = record_payment(
        customer=acme,
        date=today(),
        amount="300.00",
        method="bank transfer",
        reference="TX-1",
        allocations=[("INV-B", "120.50"), (a, D("10"))],
        by=clerk,
    )
    assert state(a, b) == [("INV-A", "10", "open"), ("INV-B", "120.5", "open")]
    assert pay.unallocated_amount == D("169.50")
    rows = allocate_payment(payment=pay.payment_no, allocations=[("INV-A", "90")], by=clerk)
    assert [r.amount for r in rows] == [D("90")]
    assert state(a) == [("INV-A", "100", "paid")]
    rows = allocate_payment(payment=pay, by=clerk)  # the rest, earliest due first
    assert [(r.invoice_id, r.amount) for r in rows] == [(b.pk, D("79.50"))]
    with pytest.raises(OverAllocation, match="allocated in full"):
        allocate_payment(payment=pay, by=clerk)


@pytest.mark.parametrize(
    "allocations, error, message",
    [
        (
            [("INV-A", "100.01")],
            OverAllocation,
            "more than the open amount 100.00 of invoice INV-A",
        ),
        ([("INV-A", "60"), ("INV-B", "60")], OverAllocation, "total 120.00, more than the 100.00"),
        ([("INV-X", "10")], DomainError, "is cancelled"),
        ([("INV-P", "10")], OverAllocation, "INV-P is already paid"),
        ([("INV-O", "10")], DomainError, "INV-O is customer OTHER's, not ACME's"),
        ([("INV-404", "10")], DomainError, "no invoice INV-404"),
        ([("INV-A", "10"), ("INV-A", "5")], DomainError, "listed twice"),
        ([("INV-A", "0")], DomainError, "for invoice INV-A must be more than 0"),
        ([("INV-A", "1.005")], DomainError, "more than 2 decimal places"),
    ],
)
def test_refused_allocations_write_nothing(acme, clerk, allocations, error, message):
    invoice(acme, on=in_days(-5), gross="100.00", invoice_no="INV-A")
    invoice(acme, on=in_days(-5), gross="100.00", invoice_no="INV-B")
    invoice(acme, on=in_days(-5), gross="100.00", invoice_no="INV-X", status="cancelled")
    invoice(
        acme, on=in_days(-5), gross="10.00", invoice_no="INV-P", status="paid",
        allocated_amount=D("10"),
    )  # fmt: skip
    invoice(CustomerFactory(code="OTHER"), on=in_days(-5), invoice_no="INV-O")
    with pytest.raises(error, match=message) as refused:
        record_payment(
            customer=acme, date=today(), amount="100.00", allocations=allocations, by=clerk
        )
    assert refused.value.field == "allocations"
    assert not Payment.objects.exists() and not Allocation.objects.exists()
    assert sorted(Invoice.objects.values_list("allocated_amount", flat=True)) == [
        0, 0, 0, 0, 10
    ]  # fmt: skip


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "must be more than 0"),
        ("-5", "must be more than 0"),
        ("abc", "must be a number"),
        ("NaN", "must be a number"),
        ("10.001", "more than 2 decimal places"),
        (None, "must be a number"),
    ],
)
def test_bad_amount_refused(acme, clerk, amount, message):
    with pytest.raises(DomainError, match=message) as refused:
        record_payment(customer=acme, date=today(), amount=amount, by=clerk)
    assert refused.value.field == "amount"
    assert not Payment.objects.exists()


def test_unknown_customer_refused(clerk):
    with pytest.raises(DomainError, match="no customer 'NOPE'") as refused:
        record_payment(customer="NOPE", date=today(), amount="1", by=clerk)
    assert refused.value.field == "customer"


def test_reversal_restores_open_amounts_and_is_refused_twice(acme, clerk):
    a = invoice(acme, on=in_days(-30), due=in_days(-1), gross="100.00", invoice_no="INV-A")
    b = invoice(acme, on=in_days(-10), gross="200.00", invoice_no="INV-B")
    other = record_payment(customer=acme, date=today(), amount="20", by=clerk)
    pay = record_payment(customer=acme, date=today(), amount="150", by=clerk)
    assert state(a, b) == [("INV-A", "100", "paid"), ("INV-B", "70", "open")]
    rev = reverse_payment(payment=pay, date=in_days(1), reason="bounced", by=clerk)
    assert rev.reversal_no.startswith("RVS-") and rev.created_by == clerk
    assert state(a, b) == [("INV-A", "20", "open"), ("INV-B", "0", "open")]
    negative = list(rev.allocations.order_by("pk").values_list("invoice_id", "amount", "date"))
    assert negative == [(a.pk, D("-80"), in_days(1)), (b.pk, D("-70"), in_days(1))]
    pay.refresh_from_db()
    assert (pay.status, pay.allocated_amount) == ("reversed", D("0"))
    assert Allocation.objects.filter(payment=other).count() == 1

    with pytest.raises(ConflictError, match=f"already reversed \\({rev.reversal_no}\\)"):
        reverse_payment(payment=pay.payment_no, date=in_days(1), reason="again", by=clerk)
    assert PaymentReversal.objects.count() == 1
    with pytest.raises(ConflictError, match="is reversed"):
        allocate_payment(payment=pay, by=clerk)
    # a reversed payment's money is no credit
    invoice(acme, on=today(), gross="500.00", invoice_no="INV-C")
    assert apply_unallocated_credit(customer=acme, on=today(), by=clerk) == []


def test_reversal_needs_a_reason_and_a_date_not_before_the_payment(acme, clerk):
    pay = record_payment(customer=acme, date=today(), amount="10", by=clerk)
    with pytest.raises(DomainError, match="reason") as refused:
        reverse_payment(payment=pay, date=today(), reason="  ", by=clerk)
    assert refused.value.field == "reason"
    with pytest.raises(DomainError, match="before its date") as refused:
        reverse_payment(payment=pay, date=in_days(-1), reason="x", by=clerk)
    assert refused.value.field == "date"
    assert not PaymentReversal.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_allocations_are_append_only_on_postgresql(acme, clerk):
    invoice(acme, on=today(), gross="100.00")
    record_payment(customer=acme, date=today(), amount="10", by=clerk)
    row = Allocation.objects.get()
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        Allocation.objects.filter(pk=row.pk).update(amount=D("5"))
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        Allocation.objects.filter(pk=row.pk).delete()
    assert Allocation.objects.get().amount == D("10")


def test_leftover_credit_pays_the_next_invoice_from_create_invoice(make_user, settings):
    from orders.receivables.invoicing import create_invoice
    from tests.orders.receivables.invoicing_support import build_invoicing

    settings.VAT_RATE = D("0.13")
    f = build_invoicing(make_user)
    old = invoice(f["acme"], on=in_days(-30), gross="5.00", invoice_no="INV-OLD")
    pay = record_payment(customer="ACME", date=in_days(-1), amount="25.00", by=f["manager"])
    assert state(old) == [("INV-OLD", "5", "paid")] and pay.unallocated_amount == D("20")
    new = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    assert (new.gross_amount, new.allocated_amount, new.status) == (D("11.31"), D("11.31"), "paid")
    row = Allocation.objects.get(invoice=new)
    assert (row.payment_id, row.date, row.amount) == (pay.pk, today(), D("11.31"))
    pay.refresh_from_db()
    assert pay.unallocated_amount == D("8.69")
