"""Customer upkeep in the web UI: sales creates its own customers and keeps them (contacts
with birthday, preferences and numbers), managers keep every customer and alone set the
salesperson, key-customer flag and credit terms; others are refused; bad input is a form
error and writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from customers.models import Contact, Customer, CustomerPhone
from customers.services import contact_create, contact_update
from erp.errors import DomainError
from tests.clock import today
from tests.factories import CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li")


@pytest.fixture
def boss(make_user):
    return make_user("manager", username="boss")


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


NEW = {
    "code": "ACME",
    "name": "Acme Pipes",
    "industry": "HVAC",
    "region": "East",
    "is_active": "on",
    "notes": "Calls after 10",
    "phones": "021-5555 0001\n138 0000 1111",
}


def test_sales_creates_its_own_customer(seller):
    response = web(seller).post(reverse("customers:customer-create"), NEW)
    assert response.status_code == 302, response.content.decode()[:2000]
    acme = Customer.objects.get(code="ACME")
    assert acme.salesperson == seller and acme.created_by == seller
    assert (acme.name, acme.region, acme.notes) == ("Acme Pipes", "East", "Calls after 10")
    assert list(acme.phones.values_list("number", flat=True)) == ["021-5555 0001", "138 0000 1111"]
    assert response["Location"] == reverse("crm:customer-detail", args=["ACME"])


def test_sales_cannot_set_terms_or_salesperson(seller, boss):
    data = {**NEW, "credit_limit": "99999", "payment_terms_days": "90", "salesperson": boss.pk}
    web(seller).post(reverse("customers:customer-create"), data)
    acme = Customer.objects.get(code="ACME")
    assert (acme.credit_limit, acme.payment_terms_days, acme.salesperson) == (0, 30, seller)
    page = web(seller).get(reverse("customers:customer-create")).content.decode()
    assert 'name="credit_limit"' not in page and 'data-testid="terms-by-manager"' in page


def test_manager_sets_everything(boss, seller):
    data = {
        **NEW,
        "salesperson": seller.pk,
        "key_account": "on",
        "credit_limit": "50000",
        "payment_terms_days": "45",
    }
    response = web(boss).post(reverse("customers:customer-create"), data)
    assert response.status_code == 302
    acme = Customer.objects.get(code="ACME")
    assert (acme.salesperson, acme.key_account) == (seller, True)
    assert (acme.credit_limit, acme.payment_terms_days) == (Decimal("50000"), 45)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": ""}, "code"),
        ({"name": ""}, "name"),
        ({"phones": "no digits here"}, "phones"),
        ({"phones": "\n".join(f"1380000{n:04d}" for n in range(21))}, "phones"),
    ],
)
def test_bad_customer_input_is_a_form_error(seller, change, field):
    response = web(seller).post(reverse("customers:customer-create"), {**NEW, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Customer.objects.exists()


def test_a_taken_code_is_a_form_error(seller):
    CustomerFactory(code="ACME")
    response = web(seller).post(reverse("customers:customer-create"), NEW)
    assert response.status_code == 400 and response.context["form"].errors
    assert Customer.objects.count() == 1


def test_sales_edits_only_its_own_customers(seller, make_user):
    mine = CustomerFactory(code="MINE", salesperson=seller)
    CustomerPhoneFactory(customer=mine, number="021-1")
    theirs = CustomerFactory(code="THEIRS", salesperson=make_user("sales", username="wu"))
    client = web(seller)
    response = client.post(
        reverse("customers:customer-edit", args=["MINE"]),
        {"name": "Mine Ltd", "is_active": "on", "phones": "021-2"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "Mine Ltd" and mine.updated_by == seller
    assert list(mine.phones.values_list("number", flat=True)) == ["021-2"]
    assert client.get(reverse("customers:customer-edit", args=["THEIRS"])).status_code == 403
    assert (
        client.post(reverse("customers:contact-create", args=["THEIRS"]), {"name": "X"}).status_code
        == 403
    )
    assert not theirs.contacts.exists()


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "production", "quality"])
def test_other_roles_are_refused(make_user, role):
    CustomerFactory(code="ACME")
    client = web(make_user(role))
    for url in (
        reverse("customers:customer-create"),
        reverse("customers:customer-edit", args=["ACME"]),
        reverse("customers:contact-create", args=["ACME"]),
        reverse("customers:birthday-list"),
    ):
        assert client.get(url).status_code == 403, url


def test_manager_edits_any_customer_and_its_terms(boss):
    CustomerFactory(code="ACME", name="Acme")
    response = web(boss).post(
        reverse("customers:customer-edit", args=["ACME"]),
        {"name": "Acme", "is_active": "on", "credit_limit": "1000", "payment_terms_days": "60"},
    )
    assert response.status_code == 302
    assert Customer.objects.get().payment_terms_days == 60


def test_contact_with_birthday_preferences_and_phones(seller):
    CustomerFactory(code="ACME", salesperson=seller)
    birthday = dt.date(1980, today().month, today().day)  # 1980 had a 29 February
    response = web(seller).post(
        reverse("customers:contact-create", args=["ACME"]),
        {
            "name": "Wang Li",
            "title": "Buyer",
            "email": "wang@example.com",
            "birthday": birthday.isoformat(),
            "notes": "Green tea, no calls at lunch",
            "phones": "139 1234 5678",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    wang = Contact.objects.get()
    assert (wang.birthday, wang.notes, wang.created_by) == (
        birthday,
        "Green tea, no calls at lunch",
        seller,
    )
    phone = CustomerPhone.objects.get()
    assert (phone.contact, phone.customer.code, phone.digits) == (wang, "ACME", "13912345678")
    # edit: numbers replaced, then removed with the contact
    response = web(seller).post(
        reverse("customers:contact-edit", args=[wang.pk]),
        {"name": "Wang Li", "phones": "139 0000 0000"},
    )
    assert response.status_code == 302
    assert list(CustomerPhone.objects.values_list("number", flat=True)) == ["139 0000 0000"]
    response = web(seller).post(reverse("customers:contact-delete", args=[wang.pk]))
    assert response.status_code == 302
    assert not Contact.objects.exists() and not CustomerPhone.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"birthday": "2999-01-01"}, "birthday"),
        ({"birthday": "1800-01-01"}, "birthday"),
        ({"birthday": "31/31/1980"}, "birthday"),
        ({"phones": "abc"}, "phones"),
    ],
)
def test_bad_contact_input(seller, change, field):
    CustomerFactory(code="ACME", salesperson=seller)
    data = {"name": "Wang", **change}
    response = web(seller).post(reverse("customers:contact-create", args=["ACME"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Contact.objects.exists()


def test_contact_services_refuse_the_future(seller):
    acme = CustomerFactory()
    with pytest.raises(DomainError) as refusal:
        contact_create(
            user=seller, customer=acme, name="X", birthday=today() + dt.timedelta(days=1)
        )
    assert refusal.value.field == "birthday"
    wang = contact_create(user=seller, customer=acme, name="Wang", phones=["1"])
    with pytest.raises(DomainError):
        contact_update(contact=wang, user=seller, name="  ")
    with pytest.raises(DomainError):
        contact_update(contact=wang, user=seller, colour="red")


def test_the_detail_page_offers_upkeep_to_those_who_may(seller, make_user):
    CustomerFactory(code="MINE", salesperson=seller)
    CustomerFactory(code="THEIRS")
    page = web(seller).get(reverse("crm:customer-detail", args=["MINE"])).content.decode()
    assert reverse("customers:customer-edit", args=["MINE"]) in page
    assert reverse("customers:contact-create", args=["MINE"]) in page
    page = web(seller).get(reverse("crm:customer-detail", args=["THEIRS"])).content.decode()
    assert reverse("customers:customer-edit", args=["THEIRS"]) not in page
    page = web(make_user("warehouse")).get(reverse("crm:customer-detail", args=["MINE"]))
    assert reverse("customers:customer-edit", args=["MINE"]) not in page.content.decode()
