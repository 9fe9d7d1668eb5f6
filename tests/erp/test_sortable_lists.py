"""List pages sort by the column header (erp/sorting.py): whitelisted keys only, the page's
default for anything else, cost columns sortable only by who sees costs, and a fixed number
of queries whatever the order."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from erp.roles import Role
from tests.factories import ItemFactory
from tests.orders.warehouse_support import put_stock


@pytest.fixture
def items(db):
    made = [
        ItemFactory(code="B-200", name="Bolt", standard_cost=D("3"), list_price=D("1500")),
        ItemFactory(code="A-100", name="Washer", standard_cost=D("1"), list_price=D("5")),
        ItemFactory(code="C-300", name="Axle", standard_cost=D("2"), list_price=D("40")),
    ]
    put_stock(made[0], "10")
    put_stock(made[1], "2500")
    put_stock(made[2], "7")
    return made


def codes(response, pattern=r'href="/materials/items/([A-Z]-\d+)/"') -> list[str]:
    html = response.content.decode()
    table = html[html.index('data-testid="item-table"') :]
    return list(dict.fromkeys(re.findall(pattern, table)))


def test_items_sort_by_whitelisted_columns(client, make_user, items):
    client.force_login(make_user(Role.WAREHOUSE.value))
    url = reverse("materials:item-list")
    assert codes(client.get(url)) == ["A-100", "B-200", "C-300"]  # default: code
    assert codes(client.get(url, {"sort": "-code"})) == ["C-300", "B-200", "A-100"]
    assert codes(client.get(url, {"sort": "name"})) == ["C-300", "B-200", "A-100"]
    assert codes(client.get(url, {"sort": "-stock"})) == ["A-100", "B-200", "C-300"]
    assert codes(client.get(url, {"sort": "price"})) == ["A-100", "C-300", "B-200"]
    for bad in ("standard_cost", "cost", "-cost", "name__x", "id"):
        assert codes(client.get(url, {"sort": bad})) == ["A-100", "B-200", "C-300"], bad


def test_cost_sorts_only_for_who_sees_costs(client, make_user, items):
    client.force_login(make_user(Role.MANAGER.value))
    url = reverse("materials:item-list")
    page = client.get(url, {"sort": "-cost"})
    assert codes(page) == ["B-200", "C-300", "A-100"]
    assert 'data-sort="cost"' in page.content.decode()
    client.force_login(make_user(Role.SALES.value))
    page = client.get(url, {"sort": "-cost"})
    assert 'data-sort="cost"' not in page.content.decode()


def test_header_links_keep_the_search_and_show_the_order(client, make_user, items):
    client.force_login(make_user(Role.WAREHOUSE.value))
    html = client.get(reverse("materials:item-list"), {"q": "a", "sort": "name"}).content.decode()
    link = re.search(r'<a [^>]*data-sort="name"[^>]*>', html).group(0)
    assert "q=a" in link and "sort=-name" in link and 'data-sort-state="ascending"' in link
    assert 'name="sort" value="name"' in html  # the search form keeps the order


def test_numbers_on_the_item_list_are_grouped(client, make_user, items):
    client.force_login(make_user(Role.MANAGER.value))
    html = client.get(reverse("materials:item-list")).content.decode()
    assert ">2,500<" in html and "CNY 1,500.00" in html


@pytest.mark.parametrize(
    ("name", "sorts"),
    [
        ("materials:item-list", ["code", "-name", "stock", "-price", "kind"]),
        ("materials:stock-list", ["item", "-name", "warehouse", "-usable", "quarantine"]),
        ("materials:adjustment-list", ["number", "-item", "difference", "status"]),
        ("materials:requisition-list", ["number", "-raised", "status"]),
        ("materials:purchase-order-list", ["po", "-supplier", "date", "status"]),
        ("materials:receipt-list", ["number", "-date", "supplier", "item", "quantity"]),
        ("orders:slip-list", ["number", "-kind", "order", "customer", "-lines", "issued"]),
        ("production:work-order-list", ["number", "-due", "item", "quantity", "order"]),
        ("orders:invoice-list", ["number", "-customer", "date", "due", "-gross", "status"]),
        ("orders:payment-list", ["number", "-date", "customer", "amount", "allocated"]),
        ("orders:order-list", ["due", "-number", "customer", "-date", "material", "-amount"]),
        ("crm:complaint-list", ["number", "-opened", "customer", "category", "-severity"]),
    ],
)
def test_every_order_answers_with_the_same_number_of_queries(
    client, make_user, items, django_assert_max_num_queries, name, sorts
):
    client.force_login(make_user(Role.MANAGER.value))
    url = reverse(name)
    for sort in sorts:
        with django_assert_max_num_queries(15):
            answer = client.get(url, {"sort": sort, "page": "1"})
        assert answer.status_code == 200, sort
        assert f'data-sort="{sort.lstrip("-")}"' in answer.content.decode()


def test_stock_sorts_by_quantity(client, make_user, items):
    client.force_login(make_user(Role.WAREHOUSE.value))
    html = client.get(reverse("materials:stock-list"), {"sort": "-usable"}).content.decode()
    rows = re.findall(r'data-testid="stock-row-([A-Z]-\d+)-MAIN"', html)
    assert rows == ["A-100", "B-200", "C-300"]
