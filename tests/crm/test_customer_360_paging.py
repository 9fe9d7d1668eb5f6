"""A big customer has a thousand orders open at once: the 360 page shows them a page at a
time (soonest promised first), with the open amount of all of them, in a fixed number of
queries whatever their number."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from crm.customer360 import ORDERS_PER_PAGE, customer_360
from orders.models import SalesOrder, SalesOrderLine
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db


def open_orders(acme, count: int, *, start: int = 0) -> None:
    widget = item("WIDGET")
    for n in range(start, start + count):
        order = SalesOrder.objects.create(
            order_no=f"SO-{n:04d}",
            customer=acme,
            order_date=dt.date(2026, 1, 5),
            status="confirmed",
        )
        SalesOrderLine.objects.create(
            order=order,
            line=1,
            item=widget,
            quantity=Decimal("2"),
            unit_price=Decimal("1.5"),
            due_date=dt.date(2026, 3, 1) + dt.timedelta(days=n),
        )


@pytest.fixture
def big(make_user):
    seller = make_user("sales", username="li")
    acme = customer("ACME", name="Acme Pipes", salesperson=seller)
    open_orders(acme, ORDERS_PER_PAGE + 5)
    client = Client()
    client.force_login(seller)
    return acme, client


def test_open_orders_a_page_at_a_time_with_the_total_of_all(big):
    acme, client = big
    view = customer_360(code="ACME")
    assert len(view.orders) == ORDERS_PER_PAGE and view.orders[0].order_no == "SO-0000"
    assert view.open_amount == Decimal("3") * (ORDERS_PER_PAGE + 5)
    second = customer_360(code="ACME", page=2)
    assert [o.order_no for o in second.orders][-1] == f"SO-{ORDERS_PER_PAGE + 4:04d}"
    assert len(second.orders) == 5 and second.open_amount == view.open_amount

    url = reverse("crm:customer-360", args=["ACME"])
    html = client.get(url).content.decode()
    assert "SO-0000" in html and f"SO-{ORDERS_PER_PAGE:04d}" not in html
    assert 'data-testid="page-of"' in html and "Page 1 of 2" in html
    assert f"({ORDERS_PER_PAGE + 5})" in html
    assert f"{3 * (ORDERS_PER_PAGE + 5)}.00" in html  # the open amount of every order
    html = client.get(url, {"page": 2}).content.decode()
    assert f"SO-{ORDERS_PER_PAGE:04d}" in html and "SO-0000" not in html


def test_the_query_count_does_not_grow_with_the_orders(big, django_assert_max_num_queries):
    acme, client = big
    url = reverse("crm:customer-360", args=["ACME"])
    client.get(url)
    with django_assert_max_num_queries(23) as few:  # + satisfaction
        client.get(url)
    open_orders(acme, 3 * ORDERS_PER_PAGE, start=1000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"page": 3})
    assert page.status_code == 200 and "SO-10" in page.content.decode()
