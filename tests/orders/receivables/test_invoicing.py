"""Invoices (销售发票) from shipments, CONTRACT.md section 8: line net half up, tax once per
invoice, due date from the payment terms, a shipment quantity invoiced at most once,
cancelling, the VAT invoice number, and the customer's unallocated credit used at once."""

from decimal import Decimal

import pytest

from erp.errors import ConflictError, DomainError
from orders.receivables.invoicing import (
    InvoiceLimitExceeded,
    InvoiceStateError,
    cancel_invoice,
    create_invoice,
    invoice_all_shipped,
    set_vat_invoice_no,
)
from orders.receivables.models import InvoiceStatus
from orders.receivables.payments import record_payment
from tests.clock import in_days, today
from tests.orders.receivables.invoicing_support import build_invoicing, counts, invoiced

D = Decimal


@pytest.fixture(autouse=True)
def vat_13(settings):
    settings.VAT_RATE = D("0.13")


@pytest.fixture
def f(db, make_user):
    return build_invoicing(make_user)


def test_line_net_half_up_and_tax_once_per_invoice(f):
    invoice = create_invoice(
        customer="ACME",
        invoice_date=today(),
        lines=[(f["s1"], "3"), (f["s2"].number, D("1")), (f["s3"].number, 1)],
        by=f["manager"],
    )
    lines = list(invoice.lines.order_by("pk"))
    # 3 x 3.335 = 10.005 -> 10.01 (half up, not half even)
    assert [ln.net_amount for ln in lines] == [D("10.01"), D("10.05"), D("10.05")]
    assert [ln.unit_price for ln in lines] == [D("3.335"), D("10.05"), D("10.05")]
    assert invoice.net_amount == D("30.11")
    # 30.11 x 0.13 = 3.9143 -> 3.91 once; per line it would be 1.30 + 1.31 + 1.31 = 3.92
    assert invoice.tax_amount == D("3.91")
    assert invoice.gross_amount == D("34.02")
    assert invoice.vat_rate == D("0.13")
    assert invoice.status == InvoiceStatus.OPEN and invoice.allocated_amount == 0
    assert invoice.invoice_no.startswith(f"INV-{today().year}-")
    assert invoice.created_by == f["manager"]
    assert [invoiced(f[k]) for k in ("s1", "s2", "s3")] == [D("3"), D("1"), D("1")]


def test_tax_half_up_at_the_cent(f, settings):
    settings.VAT_RATE = D("0.10")
    # 0.05 x 0.10 = 0.005 -> 0.01
    f["s2"].order_line.unit_price = D("0.05")
    f["s2"].order_line.save()
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s2"], "1")], by=f["manager"]
    )
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (
        D("0.05"),
        D("0.01"),
        D("0.06"),
    )
    assert invoice.vat_rate == D("0.10")


def test_due_date_from_the_customers_payment_terms(f):
    on = in_days(-3)
    invoice = create_invoice(
        customer=f["acme"], invoice_date=on, lines=[(f["s1"], "1")], by=f["manager"]
    )
    assert invoice.invoice_date == on
    assert invoice.due_date == in_days(42)  # 45 days' terms
    other = create_invoice(
        customer="BETA", invoice_date=on, lines=[(f["sb"], "1")], by=f["manager"]
    )
    assert other.due_date == in_days(27)


def test_invoicing_the_same_quantity_twice_is_refused_and_writes_nothing(f):
    create_invoice(customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"])
    before = counts()
    with pytest.raises(InvoiceLimitExceeded) as refused:
        create_invoice(
            customer="ACME",
            invoice_date=today(),
            lines=[(f["s2"], "1"), (f["s1"], "3")],
            by=f["manager"],
        )
    assert isinstance(refused.value, ConflictError) and refused.value.status_code == 409
    message = refused.value.message
    assert f["s1"].number in message and "3 pcs already invoiced" in message
    assert "0 pcs left to invoice" in message
    assert counts() == before
    assert invoiced(f["s2"]) == 0  # the good line of the refused invoice is not kept


def test_partial_quantity_then_the_rest(f):
    first = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "1")], by=f["manager"]
    )
    assert first.net_amount == D("3.34")  # 3.335 -> 3.34
    assert invoiced(f["s1"]) == 1
    with pytest.raises(InvoiceLimitExceeded, match="2 pcs left to invoice; 3 pcs asked"):
        create_invoice(
            customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
        )
    rest = invoice_all_shipped(customer="ACME", invoice_date=today(), by=f["manager"])
    assert sorted((ln.shipment.number, ln.quantity) for ln in rest.lines.all()) == [
        (f["s1"].number, D("2")),
        (f["s2"].number, D("1")),
        (f["s3"].number, D("1")),
    ]
    assert invoiced(f["s1"]) == 3
    assert invoiced(f["sb"]) == 0  # another customer's shipment is not touched
    with pytest.raises(DomainError, match="nothing shipped that is not invoiced"):
        invoice_all_shipped(customer="ACME", invoice_date=today(), by=f["manager"])


def test_the_same_shipment_twice_in_one_invoice_is_added_up(f):
    invoice = create_invoice(
        customer="ACME",
        invoice_date=today(),
        lines=[(f["s1"], "1"), (f["s1"], "2")],
        by=f["manager"],
    )
    assert [(ln.quantity, ln.net_amount) for ln in invoice.lines.all()] == [(D("3"), D("10.01"))]


def test_another_customers_shipment_is_refused(f):
    before = counts()
    with pytest.raises(DomainError, match="of another customer") as refused:
        create_invoice(
            customer="ACME",
            invoice_date=today(),
            lines=[(f["s1"], "1"), (f["sb"], "1")],
            by=f["manager"],
        )
    assert refused.value.status_code == 400 and refused.value.field == "lines"
    assert counts() == before and invoiced(f["s1"]) == 0


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"customer": "NOPE"}, "customer", "no customer NOPE"),
        ({"lines": [("NO-SUCH", "1")]}, "lines", "no shipment NO-SUCH"),
        ({"lines": [("SO-A-SH1", "0")]}, "lines", "greater than 0"),
        ({"lines": [("SO-A-SH1", "-1")]}, "lines", "greater than 0"),
        ({"lines": [("SO-A-SH1", "abc")]}, "lines", "must be a number"),
        ({"lines": [("SO-A-SH1", "NaN")]}, "lines", "greater than 0"),
        ({"lines": [("SO-A-SH1", "0.0000001")]}, "lines", "more than 6 decimals"),
        ({"lines": [("SO-A-SH1", "0.5")]}, "lines", "decimals"),  # items in pcs
        ({"lines": []}, "lines", "Give the shipments"),
        ({"lines": [("SO-A-SH1", "1")], "all_shipped": True}, "lines", "not both"),
        ({"invoice_date": "2026-01-01"}, "invoice_date", "must be a date"),
        ({"vat_invoice_no": "x" * 61}, "vat_invoice_no", "more than 60"),
    ],
)
def test_bad_input_is_refused_with_its_field(f, kwargs, field, message):
    args = {
        "customer": "ACME",
        "invoice_date": today(),
        "lines": [("SO-A-SH1", "1")],
        "by": f["manager"],
        **kwargs,
    }
    before = counts()
    with pytest.raises(DomainError, match=message) as refused:
        create_invoice(**args)
    assert refused.value.field == field
    assert counts() == before


def test_unallocated_credit_pays_the_new_invoice_at_once(f):
    record_payment(customer="ACME", date=in_days(-5), amount="20.00", by=f["manager"])
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    # gross 10.01 + 1.30 = 11.31, paid by the payment waiting as credit
    assert invoice.gross_amount == D("11.31")
    assert invoice.allocated_amount == D("11.31")
    assert invoice.status == InvoiceStatus.PAID
    second = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s2"], "1")], by=f["manager"]
    )
    assert second.allocated_amount == D("8.69") and second.open_amount == D("2.67")


def test_cancel_without_allocations_releases_the_quantities(f):
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "2")], by=f["manager"]
    )
    with pytest.raises(DomainError, match="Say why"):
        cancel_invoice(invoice=invoice, reason="  ", by=f["manager"])
    cancelled = cancel_invoice(invoice=invoice.invoice_no, reason="wrong price", by=f["manager"])
    assert cancelled.status == InvoiceStatus.CANCELLED
    assert cancelled.cancel_reason == "wrong price" and cancelled.cancelled_by == f["manager"]
    assert cancelled.cancelled_at is not None
    assert invoiced(f["s1"]) == 0
    again = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    assert again.invoice_no != invoice.invoice_no
    with pytest.raises(InvoiceStateError, match="already cancelled"):
        cancel_invoice(invoice=invoice, reason="again", by=f["manager"])
    with pytest.raises(InvoiceStateError, match="cancelled"):
        set_vat_invoice_no(invoice=invoice, vat_invoice_no="123", by=f["manager"])


def test_cancel_with_an_allocation_is_refused(f):
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    record_payment(customer="ACME", date=today(), amount="5.00", by=f["manager"])
    with pytest.raises(InvoiceStateError, match="5 of payments or credit notes") as refused:
        cancel_invoice(invoice=invoice, reason="wrong", by=f["manager"])
    assert refused.value.status_code == 409
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoiced(f["s1"]) == 3


def test_vat_invoice_number_is_recorded_with_who_and_when(f, make_user):
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s1"], "3")], by=f["manager"]
    )
    admin = make_user("admin", username="accountant")
    recorded = set_vat_invoice_no(invoice=invoice, vat_invoice_no=" 0441 2345 ", by=admin)
    assert recorded.vat_invoice_no == "0441 2345"
    assert recorded.updated_by == admin and recorded.updated_at >= invoice.updated_at
    with pytest.raises(DomainError, match="Enter the VAT invoice number"):
        set_vat_invoice_no(invoice=invoice, vat_invoice_no="", by=admin)
    with pytest.raises(DomainError, match="no invoice"):
        set_vat_invoice_no(invoice="INV-NOPE", vat_invoice_no="1", by=admin)


def test_a_free_shipment_makes_a_paid_invoice_of_zero(f):
    f["s2"].order_line.unit_price = D("0")
    f["s2"].order_line.save()
    invoice = create_invoice(
        customer="ACME", invoice_date=today(), lines=[(f["s2"], "1")], by=f["manager"]
    )
    assert invoice.gross_amount == 0 and invoice.status == InvoiceStatus.PAID
