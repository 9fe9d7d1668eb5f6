"""Nightly overdue reminders: one open follow-up per customer with overdue invoices, for its
salesperson, idempotent, a fixed number of queries; run as a recorded job, a Celery task and
a command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crm.models import FollowUp, FollowUpStatus
from crm.services.credit_reminders import (
    PURPOSE_PREFIX,
    create_overdue_follow_ups,
    run_overdue_reminders,
)
from crm.tasks import nightly_overdue_reminders
from erp.models import JobRun
from orders.receivables.models import InvoiceStatus
from tests.clock import today
from tests.factories import CustomerFactory
from tests.orders.receivables.credit_support import build_credit_shop, credit_settings, invoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contract_settings():
    with credit_settings():
        yield


@pytest.fixture
def credit_shop(db, make_user):
    return build_credit_shop(make_user)


def _customers(shop, n: int) -> list:
    customers = []
    for i in range(n):
        customer = CustomerFactory(code=f"K{i}", salesperson=shop["sales"])
        invoice(customer, due_in_days=-40, gross="100.00", allocated="40.00")
        invoice(customer, due_in_days=-5, gross="50.00")
        invoice(customer, due_in_days=5, gross="70.00")  # not due yet: not named
        customers.append(customer)
    return customers


def test_one_follow_up_per_customer_for_its_salesperson(credit_shop):
    customer = credit_shop["customer"]
    first = invoice(customer, due_in_days=-40, gross="100.00", allocated="40.00")
    second = invoice(customer, due_in_days=-5, gross="50.00")
    invoice(customer, due_in_days=-60, gross="80.00", allocated="80.00")  # paid
    invoice(customer, due_in_days=-60, status=InvoiceStatus.CANCELLED)
    invoice(customer, due_in_days=3)  # not due yet
    counts = create_overdue_follow_ups()
    assert counts["created"] == 1 and counts["customers"] == 1
    follow_up = FollowUp.objects.get()
    assert follow_up.customer == customer and follow_up.owner == credit_shop["sales"]
    assert follow_up.due_date == today() and follow_up.status == FollowUpStatus.OPEN
    assert follow_up.purpose == (
        f"{PURPOSE_PREFIX} {first.invoice_no}, {second.invoice_no} — oldest 40 days past due, "
        "total 110.00"
    )


def test_idempotent_while_one_is_open(credit_shop):
    _customers(credit_shop, 3)
    assert create_overdue_follow_ups()["created"] == 3
    again = create_overdue_follow_ups()
    assert again["created"] == 0 and again["already_open"] == 3
    assert FollowUp.objects.count() == 3
    # Done: the next night reminds again.
    FollowUp.objects.filter(customer__code="K0").update(status=FollowUpStatus.CANCELLED)
    assert create_overdue_follow_ups()["created"] == 1


def test_fixed_number_of_queries(credit_shop, django_assert_num_queries):
    _customers(credit_shop, 2)
    with django_assert_num_queries(5) as few:  # savepoint, invoices, follow-ups, insert, release
        create_overdue_follow_ups()
    FollowUp.objects.all().delete()
    _customers_more = [
        CustomerFactory(code=f"M{i}", salesperson=credit_shop["sales"]) for i in range(8)
    ]
    for customer in _customers_more:
        invoice(customer, due_in_days=-31)
    with django_assert_num_queries(len(few)):
        assert create_overdue_follow_ups()["created"] == 10


def test_without_salesperson_a_manager_is_reminded(credit_shop):
    customer = CustomerFactory(code="NOBODY", salesperson=None)
    invoice(customer, due_in_days=-3)
    create_overdue_follow_ups()
    assert FollowUp.objects.get(customer=customer).owner == credit_shop["manager"]


def test_long_lists_fit_the_purpose(credit_shop):
    for _ in range(30):
        invoice(credit_shop["customer"], due_in_days=-2)
    create_overdue_follow_ups()
    purpose = FollowUp.objects.get().purpose
    assert len(purpose) <= 200 and "more" in purpose and purpose.endswith("total 3000.00")


def test_recorded_run_task_and_command(credit_shop):
    _customers(credit_shop, 2)
    run = run_overdue_reminders(trigger="test")
    assert run.job == "overdue-reminders" and run.status == JobRun.Status.SUCCEEDED
    assert run.counts["created"] == 2
    run_pk = nightly_overdue_reminders()
    assert JobRun.objects.get(pk=run_pk).counts["already_open"] == 2
    out = StringIO()
    call_command("overdue_reminders", stdout=out)
    assert "0 follow-ups created, 2 already open" in out.getvalue()
    with pytest.raises(CommandError, match="--as-of"):
        call_command("overdue_reminders", "--as-of", "yesterday")
