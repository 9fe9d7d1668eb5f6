"""A customer's credit limit and payment terms (CONTRACT.md section 8): everyone who sees the
customer sees them; only managers and administrators set or change them (API 403, page form
disabled, service refusal); and a billing complaint names one of the customer's invoices."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from crm.models import Complaint
from crm.services.complaints import complaint_open, complaint_update
from crm.services.customers import CreditTermsRefused, customer_update
from customers.models import Customer
from erp.errors import DomainError
from orders.receivables.models import Invoice
from tests.clock import in_days, today
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def acme():
    return CustomerFactory(code="ACME", name="Acme", credit_limit=D("50000"), payment_terms_days=45)


def url(code: str = "ACME") -> str:
    return f"/api/v1/customers/{code}/"


def web(make_user, *roles: str) -> Client:
    client = Client()
    client.force_login(make_user(*roles))
    return client


def test_the_api_shows_credit_terms_to_sales(api_client_for, acme):
    body = api_client_for("sales").get(url()).json()
    assert (body["credit_limit"], body["payment_terms_days"]) == ("50000.00", 45)


def test_sales_may_not_change_credit_terms_through_the_api(api_client_for, acme):
    sales = api_client_for("sales")
    for field, value in (("credit_limit", "90000"), ("payment_terms_days", 90)):
        response = sales.patch(url(), {field: value}, format="json")
        assert response.status_code == 403, response.json()
        assert "Only managers and administrators" in response.json()["detail"]
    acme.refresh_from_db()
    assert (acme.credit_limit, acme.payment_terms_days) == (D("50000"), 45)
    # sending the current values back (a PUT of what was read) is no change
    response = sales.patch(
        url(), {"name": "Acme Ltd", "credit_limit": "50000.00", "payment_terms_days": 45}
    )
    assert response.status_code == 200, response.json()
    # and a new customer of sales starts with the defaults, or is refused other terms
    created = sales.post("/api/v1/customers/", {"code": "NEW", "name": "New"}, format="json")
    assert created.status_code == 201
    assert (created.json()["credit_limit"], created.json()["payment_terms_days"]) == ("0.00", 30)
    refused = sales.post(
        "/api/v1/customers/",
        {"code": "NEW2", "name": "New", "credit_limit": "1000"},
        format="json",
    )
    assert refused.status_code == 403
    assert not Customer.objects.filter(code="NEW2").exists()


def test_a_manager_changes_credit_terms_and_nothing_else(api_client_for, acme):
    manager = api_client_for("manager")
    response = manager.patch(
        url(), {"credit_limit": "80000.50", "payment_terms_days": 60}, format="json"
    )
    assert response.status_code == 200, response.json()
    acme.refresh_from_db()
    assert (acme.credit_limit, acme.payment_terms_days) == (D("80000.50"), 60)
    assert acme.updated_by.username == "manager_user"
    assert manager.patch(url(), {"name": "Renamed"}, format="json").status_code == 403
    admin = api_client_for("admin")
    assert admin.patch(url(), {"credit_limit": "0"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"credit_limit": "-1"}, "credit_limit"),
        ({"credit_limit": "10.005"}, "credit_limit"),
        ({"payment_terms_days": -1}, "payment_terms_days"),
        ({"payment_terms_days": 4000}, "payment_terms_days"),
        ({"payment_terms_days": "soon"}, "payment_terms_days"),
    ],
)
def test_bad_credit_terms_are_a_400_naming_the_field(api_client_for, acme, body, field):
    response = api_client_for("manager").patch(url(), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_the_service_refuses_sales_and_allows_a_manager(make_user, acme):
    with pytest.raises(CreditTermsRefused):
        customer_update(customer=acme, user=make_user("sales"), credit_limit=D("1"))
    with pytest.raises(DomainError, match="negative"):
        customer_update(customer=acme, user=make_user("manager"), credit_limit=D("-1"))
    customer_update(customer=acme, user=make_user("manager"), payment_terms_days=0)
    acme.refresh_from_db()
    assert acme.payment_terms_days == 0


def test_the_customer_page_form_is_disabled_for_sales(make_user, acme):
    page = web(make_user, "sales").get(reverse("crm:customer-detail", args=["ACME"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="credit-terms-locked"' in html
    assert 'name="credit_limit"' in html and "disabled" in html.split('name="credit_limit"')[1][:80]
    post = web(make_user, "sales").post(
        reverse("crm:customer-credit-terms", args=["ACME"]),
        {"credit_limit": "1", "payment_terms_days": "1"},
    )
    assert post.status_code == 403
    acme.refresh_from_db()
    assert acme.credit_limit == D("50000")


def test_a_manager_saves_credit_terms_on_the_customer_page(make_user, acme):
    manager = web(make_user, "manager")
    page = manager.get(reverse("crm:customer-detail", args=["ACME"]))
    assert 'data-testid="save-credit-terms"' in page.content.decode()
    target = reverse("crm:customer-credit-terms", args=["ACME"])
    bad = manager.post(target, {"credit_limit": "-5", "payment_terms_days": "30"})
    assert bad.status_code == 400
    saved = manager.post(target, {"credit_limit": "12345.60", "payment_terms_days": "14"})
    assert saved.status_code == 302
    acme.refresh_from_db()
    assert (acme.credit_limit, acme.payment_terms_days) == (D("12345.60"), 14)


def test_the_customer_list_shows_the_credit_limit(make_user, acme, django_assert_max_num_queries):
    CustomerFactory(code="BETA", name="Beta")
    client = web(make_user, "sales")
    client.get(reverse("crm:customer-list"))  # warm the session
    with django_assert_max_num_queries(12):
        page = client.get(reverse("crm:customer-list"))
    html = page.content.decode()
    assert "50,000" in html or "50000" in html
    assert "no limit" in html


# --- a billing complaint names the invoice ----------------------------------------------


def invoice(customer, number: str = "INV-T-1") -> Invoice:
    return Invoice.objects.create(
        invoice_no=number,
        customer=customer,
        invoice_date=today(),
        due_date=in_days(30),
        vat_rate=D("0.13"),
        net_amount=D("100"),
        tax_amount=D("13"),
        gross_amount=D("113"),
    )


def test_a_billing_complaint_names_one_of_the_customers_invoices(make_user, acme):
    sales = make_user("sales")
    mine, theirs = invoice(acme), invoice(CustomerFactory(code="OTHER"), "INV-T-2")
    args = {"user": sales, "customer": acme, "severity": "low", "description": "Wrong price"}
    case = complaint_open(**args, category="billing", invoice=mine)
    assert case.invoice == mine
    with pytest.raises(DomainError, match="another customer") as refused:
        complaint_open(**args, category="billing", invoice=theirs)
    assert refused.value.field == "invoice"
    with pytest.raises(DomainError, match="Only a billing complaint"):
        complaint_open(**args, category="quality", invoice=mine)
    with pytest.raises(DomainError, match="Only a billing complaint"):
        complaint_update(complaint=case, user=sales, category="quality")
    complaint_update(complaint=case, user=sales, category="quality", invoice=None)
    case.refresh_from_db()
    assert (case.category, case.invoice) == ("quality", None)


def test_the_complaint_api_takes_the_invoice_number(api_client_for, acme):
    invoice(acme)
    invoice(CustomerFactory(code="OTHER"), "INV-T-2")
    client = api_client_for("sales")
    body = {
        "customer": "ACME",
        "category": "billing",
        "severity": "low",
        "description": "Invoice total wrong",
        "invoice": "INV-T-1",
    }
    created = client.post("/api/v1/complaints/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["invoice"] == "INV-T-1"
    wrong = client.post("/api/v1/complaints/", {**body, "invoice": "INV-T-2"}, format="json")
    assert wrong.status_code == 400 and "invoice" in wrong.json()
    unknown = client.post("/api/v1/complaints/", {**body, "invoice": "NOPE"}, format="json")
    assert unknown.status_code == 400 and "invoice" in unknown.json()
    number = created.json()["number"]
    changed = client.patch(f"/api/v1/complaints/{number}/", {"invoice": None}, format="json")
    assert changed.status_code == 200 and changed.json()["invoice"] is None


def test_the_complaint_form_checks_the_invoice_and_the_page_shows_it(make_user, acme):
    invoice(acme)
    invoice(CustomerFactory(code="OTHER"), "INV-T-2")
    client = web(make_user, "sales")
    form = {
        "customer": "ACME",
        "category": "billing",
        "severity": "low",
        "description": "Total wrong",
    }
    wrong = client.post(reverse("crm:complaint-create"), {**form, "invoice": "INV-T-2"})
    assert wrong.status_code == 200 and "belongs to another customer" in wrong.content.decode()
    not_billing = client.post(
        reverse("crm:complaint-create"), {**form, "category": "quality", "invoice": "INV-T-1"}
    )
    assert "Only a billing complaint" in not_billing.content.decode()
    assert not Complaint.objects.exists()
    done = client.post(reverse("crm:complaint-create"), {**form, "invoice": "INV-T-1"})
    assert done.status_code == 302
    case = Complaint.objects.get()
    assert case.invoice.invoice_no == "INV-T-1"
    page = client.get(reverse("crm:complaint-detail", args=[case.number])).content.decode()
    assert 'data-testid="complaint-invoice"' in page and "INV-T-1" in page
    assert 'href="/orders/invoices/INV-T-1/"' in page  # the invoice's own page
