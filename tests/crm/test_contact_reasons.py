"""Contact reasons: every new contact says why (a code, shown in the reader's language);
the analysis counts all contacts by reason and month and by customer, not only complaints."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from crm.models import ContactReason, Interaction
from crm.selectors_contact_reasons import reasons_by_customer, reasons_by_month
from crm.services.interactions import interaction_log
from erp.errors import DomainError
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li")


def log(user, customer, reason, *, days_ago=0):
    return interaction_log(
        user=user,
        customer=customer,
        kind="call",
        reason=reason,
        subject="x",
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_reason_is_stored_as_a_code(seller):
    logged = log(seller, CustomerFactory(), "delivery")
    assert Interaction.objects.get().reason == "delivery" == logged.reason
    # shown in the reader's language: the label is a lazy translation of the code's name
    with translation.override("en"):
        assert logged.get_reason_display() == "delivery"


@pytest.mark.parametrize("reason", ["", None, "gossip"])
def test_a_new_contact_needs_a_known_reason(seller, reason):
    with pytest.raises(DomainError) as refusal:
        log(seller, CustomerFactory(), reason)
    assert refusal.value.field == "reason"
    assert not Interaction.objects.exists()


def test_the_page_requires_a_reason(seller):
    CustomerFactory(code="ACME", salesperson=seller)
    client = Client()
    client.force_login(seller)
    url = reverse("crm:interaction-create", args=["ACME"])
    body = {
        "kind": "call",
        "subject": "Where is my order?",
        "quote-TOTAL_FORMS": "0",
        "quote-INITIAL_FORMS": "0",
    }
    response = client.post(url, body)
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not Interaction.objects.exists()
    response = client.post(url, {**body, "reason": "order_enquiry"})
    assert response.status_code == 302
    assert Interaction.objects.get().reason == "order_enquiry"
    # a birthday greeting from the birthdays list starts with the reason chosen
    page = client.get(url + "?reason=courtesy").content.decode()
    assert 'value="courtesy" selected' in page


def test_the_api_requires_a_reason(api_client_for):
    CustomerFactory(code="ACME")
    sales = api_client_for("sales")
    body = {"customer": "ACME", "kind": "call", "subject": "Hello"}
    refused = sales.post("/api/v1/interactions/", body, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = sales.post("/api/v1/interactions/", {**body, "reason": "payment"}, format="json")
    assert done.status_code == 201 and done.json()["reason"] == "payment"


def test_analysis_by_month_and_customer(seller, make_user, django_assert_max_num_queries):
    acme, beta = CustomerFactory(salesperson=seller), CustomerFactory(salesperson=seller)
    other = CustomerFactory(salesperson=make_user("sales", username="wu"))
    log(seller, acme, "delivery")
    log(seller, acme, "delivery")
    log(seller, acme, "quality", days_ago=45)
    log(seller, beta, "courtesy")
    log(seller, other, "delivery")
    today = timezone.localdate()
    start = today - dt.timedelta(days=90)
    with django_assert_max_num_queries(2):  # the user's roles, the counts
        table = reasons_by_month(user=seller, start=start, end=today)
    assert table["total"] == 4
    rows = {r["reason"]: r for r in table["rows"]}
    assert rows["delivery"]["total"] == 2 and rows["quality"]["total"] == 1
    assert rows["complaint"]["total"] == 0 and len(rows) == len(ContactReason)
    assert sum(table["totals"]) == 4 and table["months"] == sorted(table["months"])
    with django_assert_max_num_queries(2):
        customers = list(reasons_by_customer(user=seller, start=start, end=today))
    assert [(c, c.n_contacts, c.n_delivery) for c in customers] == [(acme, 3, 2), (beta, 1, 0)]
    boss = make_user("manager", username="boss")
    assert reasons_by_month(user=boss, start=start, end=today)["total"] == 5


def test_analysis_page(seller, make_user, django_assert_max_num_queries):
    acme = CustomerFactory(code="ACME", salesperson=seller)
    for n in range(20):
        log(seller, acme, ContactReason.values[n % len(ContactReason.values)], days_ago=n * 10)
    client = Client()
    client.force_login(seller)
    url = reverse("crm:contact-analysis")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="total-contacts">20<' in response.content.decode().replace(" ", "")
    assert client.get(url + "?start=bad&end=2026-13-01").status_code == 200
    for role in ("warehouse", "quality", "production", "purchasing"):
        other = Client()
        other.force_login(make_user(role))
        assert other.get(url).status_code == 403
