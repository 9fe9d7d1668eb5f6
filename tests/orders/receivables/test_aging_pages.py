"""The receivables pages: aging (sales: its customers by default; Excel), statement (print,
mailto), the 360 finances panel, the salesperson's overdue list at home, the manager's DSO;
roles and query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from customers.models import Contact
from erp.roles import Role
from tests.clock import today
from tests.factories import CustomerFactory
from tests.orders.receivables import factories as rf

pytestmark = pytest.mark.django_db
AGING = "/orders/receivables/aging/"


def _days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def seller(make_user):
    return make_user(Role.SALES.value, username="seller")


@pytest.fixture
def book(seller, make_user):
    other = make_user(Role.SALES.value, username="other_seller")
    mine = CustomerFactory(code="MINE", name="Mine Ltd", salesperson=seller)
    theirs = CustomerFactory(code="THEIRS", name="Theirs Ltd", salesperson=other)
    rf.invoice(mine, on=_days(-70), due=_days(-40), gross="100.00", invoice_no="INV-M1")
    rf.invoice(mine, on=_days(-3), gross="50.00", invoice_no="INV-M2")
    rf.invoice(theirs, on=_days(-100), due=_days(-95), gross="700.00", invoice_no="INV-T1")
    return mine, theirs


def test_reverse():
    assert reverse("orders:receivables-aging") == AGING


def test_manager_sees_everyone_with_totals_and_dso(book, make_user, django_assert_max_num_queries):
    client = _client(make_user(Role.MANAGER.value))
    with django_assert_max_num_queries(12):
        page = client.get(AGING)
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("THEIRS") < text.index("MINE")  # by total descending
    assert "850.00" in text  # the total
    assert 'data-testid="dso"' in text


def test_sales_sees_its_customers_by_default_and_all_on_request(book, seller):
    client = _client(seller)
    text = client.get(AGING).content.decode()
    assert "MINE" in text and "THEIRS" not in text
    text = client.get(AGING, {"scope": "all"}).content.decode()
    assert "MINE" in text and "THEIRS" in text


def test_as_of_and_bad_date(book, seller):
    client = _client(seller)
    text = client.get(AGING, {"as_of": _days(-5).isoformat()}).content.decode()
    assert "100.00" in text and "150.00" not in text  # INV-M2 is later
    page = client.get(AGING, {"as_of": "2026-02-31"})
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()


def test_excel_download(book, make_user):
    client = _client(make_user(Role.MANAGER.value))
    response = client.get(AGING, {"format": "xlsx", "as_of": today().isoformat()})
    assert response.status_code == 200
    assert f"receivables-aging-all-{today():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Customer" and rows[1][0] == "THEIRS" and rows[-1][0] == "Total"
    assert Decimal(str(rows[1][6])) == Decimal("700")


@pytest.mark.parametrize("role", [Role.WAREHOUSE, Role.PURCHASING, Role.PRODUCTION, Role.QUALITY])
def test_other_roles_get_403(book, make_user, role):
    client = _client(make_user(role.value))
    assert client.get(AGING).status_code == 403
    assert client.get(reverse("orders:customer-statement", args=["MINE"])).status_code == 403


def test_statement_page_prints_and_mails(book, seller, django_assert_max_num_queries):
    mine, _theirs = book
    pay = rf.payment(mine, on=_days(-1), amount="30.00")
    rf.allocate(pay, mine.invoices.get(invoice_no="INV-M1"), on=_days(-1), amount="30.00")
    client = _client(seller)
    url = reverse("orders:customer-statement", args=["MINE"])
    params = {"start": _days(-10).isoformat(), "end": today().isoformat()}
    with django_assert_max_num_queries(12):
        page = client.get(url, params)
    text = page.content.decode()
    assert page.status_code == 200
    assert "INV-M2" in text and "INV-M1" not in text.split('data-testid="statement-lines"')[1]
    assert 'data-testid="opening">CNY 100.00' in text
    assert 'data-testid="closing">CNY 120.00' in text
    assert "data-print" in text and 'data-testid="send"' not in text
    Contact.objects.create(customer=mine, name="Li", email="li@example.com")
    text = client.get(url, params).content.decode()
    assert "mailto:li%40example.com?subject=" in text


def test_statement_bad_period_and_unknown_customer(book, seller):
    client = _client(seller)
    url = reverse("orders:customer-statement", args=["MINE"])
    page = client.get(url, {"start": today().isoformat(), "end": _days(-5).isoformat()})
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    assert client.get(url, {"start": "x"}).status_code == 200
    assert client.get(reverse("orders:customer-statement", args=["NOPE"])).status_code == 404


def test_360_finances_panel(book, seller):
    mine, _theirs = book
    mine.credit_limit = Decimal("1000")
    mine.save()
    text = _client(seller).get(reverse("crm:customer-360", args=["MINE"])).content.decode()
    panel = text[text.index('data-testid="finances"') :]
    assert "150.00" in panel  # open invoices
    assert "100.00" in panel  # overdue
    assert "1,000.00" in panel or "1000.00" in panel
    assert reverse("orders:customer-statement", args=["MINE"]) in panel


def test_home_lists_the_salespersons_overdue_invoices(book, seller):
    text = _client(seller).get(reverse("home")).content.decode()
    block = text[text.index('data-testid="my-overdue"') :]
    assert "INV-M1" in block and "INV-M2" not in block and "INV-T1" not in block


def test_manager_dashboard_shows_dso_and_overdue(book, make_user):
    text = _client(make_user(Role.MANAGER.value)).get(reverse("reports:dashboard")).content
    text = text.decode()
    block = text[text.index('data-testid="receivables-summary"') :]
    assert "800.00" in block  # overdue: 100 + 700
