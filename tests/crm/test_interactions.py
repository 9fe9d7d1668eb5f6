"""Every contact is logged against the customer (and optionally an order), quotes with the
prices given; bad input is refused whole with a message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import Interaction, QuoteLine
from crm.services.interactions import interaction_log
from customers.models import Contact
from erp.errors import DomainError
from orders.models import SalesOrder
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li")


def test_a_call_about_an_order(seller):
    acme = customer("ACME")
    order = SalesOrder.objects.create(
        order_no="SO-1", customer=acme, order_date=dt.date(2026, 1, 1)
    )
    boss = Contact.objects.create(customer=acme, name="Wang")
    logged = interaction_log(
        user=seller,
        customer=acme,
        kind="call",
        reason="delivery",
        subject="  Asked for the delivery date ",
        notes="Promised 20 Feb",
        order=order,
        contact=boss,
    )
    assert (logged.subject, logged.order, logged.contact, logged.created_by) == (
        "Asked for the delivery date",
        order,
        boss,
        seller,
    )


def test_a_quote_keeps_its_prices(seller):
    acme = customer("ACME")
    quote = interaction_log(
        user=seller,
        customer=acme,
        kind="quote",
        reason="quotation",
        subject="Pipes 2026",
        quote_lines=[
            {"item": item("P1"), "unit_price": "12.345678", "quantity": "1000"},
            {"item": item("P2"), "unit_price": Decimal("0")},
        ],
    )
    lines = list(quote.quote_lines.order_by("id"))
    assert [(q.item.code, q.unit_price, q.quantity) for q in lines] == [
        ("P1", Decimal("12.345678"), Decimal("1000")),
        ("P2", Decimal("0"), None),
    ]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"kind": "fax"}, "kind", "Unknown kind"),
        ({"subject": "  "}, "subject", "what the contact was about"),
        ({"subject": "x" * 201}, "subject", "longer than"),
        ({"kind": "quote"}, "quote_lines", "at least one"),
        ({"quote_lines": [{"unit_price": "1"}]}, "quote_lines", "Only a quote"),
        (
            {"kind": "quote", "quote_lines": [{"item": None, "unit_price": "1"}]},
            "quote_lines",
            "line 1: choose the product",
        ),
        ({"kind": "quote", "quote_lines": "BAD"}, "quote_lines", "line 1"),
        ({"occurred_at": "FUTURE"}, "occurred_at", "after it happened"),
    ],
)
def test_bad_input_is_refused(seller, kwargs, field, message):
    acme = customer("ACME")
    if kwargs.get("quote_lines") == "BAD":
        kwargs["quote_lines"] = [
            {"item": item("P1"), "unit_price": "2"},
            {"item": item("P2"), "unit_price": "-1"},
        ]
        message = "line 2: the price cannot be negative"
    if kwargs.get("occurred_at") == "FUTURE":
        kwargs["occurred_at"] = timezone.now() + dt.timedelta(days=1)
    args = {
        "user": seller,
        "customer": acme,
        "kind": "call",
        "reason": "other",
        "subject": "Hello",
        **kwargs,
    }
    with pytest.raises(DomainError, match=message) as refused:
        interaction_log(**args)
    assert refused.value.field == field
    assert not Interaction.objects.exists() and not QuoteLine.objects.exists()


def test_order_and_contact_must_be_the_customers(seller):
    acme, other = customer("ACME"), customer("OTHER")
    order = SalesOrder.objects.create(
        order_no="SO-X", customer=other, order_date=dt.date(2026, 1, 1)
    )
    with pytest.raises(DomainError, match="another customer"):
        interaction_log(
            user=seller, customer=acme, kind="call", reason="other", subject="x", order=order
        )
    stranger = Contact.objects.create(customer=other, name="Zhao")
    with pytest.raises(DomainError, match="not a contact"):
        interaction_log(
            user=seller, customer=acme, kind="call", reason="other", subject="x", contact=stranger
        )


def test_log_a_quote_from_the_page(seller):
    customer("ACME", salesperson=seller)
    item("P1")
    client = Client()
    client.force_login(seller)
    url = reverse("crm:interaction-create", args=["ACME"])
    assert client.get(url).status_code == 200
    base = {
        "kind": "quote",
        "reason": "quotation",
        "subject": "Price for P1",
        "notes": "",
        "occurred_at": "",
        "order": "",
        "contact": "",
        "quote-TOTAL_FORMS": "3",
        "quote-INITIAL_FORMS": "0",
    }
    refused = client.post(url, {**base, "quote-0-item": "NOPE", "quote-0-unit_price": "3"})
    assert refused.status_code == 200 and "There is no product NOPE" in refused.content.decode()
    answer = client.post(url, {**base, "quote-0-item": "P1", "quote-0-unit_price": "3.5"})
    assert answer.status_code == 302
    assert QuoteLine.objects.get().unit_price == Decimal("3.5")
    history = client.get(reverse("crm:interaction-list", args=["ACME"])).content.decode()
    assert "Price for P1" in history and "P1 CNY 3.50" in history


def test_quality_reads_but_does_not_log(make_user):
    customer("ACME")
    client = Client()
    client.force_login(make_user("quality"))
    assert client.get(reverse("crm:interaction-list", args=["ACME"])).status_code == 200
    assert client.get(reverse("crm:interaction-create", args=["ACME"])).status_code == 403
