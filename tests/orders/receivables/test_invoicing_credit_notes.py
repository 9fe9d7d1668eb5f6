"""Credit notes (红字发票) on an invoice: returns up to what was invoiced minus earlier
returns, price corrections, the invoice's VAT rate and the same rounding, never more than
the invoice's gross minus earlier credit notes, the credit allocated like a payment."""

from decimal import Decimal

import pytest

from erp.errors import DomainError
from orders.receivables.invoicing import (
    CreditLineInput,
    CreditNoteLimitExceeded,
    InvoiceStateError,
    cancel_invoice,
    create_credit_note,
    create_invoice,
)
from orders.receivables.models import CreditNote, InvoiceStatus
from tests.clock import in_days, today
from tests.orders.receivables.invoicing_support import build_invoicing

D = Decimal


@pytest.fixture(autouse=True)
def vat_13(settings):
    settings.VAT_RATE = D("0.13")


@pytest.fixture
def f(db, make_user):
    data = build_invoicing(make_user)
    data["invoice"] = create_invoice(
        customer="ACME",
        invoice_date=in_days(-5),
        lines=[(data["s1"], "3"), (data["s2"], "1"), (data["s3"], "1")],
        by=data["manager"],
    )  # net 30.11, tax 3.91, gross 34.02
    data["lines"] = list(data["invoice"].lines.order_by("pk"))
    return data


def test_a_return_at_the_invoiced_price_with_the_invoices_vat_rate(f, settings):
    settings.VAT_RATE = D("0.09")  # the rate changed since: the invoice's rate applies
    s1_line, s2_line, _s3 = f["lines"]
    note = create_credit_note(
        invoice=f["invoice"],
        date=today(),
        reason="return",
        lines=[(s1_line, "1", None), CreditLineInput(s2_line.shipment.number, D("1"))],
        by=f["manager"],
    )
    assert note.credit_note_no.startswith(f"CN-{today().year}-")
    assert [ln.net_amount for ln in note.lines.order_by("pk")] == [D("3.34"), D("10.05")]
    assert note.vat_rate == D("0.13")
    assert note.net_amount == D("13.39")
    assert note.tax_amount == D("1.74")  # 13.39 x 0.13 = 1.7407
    assert note.gross_amount == D("15.13")
    assert note.customer == f["acme"] and note.created_by == f["manager"]
    # the credit is allocated like a payment: to the open invoice
    assert note.allocated_amount == D("15.13")
    f["invoice"].refresh_from_db()
    assert f["invoice"].allocated_amount == D("15.13")


def test_returns_are_limited_to_what_was_invoiced_minus_earlier_returns(f):
    s1_line = f["lines"][0]
    create_credit_note(
        invoice=f["invoice"], date=today(), reason="return", lines=[(s1_line, "2")], by=f["manager"]
    )
    before = CreditNote.objects.count()
    with pytest.raises(CreditNoteLimitExceeded, match="2 pcs already credited") as refused:
        create_credit_note(
            invoice=f["invoice"],
            date=today(),
            reason="return",
            lines=[(s1_line, "1"), (s1_line, "1")],
            by=f["manager"],
        )
    assert refused.value.status_code == 409
    assert "1 pcs left; 2 pcs asked" in refused.value.message
    assert CreditNote.objects.count() == before
    create_credit_note(
        invoice=f["invoice"], date=today(), reason="return", lines=[(s1_line, "1")], by=f["manager"]
    )


def test_price_correction_is_quantity_times_the_difference(f):
    _s1, s2_line, s3_line = f["lines"]
    note = create_credit_note(
        invoice=f["invoice"].invoice_no,
        date=today(),
        reason="price",
        lines=[(s2_line, "1", "0.005"), (s3_line, "1", "1.00")],
        by=f["manager"],
    )
    assert [ln.net_amount for ln in note.lines.order_by("pk")] == [D("0.01"), D("1.00")]
    assert (note.net_amount, note.tax_amount, note.gross_amount) == (
        D("1.01"),
        D("0.13"),
        D("1.14"),
    )
    with pytest.raises(DomainError, match="price difference"):
        create_credit_note(
            invoice=f["invoice"], date=today(), reason="price", lines=[(s2_line, "1")], by=None
        )
    with pytest.raises(DomainError, match="above the invoiced price"):
        create_credit_note(
            invoice=f["invoice"],
            date=today(),
            reason="price",
            lines=[(s2_line, "1", "10.06")],
            by=None,
        )


def test_all_credit_notes_never_exceed_the_invoice_gross(f):
    first = create_credit_note(
        invoice=f["invoice"],
        date=today(),
        reason="other",
        lines=[CreditLineInput(None, D("1"), D("20.00"), "goodwill")],
        by=f["manager"],
    )
    assert first.gross_amount == D("22.60")
    # 34.02 - 22.60 = 11.42 left: 10.11 net + 1.31 tax = 11.42 passes, 10.12 does not
    with pytest.raises(CreditNoteLimitExceeded, match="11.42 left to credit; this note is 11.44"):
        create_credit_note(
            invoice=f["invoice"],
            date=today(),
            reason="other",
            lines=[(None, "1", "10.12", "more goodwill")],
            by=f["manager"],
        )
    last = create_credit_note(
        invoice=f["invoice"],
        date=today(),
        reason="other",
        lines=[(None, "1", "10.11", "more goodwill")],
        by=f["manager"],
    )
    assert last.gross_amount == D("11.42")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": "gift"}, "reason", "reason must be one of"),
        ({"lines": []}, "lines", "at least one line"),
        ({"lines": [(None, "1", "5")]}, "lines", "a return names the invoice line"),
        ({"reason": "other", "lines": [(None, "1", "5")]}, "lines", "say what an amount"),
        ({"lines": [("NO-SUCH", "1")]}, "lines", "no line NO-SUCH"),
        ({"lines": [(999999, "1")]}, "lines", "no line 999999"),
        ({"lines": [("SO-A-SH1", "0")]}, "lines", "greater than 0"),
        ({"lines": [("SO-A-SH1", "1", "-1")]}, "lines", "unit price must be greater than 0"),
        ({"lines": [("SO-A-SH1", "1", "0.001")]}, "lines", "rounds to 0.00"),
        ({"date": in_days(-6)}, "date", "before the invoice's date"),
        ({"invoice": "INV-NOPE"}, "invoice", "no invoice INV-NOPE"),
    ],
)
def test_bad_credit_notes_are_refused_with_their_field(f, kwargs, field, message):
    args = {
        "invoice": f["invoice"],
        "date": today(),
        "reason": "return",
        "lines": [("SO-A-SH1", "1")],
        "by": f["manager"],
        **kwargs,
    }
    with pytest.raises(DomainError, match=message) as refused:
        create_credit_note(**args)
    assert refused.value.field == field
    assert not CreditNote.objects.exists()


def test_no_credit_note_on_a_cancelled_invoice_and_no_cancel_after_one(f):
    note_invoice = create_invoice(
        customer="BETA", invoice_date=today(), lines=[(f["sb"], "5")], by=f["manager"]
    )
    cancel_invoice(invoice=note_invoice, reason="wrong", by=f["manager"])
    with pytest.raises(InvoiceStateError, match="cancelled"):
        create_credit_note(
            invoice=note_invoice,
            date=today(),
            reason="return",
            lines=[(f["sb"].number, "1")],
            by=f["manager"],
        )
    # a credit note on a paid-off invoice stays the customer's credit; the invoice stays
    create_credit_note(
        invoice=f["invoice"], date=today(), reason="return", lines=[("SO-A-SH2", "1")], by=None
    )
    with pytest.raises(InvoiceStateError):
        cancel_invoice(invoice=f["invoice"], reason="wrong", by=f["manager"])
    f["invoice"].refresh_from_db()
    assert f["invoice"].status == InvoiceStatus.OPEN
