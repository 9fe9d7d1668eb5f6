"""Quotation pages: the list with its filters in a fixed number of queries, writing one with
its lines (errors on the row that is wrong), the detail with its actions, the printable
sheet, one-step conversion (and its refusals), the 360 panel, who may see which, the
price order entry starts from."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from crm.models_quotations import Quotation, QuotationStatus
from crm.services.quotations import quotation_create, quotation_move
from materials.models import Item
from orders.models import SalesOrder
from orders.pricing import default_price
from tests.clock import in_days, iso_in_days, today
from tests.crm.profit_data import customer, item
from tests.factories import SalesOrderFactory, SalesOrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li")


@pytest.fixture
def acme(seller):
    return customer("ACME", name="Acme Pipes", salesperson=seller)


@pytest.fixture
def browser(seller):
    client = Client()
    client.force_login(seller)
    return client


def _quote(user, cust, *, valid_days=30, price="12.5", **kwargs) -> Quotation:
    item("P1").__class__.objects.filter(code="P1").update(standard_cost=Decimal("10"))
    return quotation_create(
        user=user,
        customer=cust,
        valid_until=in_days(valid_days),
        lines=[{"item": "P1", "quantity": "100", "unit_price": price}],
        **kwargs,
    )


def _form(**overrides) -> dict:
    data = {
        "customer": "ACME",
        "contact": "",
        "quote_date": today().isoformat(),
        "valid_until": iso_in_days(30),
        "delivery_days": "20",
        "currency": "CNY",
        "notes": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-item": "P1",
        "lines-0-quantity": "100",
        "lines-0-unit_price": "12.5",
        "lines-1-item": "K",
        "lines-1-quantity": "2.125",
        "lines-1-unit_price": "3",
        "lines-1-discount_percent": "10",
    }
    data.update(overrides)
    return data


def test_write_a_quotation_with_two_lines(browser, acme, seller):
    item("P1")
    item("K", decimals=3, uom="kg")
    page = browser.get(reverse("crm:quotation-create") + "?customer=ACME")
    assert page.status_code == 200 and b'value="ACME"' in page.content
    answer = browser.post(reverse("crm:quotation-create"), _form())
    quotation = Quotation.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("crm:quotation-detail", args=[quotation.number])
    assert (quotation.total, quotation.delivery_days, quotation.created_by) == (
        Decimal("1255.74"),
        20,
        seller,
    )
    detail = browser.get(answer["Location"])
    assert detail.status_code == 200
    assert b"1,255.74" in detail.content
    assert b"Standard cost" not in detail.content  # costs for managers only


def test_a_wrong_line_is_marked_on_its_row_and_nothing_saved(browser, acme):
    item("P1")
    answer = browser.post(
        reverse("crm:quotation-create"),
        _form(**{"lines-1-item": "NOPE", "lines-0-quantity": "1.5"}),
    )
    assert answer.status_code == 200
    assert "there is no item NOPE." in answer.content.decode()
    assert "decimal" in answer.content.decode()  # P1 counts whole pieces
    assert not Quotation.objects.exists()


def test_add_line_row(browser):
    answer = browser.get(reverse("crm:quotation-line-row"), {"lines-TOTAL_FORMS": "2"})
    assert b'name="lines-2-item"' in answer.content
    assert b'name="lines-TOTAL_FORMS" value="3"' in answer.content


def test_edit_keeps_unchanged_lines(browser, acme, seller):
    quotation = _quote(seller, acme)
    url = reverse("crm:quotation-edit", args=[quotation.number])
    assert browser.get(url).status_code == 200
    data = _form(
        **{
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-line": "1",
            "lines-0-unit_price": "12.5",
            "valid_until": iso_in_days(45),
        }
    )
    del data["lines-1-item"], data["lines-1-quantity"], data["lines-1-unit_price"]
    answer = browser.post(url, data)
    assert answer.status_code == 302
    quotation.refresh_from_db()
    assert (quotation.valid_until, quotation.lines.count()) == (in_days(45), 1)


def test_list_filters_and_query_count(browser, acme, seller, django_assert_max_num_queries):
    for _n in range(5):
        _quote(seller, acme)
    expiring = _quote(seller, acme, valid_days=2)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("crm:quotation-list"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="quotation-row"') == 6
    soon = browser.get(reverse("crm:quotation-list"), {"expiring": "on"})
    assert soon.content.decode().count('data-testid="quotation-row"') == 1
    assert expiring.number in soon.content.decode()
    partial = browser.get(
        reverse("crm:quotation-list"), {"status": "draft"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in partial.content and b"quotation-row" in partial.content


def test_send_accept_convert_from_the_page(browser, acme, seller):
    quotation = _quote(seller, acme)
    number = quotation.number
    assert browser.post(reverse("crm:quotation-send", args=[number])).status_code == 302
    assert browser.post(reverse("crm:quotation-accept", args=[number])).status_code == 302
    answer = browser.post(
        reverse("crm:quotation-convert", args=[number]),
        {"order_date": today().isoformat(), "due_date": "", "customer_po": "PO-7"},
    )
    order = SalesOrder.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("orders:order-detail", args=[order.order_no])
    assert order.customer_po == "PO-7"
    detail = browser.get(reverse("crm:quotation-detail", args=[number]))
    assert order.order_no in detail.content.decode()
    assert b'data-testid="convert-form"' not in detail.content


def test_refusals_on_the_page(browser, acme, seller):
    expired = _quote(seller, acme, quote_date=in_days(-10), valid_days=-1)
    detail = browser.get(reverse("crm:quotation-detail", args=[expired.number]))
    assert b'data-testid="expired-note"' in detail.content
    assert b'data-testid="convert-form"' not in detail.content
    refused = browser.post(
        reverse("crm:quotation-convert", args=[expired.number]),
        {"order_date": today().isoformat()},
        follow=True,
    )
    assert "expired on" in refused.content.decode()
    no_reason = browser.post(reverse("crm:quotation-cancel", args=[expired.number]), {})
    assert no_reason.status_code == 400
    early = _quote(seller, acme)
    bad = browser.post(
        reverse("crm:quotation-convert", args=[early.number]),
        {"order_date": iso_in_days(5), "due_date": iso_in_days(1)},
    )
    assert bad.status_code == 400 and "before the order date" in bad.content.decode()
    assert not SalesOrder.objects.exists()


def test_print_view(browser, acme, seller):
    quotation = _quote(seller, acme)
    sheet = browser.get(reverse("crm:quotation-print", args=[quotation.number]))
    assert sheet.status_code == 200
    text = sheet.content.decode()
    assert 'data-testid="quotation-sheet"' in text and "warehouse-print.css" in text
    assert "1,250.00" in text and "Acme Pipes" in text


def test_manager_sees_the_margin(make_user, acme, seller):
    quotation = _quote(seller, acme)
    boss = Client()
    boss.force_login(make_user("manager", username="boss"))
    detail = boss.get(reverse("crm:quotation-detail", args=[quotation.number]))
    assert b"Standard cost" in detail.content and b"20%" in detail.content


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "production", "quality"])
def test_other_roles_get_403(make_user, acme, seller, role):
    quotation = _quote(seller, acme)
    client = Client()
    client.force_login(make_user(role))
    for url in (
        reverse("crm:quotation-list"),
        reverse("crm:quotation-create"),
        reverse("crm:quotation-detail", args=[quotation.number]),
        reverse("crm:quotation-print", args=[quotation.number]),
    ):
        assert client.get(url).status_code == 403, url


def test_another_salesperson_gets_404(make_user, acme, seller):
    quotation = _quote(seller, acme)
    client = Client()
    client.force_login(make_user("sales", username="zhou"))
    url = reverse("crm:quotation-detail", args=[quotation.number])
    assert client.get(url).status_code == 404


def test_the_360_shows_the_quotations_and_the_button(browser, acme, seller):
    quotation = _quote(seller, acme)
    page = browser.get(reverse("crm:customer-360", args=["ACME"]))
    text = page.content.decode()
    assert 'data-testid="customer-quotations"' in text and quotation.number in text
    assert reverse("crm:quotation-create") + "?customer=ACME" in text


def test_a_valid_quotation_wins_over_the_last_price(seller, acme):
    p1 = item("P1")
    order = SalesOrderFactory(customer=acme, order_date=in_days(-30), status="confirmed")
    SalesOrderLineFactory(order=order, item=p1, unit_price=Decimal("9"), due_date=in_days(-1))
    assert default_price(acme, p1, today()).price == Decimal("9")
    quotation = _quote(seller, acme, price="11")
    # A draft was not given to the customer: it quotes nothing yet.
    assert default_price(acme, p1, today()).source != "quotation"
    quotation_move(quotation=quotation, user=seller, target=QuotationStatus.SENT)
    suggested = default_price(acme, p1, today())
    assert (suggested.source, suggested.price) == ("quotation", Decimal("11"))
    assert quotation.number in suggested.label
    # After its validity the last price quoted still beats the last price sold.
    later = default_price(acme, p1, in_days(31))
    assert (later.source, later.price) == ("last_quoted", Decimal("11"))
    Item.objects.filter(pk=p1.pk).update(list_price=Decimal("99"))
    other = customer("OTHER")
    assert default_price(other, p1, today()).source == "list_price"
