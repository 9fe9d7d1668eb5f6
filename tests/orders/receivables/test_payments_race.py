"""Payments under a real race on PostgreSQL: two payments recorded at the same instant both
want one invoice's open amount; the invoice is never allocated beyond its gross. The
second takes the remainder (default allocation) or is refused and writes nothing (chosen
allocation), and what it cannot place stays as unallocated credit."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from erp.roles import Role
from orders.receivables.models import Allocation, Invoice, Payment
from orders.receivables.payments import apply_unallocated_credit, record_payment
from tests.clock import in_days, today
from tests.factories import CustomerFactory
from tests.orders.receivables.factories import invoice

D = Decimal
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL"),
]


def race(jobs) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job):
        try:
            barrier.wait()
            job()
            results.append("ok")
        except ConflictError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


@pytest.fixture
def setup(make_user):
    clerk = make_user(Role.MANAGER.value, username="accountant")
    acme = CustomerFactory(code="ACME")
    inv = invoice(acme, on=in_days(-10), gross="100.00", invoice_no="INV-R")
    return clerk, acme, inv


def test_two_payments_for_one_invoice_never_over_allocate(setup):
    clerk, acme, inv = setup
    jobs = [
        lambda: record_payment(customer="ACME", date=today(), amount="70.00", by=clerk),
        lambda: record_payment(customer="ACME", date=today(), amount="70.00", by=clerk),
    ]
    assert race(jobs) == ["ok", "ok"]
    inv.refresh_from_db()
    assert (inv.allocated_amount, inv.status) == (D("100"), "paid")
    allocated = sorted(Payment.objects.values_list("allocated_amount", flat=True))
    assert allocated == [D("30"), D("70")]  # the second gets the remainder, 40 stays credit
    assert sum(Allocation.objects.values_list("amount", flat=True)) == D("100")


def test_two_chosen_allocations_of_the_whole_invoice_one_is_refused(setup):
    clerk, acme, inv = setup
    jobs = [
        lambda: record_payment(
            customer="ACME",
            date=today(),
            amount="100.00",
            allocations=[("INV-R", "100.00")],
            by=clerk,
        )
    ] * 3
    assert race(jobs) == ["ok", "refused", "refused"]
    inv.refresh_from_db()
    assert inv.allocated_amount == D("100")
    assert Payment.objects.count() == 1 and Allocation.objects.count() == 1


def test_credit_applied_twice_at_once_is_used_once(setup):
    clerk, acme, inv = setup
    record_payment(customer="ACME", date=today(), amount="150.00", by=clerk)  # 50 credit
    second = invoice(acme, on=today(), gross="80.00", invoice_no="INV-S")
    jobs = [lambda: apply_unallocated_credit(customer="ACME", on=today(), by=clerk)] * 4
    assert race(jobs) == ["ok"] * 4
    second.refresh_from_db()
    assert second.allocated_amount == D("50")
    assert Payment.objects.get().allocated_amount == D("150")
    assert Invoice.objects.get(pk=inv.pk).allocated_amount == D("100")
