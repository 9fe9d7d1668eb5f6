"""`/api/v1/invoices/` and `/api/v1/credit-notes/`: 201 with the invoice (decimals as
strings), 400 with field messages, 409 for a quantity already invoiced, the roles, the
Idempotency-Key, cancel and the VAT invoice number, a fixed number of queries."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from customers.models import Customer
from orders.receivables.invoicing import create_invoice
from orders.receivables.models import CreditNote, Invoice
from tests.clock import in_days, iso_in_days, today
from tests.factories import SalesOrderFactory
from tests.orders.receivables.invoicing_support import build_invoicing, counts, invoiced, shipment

D = Decimal
URL = "/api/v1/invoices/"


@pytest.fixture(autouse=True)
def vat_13(settings):
    settings.VAT_RATE = D("0.13")


@pytest.fixture
def f(db, make_user):
    return build_invoicing(make_user)


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def boss(f):
    return client_of(f["manager"])


def body(**kw) -> dict:
    return {
        "customer": "ACME",
        "invoice_date": iso_in_days(-1),
        "lines": [
            {"shipment": "SO-A-SH1", "quantity": "3"},
            {"shipment": "SO-A-SH2", "quantity": "1"},
            {"shipment": "SO-A-SH3", "quantity": 1},
        ],
        **kw,
    }


def test_post_creates_the_invoice(f, boss):
    answer = boss.post(URL, body(vat_invoice_no="VAT-1", notes="March"), format="json")
    assert answer.status_code == 201, answer.data
    data = answer.json()
    assert data["invoice_no"].startswith("INV-")
    assert data["customer"] == "ACME" and data["status"] == "open"
    assert data["invoice_date"] == iso_in_days(-1) and data["due_date"] == iso_in_days(44)
    assert (data["net_amount"], data["tax_amount"], data["gross_amount"]) == (
        "30.11",
        "3.91",
        "34.02",
    )
    assert data["open_amount"] == "34.02" and data["allocated_amount"] == "0.00"
    assert data["vat_rate"] == "0.1300" and data["vat_invoice_no"] == "VAT-1"
    assert data["created_by"] == "boss"
    first = data["lines"][0]
    assert first["shipment"] == "SO-A-SH1" and first["order_no"] == "SO-A"
    assert D(first["quantity"]) == 3 and D(first["unit_price"]) == D("3.335")
    assert first["net_amount"] == "10.01"
    again = boss.get(f"{URL}{data['invoice_no']}/")
    assert again.status_code == 200 and again.json()["gross_amount"] == "34.02"


def test_post_all_shipped(f, boss):
    answer = boss.post(
        URL,
        {"customer": "BETA", "invoice_date": iso_in_days(0), "all_shipped": True},
        format="json",
    )
    assert answer.status_code == 201, answer.data
    assert answer.json()["net_amount"] == "100.00" and answer.json()["gross_amount"] == "113.00"
    assert invoiced(f["sb"]) == 5
    nothing = boss.post(URL, {"customer": "BETA", "all_shipped": True}, format="json")
    assert nothing.status_code == 400
    assert "nothing shipped" in nothing.json()["detail"]


def test_invoicing_twice_is_a_409_and_writes_nothing(f, boss):
    assert boss.post(URL, body(), format="json").status_code == 201
    before = counts()
    answer = boss.post(URL, body(), format="json")
    assert answer.status_code == 409
    assert "already invoiced" in answer.json()["detail"]
    assert "lines" in answer.json()
    assert counts() == before


def test_idempotency_key_applies_a_retry_once(f, boss):
    first = boss.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="inv-1")
    retry = boss.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="inv-1")
    assert first.status_code == retry.status_code == 201
    assert first.json()["invoice_no"] == retry.json()["invoice_no"]
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"customer": None}, "customer", 400),
        ({"customer": "NOPE"}, "customer", 400),
        ({"invoice_date": "31.12.2026"}, "invoice_date", 400),
        ({"lines": [{"shipment": "SO-A-SH1", "quantity": "0"}]}, "lines", 400),
        ({"lines": [{"shipment": "SO-A-SH1", "quantity": "abc"}]}, "lines", 400),
        ({"lines": [{"quantity": "1"}]}, "lines", 400),
        ({"lines": []}, "lines", 400),
        ({"all_shipped": True}, "lines", 400),
        ({"lines": [{"shipment": "NO-SUCH", "quantity": "1"}]}, "lines", 400),
        ({"lines": [{"shipment": "SO-B-SH1", "quantity": "1"}]}, "lines", 400),
        ({"lines": [{"shipment": "SO-A-SH1", "quantity": "4"}]}, "lines", 409),
        ({"vat_invoice_no": "x" * 61}, "vat_invoice_no", 400),
    ],
)
def test_refusals_name_the_field(f, boss, payload, field, status):
    answer = boss.post(URL, body(**payload), format="json")
    assert answer.status_code == status, answer.data
    data = answer.json()
    assert field in data and data["detail"]
    assert counts() == (0, 0)


def test_not_json_object_is_a_400(f, boss):
    assert boss.post(URL, ["x"], format="json").status_code == 400


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "production", "quality"])
def test_other_roles_have_no_access(f, make_user, role):
    client = client_of(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, body(), format="json").status_code == 403
    assert client.get("/api/v1/credit-notes/").status_code == 403


def test_sales_reads_but_does_not_invoice(f):
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    sales = client_of(f["sales"])
    assert sales.get(URL).json()["count"] == 0  # not the salesperson of ACME
    assert sales.get(f"{URL}{invoice.invoice_no}/").status_code == 404
    Customer.objects.filter(code="ACME").update(salesperson=f["sales"])
    assert sales.get(URL).json()["count"] == 1
    assert sales.get(f"{URL}{invoice.invoice_no}/").status_code == 200
    assert sales.post(URL, body(), format="json").status_code == 403
    url = f"{URL}{invoice.invoice_no}/"
    assert sales.post(url + "cancel/", {"reason": "x"}, format="json").status_code == 403
    assert sales.post(url + "vat-invoice-no/", {"vat_invoice_no": "1"}).status_code == 403
    credit = {"invoice": invoice.invoice_no, "reason": "return", "lines": []}
    assert sales.post("/api/v1/credit-notes/", credit, format="json").status_code == 403
    assert client_of(f["manager"]).get(URL).status_code == 200


def test_admin_invoices(f, admin_user):
    assert client_of(admin_user).post(URL, body(), format="json").status_code == 201


def test_list_filters_and_open_amount(f, boss):
    old = create_invoice(
        customer="ACME", invoice_date=in_days(-60), lines=[(f["s1"], "3")], by=f["manager"]
    )  # due 15 days ago
    new = create_invoice(
        customer="BETA", invoice_date=today(), lines=[(f["sb"], "1")], by=f["manager"]
    )

    def numbers(query=""):
        answer = boss.get(URL + query)
        assert answer.status_code == 200, answer.data
        return [row["invoice_no"] for row in answer.json()["results"]]

    assert numbers() == [new.invoice_no, old.invoice_no]
    assert numbers("?customer=ACME") == [old.invoice_no]
    assert numbers("?overdue=true") == [old.invoice_no]
    assert numbers("?open=true") == [new.invoice_no, old.invoice_no]
    assert numbers(f"?date_from={iso_in_days(-1)}") == [new.invoice_no]
    assert numbers(f"?date_to={iso_in_days(-1)}") == [old.invoice_no]
    assert numbers("?status=cancelled") == []
    row = boss.get(URL + "?customer=BETA").json()["results"][0]
    assert row["open_amount"] == "22.60" and "lines" not in row
    assert boss.get(URL + "?date_from=nope").status_code == 400


def test_cancel_and_vat_invoice_no(f, boss):
    invoice = boss.post(URL, body(), format="json").json()
    url = f"{URL}{invoice['invoice_no']}/"
    vat = boss.post(url + "vat-invoice-no/", {"vat_invoice_no": "044001"}, format="json")
    assert vat.status_code == 200 and vat.json()["vat_invoice_no"] == "044001"
    assert vat.json()["updated_by"] == "boss"
    assert boss.post(url + "vat-invoice-no/", {}, format="json").json()["vat_invoice_no"]
    no_reason = boss.post(url + "cancel/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    cancelled = boss.post(url + "cancel/", {"reason": "wrong customer"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert invoiced(f["s1"]) == 0
    twice = boss.post(url + "cancel/", {"reason": "again"}, format="json")
    assert twice.status_code == 409
    assert boss.post(f"{URL}INV-NOPE/cancel/", {"reason": "x"}).status_code == 404


def test_cancel_with_an_allocation_is_a_409(f, boss):
    from orders.receivables.payments import record_payment

    invoice = boss.post(URL, body(), format="json").json()
    record_payment(customer="ACME", date=today(), amount="1.00", by=f["manager"])
    answer = boss.post(f"{URL}{invoice['invoice_no']}/cancel/", {"reason": "x"}, format="json")
    assert answer.status_code == 409 and "allocated" in answer.json()["detail"]


def test_credit_notes_api(f, boss):
    invoice = boss.post(URL, body(), format="json").json()
    payload = {
        "invoice": invoice["invoice_no"],
        "date": iso_in_days(0),
        "reason": "return",
        "lines": [{"shipment": "SO-A-SH1", "quantity": "1"}],
    }
    answer = boss.post("/api/v1/credit-notes/", payload, format="json")
    assert answer.status_code == 201, answer.data
    note = answer.json()
    assert note["credit_note_no"].startswith("CN-") and note["invoice"] == invoice["invoice_no"]
    assert (note["net_amount"], note["tax_amount"], note["gross_amount"]) == (
        "3.34",
        "0.43",
        "3.77",
    )
    assert note["lines"][0]["shipment"] == "SO-A-SH1"
    too_many = {**payload, "lines": [{"shipment": "SO-A-SH1", "quantity": "3"}]}
    refused = boss.post("/api/v1/credit-notes/", too_many, format="json")
    assert refused.status_code == 409 and "lines" in refused.json()
    bad = boss.post("/api/v1/credit-notes/", {**payload, "reason": "gift"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    huge = {"quantity": "99999999999999", "unit_price": "99999999999999", "description": "x"}
    too_large = boss.post(
        "/api/v1/credit-notes/", {**payload, "reason": "other", "lines": [huge]}, format="json"
    )
    assert too_large.status_code == 400 and "too large" in too_large.json()["detail"]
    listed = boss.get(f"/api/v1/credit-notes/?invoice={invoice['invoice_no']}")
    assert [n["credit_note_no"] for n in listed.json()["results"]] == [note["credit_note_no"]]
    one = boss.get(f"/api/v1/credit-notes/{note['credit_note_no']}/")
    assert one.status_code == 200 and one.json()["allocated_amount"] == "3.77"
    assert CreditNote.objects.count() == 1
    detail = boss.get(f"{URL}{invoice['invoice_no']}/").json()
    assert detail["credited"] == "3.77" and D(detail["lines"][0]["returned"]) == 1


def test_list_runs_a_fixed_number_of_queries(f, boss, django_assert_max_num_queries):
    def more(n: int, start: int):
        order = SalesOrderFactory(order_no=f"SO-X{start}", customer=f["acme"])
        for i in range(n):
            sh = shipment(order, line=i + 1, price="2", quantity="1")
            create_invoice(
                customer="ACME", invoice_date=today(), lines=[(sh, "1")], by=f["manager"]
            )

    more(2, 1)
    with django_assert_max_num_queries(10) as few:
        assert boss.get(URL).status_code == 200
        assert boss.get("/api/v1/credit-notes/").status_code == 200
    more(12, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(boss.get(URL).json()["results"]) == 14
        assert boss.get("/api/v1/credit-notes/").status_code == 200
