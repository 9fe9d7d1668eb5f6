"""The price a new order line starts with (orders.pricing): valid quotation (a source the
crm app registers), else the last price sold to the customer, else the list price; and
the order form fills a blank price with it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import pricing
from orders.models import OrderStatus, SalesOrder
from orders.services.changes import change_apply
from tests.orders.order_entry_support import (
    ORDER_DATE,
    PAST,
    build_entry,
    past_order,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(make_user):
    return build_entry(make_user)


@pytest.fixture
def restore_price_sources():
    """Sources a test registers are taken away again."""
    before = dict(pricing._sources)
    yield
    pricing._sources.clear()
    pricing._sources.update(before)


def test_the_list_price_when_the_customer_never_bought_it(entry):
    suggested = pricing.default_price(entry["acme"], entry["frame"], ORDER_DATE)
    assert (suggested.price, suggested.source, suggested.label) == (
        D("12.50"),
        "list_price",
        "list price",
    )


def test_the_last_price_sold_to_that_customer_beats_the_list_price(entry):
    past_order(entry, price="11", on=PAST)
    latest = past_order(entry, price="11.75", on=PAST + dt.timedelta(days=5))
    past_order(entry, customer=entry["other"], price="9", on=PAST + dt.timedelta(days=9))

    suggested = pricing.default_price(entry["acme"].pk, entry["frame"].pk, ORDER_DATE)

    assert (suggested.price, suggested.source) == (D("11.75"), "last_order")
    assert latest.order_no in suggested.label
    assert f"{PAST + dt.timedelta(days=5):%Y-%m-%d}" in suggested.label


def test_drafts_cancelled_orders_and_later_orders_give_no_last_price(entry):
    past_order(entry, price="5", confirm=False)  # a draft
    cancelled = past_order(entry, price="6")
    change_apply(user=entry["sales"], order=cancelled, kind="cancel", reason="customer left")
    assert SalesOrder.objects.get(pk=cancelled.pk).status == OrderStatus.CANCELLED
    past_order(entry, price="7", on=ORDER_DATE + dt.timedelta(days=1))  # after the date asked

    suggested = pricing.default_price(entry["acme"], entry["frame"], ORDER_DATE)

    assert (suggested.price, suggested.source) == (D("12.50"), "list_price")


def test_a_registered_source_is_asked_by_its_priority(entry, restore_price_sources):
    past_order(entry, price="11")
    asked = []

    def quotation(customer_id, item_id, on):
        asked.append((customer_id, item_id, on))
        return (D("10.40"), "quotation Q-2026-000001") if item_id == entry["frame"].pk else None

    pricing.register_price_source("quotation", pricing.QUOTATION_PRIORITY, quotation)

    names = [name for name, _p in pricing.price_sources()]  # crm may add "last_quoted"
    assert names[0] == "quotation" and names[-2:] == ["last_order", "list_price"]
    suggested = pricing.default_price(entry["acme"], entry["frame"], ORDER_DATE)
    assert (suggested.price, suggested.source, suggested.label) == (
        D("10.40"),
        "quotation",
        "quotation Q-2026-000001",
    )
    assert asked == [(entry["acme"].pk, entry["frame"].pk, ORDER_DATE)]
    # no quotation for the wire: the next sources answer
    assert pricing.default_price(entry["acme"], entry["wire"], ORDER_DATE).source == "list_price"


def test_a_failing_source_is_skipped(entry, restore_price_sources, caplog):
    def broken(customer_id, item_id, on):
        raise RuntimeError("quotation table missing")

    pricing.register_price_source("quotation", pricing.QUOTATION_PRIORITY, broken)

    suggested = pricing.default_price(entry["acme"], entry["frame"], ORDER_DATE)

    assert suggested.source == "list_price"
    assert "price source quotation failed" in caplog.text


def test_registering_a_name_again_replaces_it(restore_price_sources):
    pricing.register_price_source("x", 50, lambda c, i, on: None)
    pricing.register_price_source("x", 700, lambda c, i, on: None)
    assert ("x", 700) in pricing.price_sources() and ("x", 50) not in pricing.price_sources()
    pricing.unregister_price_source("x")
    assert "x" not in dict(pricing.price_sources())


def _post(client, **line):
    data = {
        "customer": "C1",
        "order_date": ORDER_DATE.isoformat(),
        "customer_po": "",
        "notes": "",
        "order_no": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "F100",
        "lines-0-quantity": "4",
        "lines-0-unit_price": "",
        "lines-0-due_date": (ORDER_DATE + dt.timedelta(days=14)).isoformat(),
        "lines-0-specification": "",
    }
    data.update({f"lines-0-{k}": v for k, v in line.items()})
    return client.post(reverse("orders:order-create"), data)


def test_the_form_fills_a_blank_price_with_the_suggested_one(client, entry):
    past_order(entry, price="11.25")
    client.force_login(entry["sales"])

    response = _post(client)

    assert response.status_code == 302
    order = SalesOrder.objects.filter(order_date=ORDER_DATE).get()
    assert order.lines.get().unit_price == D("11.25")


def test_a_typed_price_is_kept_even_0(client, entry):
    client.force_login(entry["sales"])

    assert _post(client, unit_price="0").status_code == 302

    assert SalesOrder.objects.get(order_date=ORDER_DATE).lines.get().unit_price == 0
