"""Invoicing under a real race on PostgreSQL: managers invoicing the same shipment at the
same instant never invoice more than was shipped (the shipment rows are locked)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from erp.errors import ConflictError
from orders.receivables.invoicing import create_invoice, invoice_all_shipped
from orders.receivables.models import Invoice, InvoiceLine
from tests.clock import today
from tests.orders.receivables.invoicing_support import build_invoicing, invoiced

D = Decimal


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


@pytest.mark.django_db(transaction=True)
def test_the_same_shipment_is_never_invoiced_twice(make_user):
    f = build_invoicing(make_user)

    def one():
        create_invoice(
            customer="ACME", invoice_date=today(), lines=[(f["s1"].number, "2")], by=f["manager"]
        )

    results = race([one] * 4)
    assert results == ["ok"] + ["refused"] * 3  # 3 shipped: one invoice of 2 fits
    assert invoiced(f["s1"]) == D("2")
    assert InvoiceLine.objects.filter(shipment=f["s1"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_invoicing_everything_shipped_twice_at_once_makes_one_invoice(make_user):
    f = build_invoicing(make_user)

    def everything():
        try:
            invoice_all_shipped(customer="ACME", invoice_date=today(), by=f["manager"])
        except Exception as error:  # the second finds nothing left: a 400, not a conflict
            raise ConflictError(str(error)) from error

    results = race([everything] * 3)
    assert results == ["ok"] + ["refused"] * 2
    assert Invoice.objects.count() == 1
    assert [invoiced(f[k]) for k in ("s1", "s2", "s3")] == [D("3"), D("1"), D("1")]
