"""What the order form asks while a person types: the customer's and the item's code looked
up (a few matches, a fixed number of queries however big the factory), and the printable
order confirmation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.services.changes import change_apply
from orders.services.orders import OrderLineInput, order_create
from tests.factories import CustomerFactory, ItemFactory, SalesOrderLineFactory
from tests.orders.order_entry_support import ORDER_DATE, build_entry, past_order

D = Decimal
pytestmark = pytest.mark.django_db
CUSTOMER_URL = "orders:order-entry-customer"
ITEM_URL = "orders:order-entry-item"


@pytest.fixture
def entry(make_user):
    return build_entry(make_user)


def _get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_customer_code_shows_the_name(client, entry):
    client.force_login(entry["sales"])
    html = _get(client, CUSTOMER_URL, customer="C1")
    assert 'data-match="C1"' in html and "Acme Pipes" in html and "East" in html
    assert "Lin Mei" in html  # the salesperson by name
    assert 'data-match="C1"' in _get(client, CUSTOMER_URL, customer="c1")  # any case


def test_a_partial_code_lists_a_few_matches_and_an_unknown_one_says_so(client, entry):
    for n in range(12):
        CustomerFactory(code=f"C3{n:02d}", name=f"Third {n}")
    client.force_login(entry["sales"])
    html = _get(client, CUSTOMER_URL, customer="C3")
    assert html.count("data-fill=") == 8 and "data-match" not in html
    assert 'data-testid="customer-unknown"' in _get(client, CUSTOMER_URL, customer="ZZ")
    assert _get(client, CUSTOMER_URL, customer="").strip() == ""


def test_an_item_code_shows_name_stock_last_price_and_suggested_price(client, entry):
    past_order(entry, price="11.75")
    client.force_login(entry["sales"])
    html = _get(client, ITEM_URL, item="F100", customer="C1", order_date=ORDER_DATE.isoformat())
    assert 'data-match="F100"' in html and "Frame" in html
    assert '<span data-testid="item-on-hand">40</span>' in html
    assert '<span data-testid="item-last-price">11.75</span>' in html
    assert 'data-default-price="11.75"' in html and "last order" in html
    other = _get(client, ITEM_URL, item="F100", customer="C2", order_date="2026-03-02")
    assert 'data-default-price="12.5"' in other and "list price" in other
    assert '<span data-testid="item-last-price">—</span>' in other


def test_an_item_prefix_lists_sold_items_only(client, entry):
    ItemFactory(code="F300", name="Raw thing", kind="raw")
    client.force_login(entry["sales"])
    html = _get(client, ITEM_URL, item="F", customer="C1")
    assert "F100" in html and "F200" in html and "F300" not in html
    assert 'data-testid="item-unknown"' in _get(client, ITEM_URL, item="NOPE")


def _count(client, name, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, name, **params)
    return len(queries)


LOOKUPS = [
    (CUSTOMER_URL, {"customer": "C1"}),
    (ITEM_URL, {"item": "F1", "customer": "C1"}),  # a prefix: the matches
    (ITEM_URL, {"item": "F100", "customer": "C1", "unit_price": "3"}),  # exact: + prices
]


def test_the_lookups_run_a_fixed_number_of_queries(client, entry):
    past_order(entry)  # a last price: the same sources answer before and after
    client.force_login(entry["sales"])
    small = [_count(client, name, **params) for name, params in LOOKUPS]
    for n in range(30):
        item = ItemFactory(code=f"F1{n:02d}X", kind="finished")
        CustomerFactory(code=f"C1{n:02d}")
        SalesOrderLineFactory(order__customer=entry["acme"], item=item)
        SalesOrderLineFactory(order__customer=entry["acme"], item=entry["frame"])
    big = [_count(client, name, **params) for name, params in LOOKUPS]
    assert big == small
    # 6 are the request's own (session, user, profile, permissions, roles); the price
    # sources of the layers above (quotations) add a few to the exact item
    assert big[0] <= 7 and big[1] <= 8 and big[2] <= 16


def test_only_people_who_enter_orders_may_look_up(client, entry):
    client.force_login(entry["warehouse"])
    assert client.get(reverse(CUSTOMER_URL), {"customer": "C1"}).status_code == 403
    assert client.get(reverse(ITEM_URL), {"item": "F100"}).status_code == 403


def test_the_order_form_has_keyboard_entry(client, entry):
    client.force_login(entry["sales"])
    html = client.get(reverse("orders:order-create")).content.decode()
    assert "data-order-entry" in html and "order-entry.js" in html
    assert 'data-testid="order-total"' in html and 'data-testid="price-zero"' in html


def _order(entry, **kwargs):
    return order_create(
        user=entry["sales"],
        customer=entry["acme"],
        order_date=ORDER_DATE,
        customer_po="PO-77",
        lines=[
            OrderLineInput(
                item="F100",
                quantity=D("3"),
                unit_price=D("12.345"),
                due_date=ORDER_DATE + dt.timedelta(days=10),
                specification="zinc",
            ),
            OrderLineInput(
                item="F200",
                quantity=D("2.5"),
                unit_price=D("4"),
                due_date=ORDER_DATE + dt.timedelta(days=20),
            ),
        ],
        **kwargs,
    )


@override_settings(COMPANY_NAME="Ningbo Metal Parts Co.", VAT_RATE=D("0.13"))
def test_the_printable_confirmation(client, entry, django_assert_max_num_queries):
    order = _order(entry)
    client.force_login(entry["sales"])
    url = reverse("orders:order-confirmation", args=[order.order_no])
    detail = client.get(reverse("orders:order-detail", args=[order.order_no])).content.decode()
    assert url in detail and 'data-testid="order-total"' in detail
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert "Ningbo Metal Parts Co." in html and "Order confirmation" in html
    assert order.order_no in html and "C1 Acme Pipes" in html and "PO-77" in html
    assert 'data-testid="draft-mark"' in html  # not yet confirmed
    # 3 x 12.345 = 37.035 -> 37.04; 2.5 x 4 = 10; net 47.04, VAT 6.12 (6.1152), total 53.16
    assert '<td class="num">CNY 37.04</td>' in html
    assert 'data-testid="confirmation-net">CNY 47.04<' in html
    assert 'data-testid="confirmation-vat">CNY 6.12<' in html
    assert 'data-testid="confirmation-gross">CNY 53.16<' in html
    assert f"{ORDER_DATE + dt.timedelta(days=20):%Y-%m-%d}" in html and "zinc" in html


def test_cancelled_lines_are_left_off_the_confirmation(client, entry):
    from orders.services.orders import order_confirm

    order = order_confirm(order=_order(entry), user=entry["sales"])
    change_apply(user=entry["sales"], order=order, kind="cancel", order_line=2, reason="not needed")
    client.force_login(entry["warehouse"])  # every role reading orders may print it
    response = client.get(reverse("orders:order-confirmation", args=[order.order_no]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirmation-line-1"' in html
    assert 'data-testid="confirmation-line-2"' not in html
    assert 'data-testid="draft-mark"' not in html
    assert 'data-testid="confirmation-net">CNY 37.04<' in html
