"""Invoice pages: the list (filters, my customers for sales, a fixed number of queries),
the printable invoice, a new invoice from ticked shipments or everything shipped,
cancelling, the VAT invoice number, credit notes; who may open what."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from orders.receivables.invoicing import create_credit_note, create_invoice
from orders.receivables.models import CreditNote, Invoice, InvoiceStatus
from tests.clock import in_days, today
from tests.factories import SalesOrderFactory
from tests.orders.receivables.invoicing_support import build_invoicing, invoiced, shipment

D = Decimal


@pytest.fixture(autouse=True)
def vat_13(settings):
    settings.VAT_RATE = D("0.13")


@pytest.fixture
def f(db, make_user):
    return build_invoicing(make_user)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def boss(f):
    return client_of(f["manager"])


def make_invoice(f, *lines, customer="ACME", on=None):
    return create_invoice(
        customer=customer,
        invoice_date=on or today(),
        lines=list(lines) or [(f["s1"], "3")],
        by=f["manager"],
    )


def test_list_shows_invoices_with_filters(f, boss):
    old = make_invoice(f, on=in_days(-60))
    new = make_invoice(f, (f["sb"], "5"), customer="BETA")
    page = boss.get(reverse("orders:invoice-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert old.invoice_no in text and new.invoice_no in text and "113.00" in text
    assert "overdue" in text
    overdue = boss.get(reverse("orders:invoice-list"), {"overdue": "on"}).content.decode()
    assert old.invoice_no in overdue and new.invoice_no not in overdue
    beta = boss.get(reverse("orders:invoice-list"), {"customer": "beta"}).content.decode()
    assert new.invoice_no in beta and old.invoice_no not in beta
    bad = boss.get(reverse("orders:invoice-list"), {"date_from": "nope", "status": "x"})
    assert bad.status_code == 200


def test_sales_sees_its_own_customers_invoices(f):
    f["acme"].salesperson = f["sales"]
    f["acme"].save()
    mine = make_invoice(f)
    other = make_invoice(f, (f["sb"], "5"), customer="BETA")
    sales = client_of(f["sales"])
    text = sales.get(reverse("orders:invoice-list")).content.decode()
    assert mine.invoice_no in text and other.invoice_no not in text
    assert "New invoice" not in text
    detail = sales.get(reverse("orders:invoice-detail", args=[mine.invoice_no]))
    assert detail.status_code == 200 and b"cancel-form" not in detail.content
    assert sales.get(reverse("orders:invoice-create")).status_code == 403
    url = reverse("orders:invoice-cancel", args=[mine.invoice_no])
    assert sales.post(url, {"reason": "x"}).status_code == 403
    assert (
        sales.get(reverse("orders:credit-note-create", args=[mine.invoice_no])).status_code == 403
    )


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "production", "quality"])
def test_other_roles_get_403(f, make_user, role):
    invoice = make_invoice(f)
    client = client_of(make_user(role))
    for url in (
        reverse("orders:invoice-list"),
        reverse("orders:invoice-detail", args=[invoice.invoice_no]),
        reverse("orders:invoice-create"),
        reverse("orders:credit-note-list"),
    ):
        assert client.get(url).status_code == 403, url


def test_list_page_runs_a_fixed_number_of_queries(f, boss, django_assert_max_num_queries):
    def more(n: int, start: int):
        order = SalesOrderFactory(order_no=f"SO-P{start}", customer=f["acme"])
        for i in range(n):
            make_invoice(f, (shipment(order, line=i + 1, price="2", quantity="1"), "1"))

    more(2, 1)
    with django_assert_max_num_queries(20) as few:
        assert boss.get(reverse("orders:invoice-list")).status_code == 200
        assert boss.get(reverse("orders:credit-note-list")).status_code == 200
    more(15, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert boss.get(reverse("orders:invoice-list")).status_code == 200
        assert boss.get(reverse("orders:credit-note-list")).status_code == 200


def test_printable_invoice(f, boss):
    invoice = make_invoice(f, (f["s1"], "3"), (f["s2"], "1"), (f["s3"], "1"))
    page = boss.get(reverse("orders:invoice-detail", args=[invoice.invoice_no]))
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("invoice-sheet", "data-print", "SO-A-SH1", "SO-A", "30.11", "3.91", "34.02"):
        assert part in text, part
    assert "VAT 13%" in text and invoice.due_date.isoformat() in text
    assert boss.get(reverse("orders:invoice-detail", args=["INV-NOPE"])).status_code == 404


def test_new_invoice_from_ticked_shipments(f, boss):
    url = reverse("orders:invoice-create")
    start = boss.get(url)
    assert start.status_code == 200 and b"ACME" in start.content and b"BETA" in start.content
    page = boss.get(url, {"customer": "ACME"})
    assert (
        page.status_code == 200 and b"SO-A-SH1" in page.content and b"SO-B-SH1" not in page.content
    )
    s1, s2 = f["s1"], f["s2"]
    answer = boss.post(
        url,
        {
            "customer": "ACME",
            "invoice_date": today().isoformat(),
            "ship": [s1.number, s2.number],
            f"qty-{s1.pk}": "2",
            f"qty-{s2.pk}": "",
            f"qty-{f['s3'].pk}": "1",  # typed but not ticked: not invoiced
        },
    )
    invoice = Invoice.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("orders:invoice-detail", args=[invoice.invoice_no])
    assert (invoiced(s1), invoiced(s2), invoiced(f["s3"])) == (2, 1, 0)
    assert invoice.created_by == f["manager"]


def test_new_invoice_refusals_are_shown(f, boss):
    url = reverse("orders:invoice-create")
    s1 = f["s1"]
    post = {"customer": "ACME", "invoice_date": today().isoformat(), "ship": [s1.number]}
    nothing = boss.post(url, {"customer": "ACME", "invoice_date": today().isoformat()})
    assert b"Tick at least one shipment" in nothing.content
    bad = boss.post(url, {**post, f"qty-{s1.pk}": "x"})
    assert bad.status_code == 200 and b"Not a number" in bad.content
    too_much = boss.post(url, {**post, f"qty-{s1.pk}": "4"})
    assert b"already invoiced" in too_much.content and not Invoice.objects.exists()
    unknown = boss.get(url, {"customer": "NOPE"})
    assert b"There is no customer NOPE" in unknown.content


def test_invoice_everything_shipped(f, boss):
    answer = boss.post(
        reverse("orders:invoice-create"),
        {"customer": "ACME", "invoice_date": today().isoformat(), "all_shipped": "1"},
    )
    assert answer.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.lines.count() == 3 and invoice.gross_amount == D("34.02")
    assert invoiced(f["sb"]) == 0


def test_cancel_and_vat_number_from_the_page(f, boss):
    invoice = make_invoice(f)
    detail = reverse("orders:invoice-detail", args=[invoice.invoice_no])
    vat = boss.post(
        reverse("orders:invoice-vat-invoice-no", args=[invoice.invoice_no]),
        {"vat_invoice_no": "04400123"},
    )
    assert vat.status_code == 302 and vat.url == detail
    invoice.refresh_from_db()
    assert invoice.vat_invoice_no == "04400123"
    cancel_url = reverse("orders:invoice-cancel", args=[invoice.invoice_no])
    empty = boss.post(cancel_url, {"reason": ""})
    assert empty.status_code == 200 and b"cancel-form" in empty.content
    done = boss.post(cancel_url, {"reason": "wrong price"})
    assert done.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED and invoiced(f["s1"]) == 0
    page = boss.get(detail).content.decode()
    assert "wrong price" in page and "cancel-form" not in page
    again = boss.post(cancel_url, {"reason": "again"})
    assert b"already cancelled" in again.content
    assert boss.get(cancel_url).status_code == 405


def test_credit_note_from_the_invoice(f, boss):
    invoice = make_invoice(f, (f["s1"], "3"), (f["s2"], "1"))
    lines = list(invoice.lines.order_by("pk"))
    url = reverse("orders:credit-note-create", args=[invoice.invoice_no])
    assert boss.get(url).status_code == 200
    answer = boss.post(
        url,
        {
            "date": today().isoformat(),
            "reason": "return",
            f"qty-{lines[0].pk}": "1",
            f"price-{lines[0].pk}": "",
        },
    )
    note = CreditNote.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("orders:credit-note-detail", args=[note.credit_note_no])
    assert note.gross_amount == D("3.77")
    sheet = boss.get(answer.url)
    assert sheet.status_code == 200 and b"3.77" in sheet.content and b"data-print" in sheet.content
    too_much = boss.post(
        url, {"date": today().isoformat(), "reason": "return", f"qty-{lines[0].pk}": "3"}
    )
    assert b"already credited as returned" in too_much.content
    amount = boss.post(
        url,
        {
            "date": today().isoformat(),
            "reason": "other",
            "extra-amount": "5",
            "extra-description": "",
        },
    )
    assert b"Say what the amount is for" in amount.content
    assert CreditNote.objects.count() == 1
    listed = boss.get(reverse("orders:credit-note-list")).content.decode()
    assert note.credit_note_no in listed
    detail = boss.get(reverse("orders:invoice-detail", args=[invoice.invoice_no])).content.decode()
    assert note.credit_note_no in detail and "1 returned" in detail


def test_menu_shows_invoices_to_sales_and_managers(f, make_user):
    for user, shown in ((f["manager"], True), (f["sales"], True), (make_user("warehouse"), False)):
        home = client_of(user).get("/").content.decode()
        assert (reverse("orders:invoice-list") in home) is shown


def test_admin_is_read_only(f, admin_user):
    invoice = make_invoice(f)
    create_credit_note(
        invoice=invoice, date=today(), reason="return", lines=[(f["s1"].number, "1")], by=None
    )
    client = client_of(admin_user)
    assert client.get("/admin/orders/invoice/").status_code == 200
    assert client.get(f"/admin/orders/invoice/{invoice.pk}/change/").status_code == 200
    assert client.get("/admin/orders/invoice/add/").status_code == 403
    assert client.get("/admin/orders/creditnote/").status_code == 200
