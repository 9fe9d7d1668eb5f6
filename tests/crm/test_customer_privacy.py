"""对客户信息进行严格保密: a customer's contacts, phone numbers and notes reach only sales
follow-up, quality, managers and administrators (README, Roles); every other role still
finds the customer by code and name. A role matrix over the API, the pages and the admin."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from customers.access import sees_customer_contacts
from erp.roles import Role
from tests.factories import CustomerFactory, CustomerPhoneFactory, UserFactory

pytestmark = pytest.mark.django_db

SEERS = {"sales", "quality", "manager", "admin"}
OTHERS = {"warehouse", "purchasing", "production"}
ROLES = sorted(SEERS | OTHERS)
assert set(ROLES) == set(Role.values)
# What must not leak: the customer's number, its contact's name, number and e-mail, notes.
SECRETS = ("0571-8888 1234", "Wang Fang", "139 2222 3333", "wang@acme.example", "Likes tea")


@pytest.fixture
def customer(db):
    acme = CustomerFactory(
        code="ACME", name="Acme Pipes", region="East", notes="Likes tea; call after 10."
    )
    CustomerPhoneFactory(customer=acme, number="0571-8888 1234")
    wang = acme.contacts.create(
        name="Wang Fang", title="Buyer", email="wang@acme.example", birthday=dt.date(1980, 5, 1)
    )
    CustomerPhoneFactory(customer=acme, contact=wang, number="139 2222 3333")
    CustomerFactory(code="BETA", name="Beta Tubes")
    return acme


def person(role: str):
    return UserFactory(username=f"{role}_person", roles=[role])


def api(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(person(role))
    return client


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_contacts_and_the_permission_table_agree(role):
    user = person(role)
    sees = role in SEERS
    assert sees_customer_contacts(user) is sees
    assert user.has_perm("customers.view_contact") is sees
    assert user.has_perm("customers.view_customerphone") is sees
    assert user.has_perm("customers.view_customer")  # everyone may still read the customer


@pytest.mark.parametrize("role", ROLES)
def test_the_customer_api_by_role(customer, role, django_assert_max_num_queries):
    for n in range(10):  # the queries do not grow with the customers on the page
        other = CustomerFactory(code=f"K{n:02d}")
        CustomerPhoneFactory(customer=other, contact=other.contacts.create(name=f"P{n}"))
    client = api(role)
    with django_assert_max_num_queries(7):
        listing = client.get("/api/v1/customers/")
    one = client.get("/api/v1/customers/ACME/")
    assert listing.status_code == one.status_code == 200
    rows = {row["code"]: row for row in listing.json()["results"]}
    assert rows["ACME"]["name"] == one.json()["name"] == "Acme Pipes"
    text = json.dumps([listing.json(), one.json()])
    if role in SEERS:
        assert one.json()["phones"] == ["0571-8888 1234"]
        assert one.json()["contacts"][0]["phones"] == ["139 2222 3333"]
        assert leaked(text) == list(SECRETS)
    else:
        assert not {"phones", "contacts", "notes"} & (set(one.json()) | set(rows["ACME"]))
        assert leaked(text) == []


@pytest.mark.parametrize("role", ROLES)
def test_finding_a_customer_by_phone_number_through_the_api(customer, role):
    response = api(role).get("/api/v1/customers/", {"phone": "8888-1234"})
    if role in SEERS:
        assert [row["code"] for row in response.json()["results"]] == ["ACME"]
    else:
        assert response.status_code == 403
        assert "look a customer up by phone number" in response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_customer_pages_by_role(client, customer, role, django_assert_max_num_queries):
    client.force_login(person(role))
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("crm:customer-detail", args=["ACME"]))
    listing = client.get(reverse("crm:customer-list"))
    by_phone = client.get(reverse("crm:customer-list"), {"q": "8888 1234"})
    by_name = client.get(reverse("crm:customer-list"), {"q": "acme"})
    assert detail.status_code == listing.status_code == 200
    html = detail.content.decode() + listing.content.decode()
    assert "Acme Pipes" in html and "Beta Tubes" in html
    assert [c.code for c in by_name.context["page"]] == ["ACME"]
    if role in SEERS:
        assert leaked(html) == list(SECRETS)
        assert [c.code for c in by_phone.context["page"]] == ["ACME"]
    else:
        assert leaked(html) == []
        assert 'data-testid="contacts-confidential"' in html
        assert [c.code for c in by_phone.context["page"]] == []  # digits are not searched


@pytest.mark.parametrize("role", ROLES)
def test_relationship_pages_and_endpoints_are_for_the_roles_serving_customers(
    client, customer, role
):
    client.force_login(person(role))
    expected = 200 if role in SEERS else 403
    assert client.get(reverse("crm:customer-360", args=["ACME"])).status_code == expected
    assert client.get(reverse("crm:customer-search"), {"q": "e"}).status_code == expected
    assert api(role).get("/api/v1/interactions/").status_code == expected


def admin_for(client, role: str):
    user = UserFactory(username=f"staff_{role}", roles=[role], is_staff=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["warehouse", "production", "quality", "admin"])
def test_the_admin_by_role(client, customer, role):
    admin = admin_for(client, role)
    page = admin.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acme Pipes" in html
    found = admin.get(reverse("admin:customers_customer_changelist"), {"q": "8888-1234"})
    codes = [c.code for c in found.context["cl"].result_list]
    if role in SEERS:
        assert leaked(html) == list(SECRETS)
        assert codes == ["ACME"]
    else:
        assert leaked(html) == []
        assert codes == []


def test_the_schema_says_who_sees_contacts(client):
    client.force_login(person("manager"))
    schema = client.get("/api/schema/?format=json").json()
    fields = schema["components"]["schemas"]["Customer"]["properties"]
    for name in ("phones", "contacts", "notes"):
        assert "omitted for everyone else" in fields[name]["description"], name
    parameters = schema["paths"]["/api/v1/customers/"]["get"]["parameters"]
    phone = next(p for p in parameters if p["name"] == "phone")
    assert "403 for others" in phone["description"]
