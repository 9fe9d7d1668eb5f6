"""Payment pages: the list (scoped, filtered, fixed query count), recording a payment with
the open invoices loaded by htmx (earliest due first, or by hand), refusals shown on the
form with nothing written, the detail with allocating the rest and the reversal; roles."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.roles import Role
from orders.receivables.models import Invoice, Payment
from orders.receivables.payments import record_payment
from tests.clock import in_days, today
from tests.factories import CustomerFactory
from tests.orders.receivables.factories import invoice

D = Decimal
pytestmark = pytest.mark.django_db
LIST = reverse("orders:payment-list")
NEW = reverse("orders:payment-create")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shop(make_user):
    seller = make_user(Role.SALES.value, username="seller")
    manager = make_user(Role.MANAGER.value, username="accountant")
    acme = CustomerFactory(code="ACME", salesperson=seller)
    other = CustomerFactory(code="OTHER")
    invoice(acme, on=in_days(-40), due=in_days(-10), gross="100.00", invoice_no="INV-A")
    invoice(acme, on=in_days(-20), due=in_days(10), gross="200.00", invoice_no="INV-B")
    invoice(other, on=in_days(-5), gross="70.00", invoice_no="INV-O")
    return {
        "acme": acme,
        "other": other,
        "manager_user": manager,
        "manager": client_for(manager),
        "sales": client_for(seller),
    }


def _form(**extra):
    return {
        "customer": "ACME",
        "date": today().isoformat(),
        "amount": "150.00",
        "method": "bank transfer",
        "reference": "TX-9",
        **extra,
    }


def test_list_scoped_filtered_and_fixed_queries(shop, django_assert_max_num_queries):
    for n in range(5):
        record_payment(customer="ACME", date=in_days(-n), amount="10", by=shop["manager_user"])
    record_payment(customer="OTHER", date=today(), amount="5", by=shop["manager_user"])
    with django_assert_max_num_queries(12):
        page = shop["manager"].get(LIST)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="payment-row"') == 6
    assert 'data-testid="record-payment"' in page.content.decode()
    for _ in range(20):
        record_payment(customer="ACME", date=today(), amount="1", by=shop["manager_user"])
    with django_assert_max_num_queries(12):
        assert shop["manager"].get(LIST).status_code == 200
    mine = shop["sales"].get(LIST).content.decode()
    assert "OTHER" not in mine and mine.count('data-testid="payment-row"') == 25
    assert 'data-testid="record-payment"' not in mine
    only = shop["manager"].get(LIST, {"customer": "other"}, HTTP_HX_REQUEST="true")
    assert only.content.decode().count('data-testid="payment-row"') == 1
    assert "<html" not in only.content.decode()
    dated = shop["manager"].get(
        LIST, {"date_from": in_days(-1).isoformat(), "date_to": in_days(-1)}
    )
    assert dated.content.decode().count('data-testid="payment-row"') == 1


def test_open_invoices_load_with_the_amount_spread_earliest_due_first(shop):
    url = reverse("orders:payment-open-invoices")
    page = shop["manager"].get(url, {"customer": "ACME", "amount": "150"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.count('data-testid="open-invoice-row"') == 2
    assert 'name="alloc-INV-A" value="100.00"' in html
    assert 'name="alloc-INV-B" value="50.00"' in html
    none = shop["manager"].get(url, {"customer": "NOPE"}).content.decode()
    assert "No customer with this code" in none


def test_record_default_allocation(shop):
    answer = shop["manager"].post(NEW, _form())
    payment = Payment.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("orders:payment-detail", args=[payment.payment_no])
    assert payment.allocated_amount == D("150") and payment.reference == "TX-9"
    assert Invoice.objects.get(invoice_no="INV-A").status == "paid"
    detail = shop["manager"].get(answer.url).content.decode()
    assert detail.count('data-testid="allocation-row"') == 2
    assert 'data-testid="reverse-form"' in detail and 'data-testid="allocate-form"' not in detail


def test_record_by_hand_leaves_credit_then_allocate_the_rest(shop):
    answer = shop["manager"].post(
        NEW, _form(by_hand="1", **{"alloc-INV-A": "", "alloc-INV-B": "30"})
    )
    assert answer.status_code == 302
    payment = Payment.objects.get()
    assert payment.allocated_amount == D("30") and payment.unallocated_amount == D("120")
    detail = shop["manager"].get(answer.url).content.decode()
    assert 'data-testid="allocate-form"' in detail
    assert 'name="alloc-INV-A" value="100.00"' in detail  # the rest, earliest due first
    done = shop["manager"].post(
        reverse("orders:payment-allocate", args=[payment.payment_no]), {"auto": "1"}
    )
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.allocated_amount == D("150")


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "0"}, "amount", "must be more than 0"),
        ({"amount": "abc"}, "amount", "must be a number"),
        ({"customer": "NOPE"}, "customer", "no customer"),
        ({"by_hand": "1", "alloc-INV-A": "100.01"}, None, "more than the open amount"),
        ({"by_hand": "1", "alloc-INV-O": "1"}, None, "customer OTHER"),
    ],
)
def test_refusals_are_shown_and_write_nothing(shop, data, field, message):
    page = shop["manager"].post(NEW, _form(**data))
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    if field:
        assert f'data-testid="error-{field}"' in html
    else:
        assert 'data-testid="form-errors"' in html
    assert not Payment.objects.exists()


def test_reverse_on_the_page(shop):
    payment = record_payment(customer="ACME", date=today(), amount="120", by=shop["manager_user"])
    url = reverse("orders:payment-reverse", args=[payment.payment_no])
    refused = shop["manager"].post(url, {"date": today().isoformat(), "reason": ""}, follow=True)
    assert "Reason" in refused.content.decode()
    payment.refresh_from_db()
    assert payment.status == "posted"
    done = shop["manager"].post(
        url, {"date": today().isoformat(), "reason": "bounced"}, follow=True
    )
    html = done.content.decode()
    assert 'data-testid="reversal"' in html and "bounced" in html
    assert 'data-testid="reverse-form"' not in html
    assert set(Invoice.objects.values_list("allocated_amount", flat=True)) == {D("0")}
    again = shop["manager"].post(url, {"date": today().isoformat(), "reason": "x"}, follow=True)
    assert "already reversed" in again.content.decode()


def test_roles(shop, make_user):
    payment = record_payment(customer="OTHER", date=today(), amount="5", by=shop["manager_user"])
    detail = reverse("orders:payment-detail", args=[payment.payment_no])
    warehouse = client_for(make_user(Role.WAREHOUSE.value, username="clerk"))
    for url in (LIST, NEW, detail, reverse("orders:payment-open-invoices")):
        assert warehouse.get(url).status_code == 403
    assert shop["sales"].get(NEW).status_code == 403
    assert shop["sales"].get(detail).status_code == 404  # not its customer
    reverse_url = reverse("orders:payment-reverse", args=[payment.payment_no])
    assert shop["sales"].post(reverse_url, {"reason": "x"}).status_code == 403
    assert shop["manager"].get(NEW).status_code == 200
    menu = shop["sales"].get(LIST).content.decode()
    assert f'href="{LIST}"' in menu
