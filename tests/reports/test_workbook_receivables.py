"""Workbook and receivables (CONTRACT.md sections 1 and 8): the customers' credit limit and
payment terms, and the OpenInvoices sheet of opening receivables, in and out."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum

from customers.models import Customer
from orders.receivables.models import Allocation, CreditNote, Invoice, Payment
from reports.workbook.errors import WorkbookInvalid
from reports.workbook.exporter import export_workbook
from reports.workbook.importer import import_workbook
from tests.clock import in_days, today
from tests.factories import CustomerFactory
from tests.reports.workbooks import base_sheets, read_xlsx, xlsx

D = Decimal
HEADER = ["invoice_no", "customer", "invoice_date", "due_date", "amount", "paid"]


def with_terms(sheets: dict, c1=(50000, 60), c2=(None, None)) -> dict:
    """The base workbook, its Customers sheet with the two credit columns."""
    rows = sheets["Customers"]
    rows[0] += ["credit_limit", "payment_terms_days"]
    rows[1] += list(c1)
    rows[2] += list(c2)
    return sheets


def with_invoices(sheets: dict, *rows: list) -> dict:
    sheets["OpenInvoices"] = [list(HEADER), *[list(r) for r in rows]]
    return sheets


def book(*rows: list, c1=(50000, 60), c2=(None, None)) -> io.BytesIO:
    return xlsx(with_invoices(with_terms(base_sheets(), c1, c2), *rows))


def exported() -> bytes:
    buffer = io.BytesIO()
    export_workbook(path_or_buffer=buffer)
    return buffer.getvalue()


def refused(source) -> list[tuple]:
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(source=source)
    return [(e.sheet, e.row, e.column, e.message) for e in caught.value.errors]


def invoices() -> list[tuple]:
    return list(
        Invoice.objects.order_by("invoice_no").values_list(
            "invoice_no",
            "customer__code",
            "invoice_date",
            "due_date",
            "gross_amount",
            "allocated_amount",
            "status",
            "opening",
        )
    )


def assert_allocations_add_up() -> None:
    for invoice in Invoice.objects.all():
        rows = invoice.allocations.aggregate(total=Sum("amount"))["total"] or D(0)
        assert rows == invoice.allocated_amount, invoice.invoice_no
    for payment in Payment.objects.all():
        rows = payment.allocations.aggregate(total=Sum("amount"))["total"] or D(0)
        assert rows == payment.allocated_amount, payment.payment_no


@pytest.mark.django_db
def test_customers_take_credit_limit_and_terms_with_their_defaults(seller):
    import_workbook(source=book(c1=("12500.50", 45)))
    acme, beta = Customer.objects.get(code="C1"), Customer.objects.get(code="C2")
    assert (acme.credit_limit, acme.payment_terms_days) == (D("12500.50"), 45)
    assert (beta.credit_limit, beta.payment_terms_days) == (D("0"), 30)


@pytest.mark.django_db
def test_a_workbook_without_the_credit_columns_leaves_them_as_they_are(seller):
    import_workbook(source=book(c1=(9000, 15)))
    report = import_workbook(source=xlsx(base_sheets()))
    assert report.counts["Customers"].unchanged == 2
    acme = Customer.objects.get(code="C1")
    assert (acme.credit_limit, acme.payment_terms_days) == (D("9000"), 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit", "terms", "column", "message"),
    [
        (-1, 30, "credit_limit", "negative"),
        ("lots", 30, "credit_limit", "not a number"),
        (0, -5, "payment_terms_days", "negative"),
        (0, "1.5", "payment_terms_days", "not a whole number"),
        (0, 4000, "payment_terms_days", "more than 3650"),
    ],
)
def test_bad_credit_columns_are_refused_at_their_cell(seller, limit, terms, column, message):
    errors = refused(book(c1=(limit, terms)))
    assert [(s, r, c) for s, r, c, _m in errors] == [("Customers", 2, column)]
    assert message in errors[0][3]
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_open_invoices_are_created_with_the_paid_part_as_an_opening_payment(seller):
    start = in_days(-40)
    report = import_workbook(
        source=book(
            ["INV-OLD-1", "C1", start, None, "1130.00", 300],
            ["INV-OLD-2", "C2", start, start + dt.timedelta(days=5), 500, None],
            ["INV-OLD-3", "C2", start, None, "99.99", "99.99"],
        )
    )
    assert report.counts["OpenInvoices"].as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    assert invoices() == [
        # C1's terms come from this workbook (60 days); C2 has the default 30.
        (
            "INV-OLD-1",
            "C1",
            start,
            start + dt.timedelta(days=60),
            D("1130"),
            D("300"),
            "open",
            True,
        ),
        ("INV-OLD-2", "C2", start, start + dt.timedelta(days=5), D("500"), D("0"), "open", True),
        (
            "INV-OLD-3",
            "C2",
            start,
            start + dt.timedelta(days=30),
            D("99.99"),
            D("99.99"),
            "paid",
            True,
        ),
    ]
    first = Invoice.objects.get(invoice_no="INV-OLD-1")
    assert (first.net_amount, first.tax_amount, first.vat_rate) == (D("1130"), D("0"), D("0"))
    assert first.open_amount == D("830")
    assert not first.lines.exists()
    payment = Payment.objects.get(payment_no="OPEN-INV-OLD-1")
    assert (payment.customer.code, payment.date, payment.amount, payment.method) == (
        "C1",
        start,
        D("300"),
        "opening balance",
    )
    assert payment.unallocated_amount == 0
    assert list(payment.allocations.values_list("invoice__invoice_no", "amount")) == [
        ("INV-OLD-1", D("300"))
    ]
    assert not Payment.objects.filter(payment_no="OPEN-INV-OLD-2").exists()
    assert_allocations_add_up()


@pytest.mark.django_db
def test_the_due_date_default_uses_the_terms_of_this_workbook_over_the_database(seller):
    CustomerFactory(code="C1", name="Acme", payment_terms_days=90)
    CustomerFactory(code="OLD", name="Old customer", payment_terms_days=45)
    start = in_days(-10)
    import_workbook(
        source=book(
            ["A1", "C1", start, None, 100, 0],
            ["A2", "OLD", start, None, 100, 0],
            c1=(0, 7),
        )
    )
    due = dict(Invoice.objects.values_list("invoice_no", "due_date"))
    assert due == {"A1": start + dt.timedelta(days=7), "A2": start + dt.timedelta(days=45)}


@pytest.mark.django_db
def test_every_bad_invoice_row_is_named_and_nothing_is_written(seller):
    start = today()
    errors = refused(
        book(
            ["I1", "NOBODY", start, None, 100, 0],
            ["I2", "C1", start, start - dt.timedelta(days=1), 100, 0],
            ["I3", "C1", start, None, 100, 150],
            ["I4", "C1", start, None, -5, 0],
            ["I5", "C1", start, None, 0, 0],
            ["I6", "C1", start, None, 100, -1],
            ["I1", "C1", start, None, 100, 0],
            ["I8", "C1", start, None, "10.005", 0],
            ["I9", "C1", None, None, None, 0],
        )
    )
    found = [(s, r, c) for s, r, c, _m in errors]
    assert found == [
        ("OpenInvoices", 2, "customer"),
        ("OpenInvoices", 3, "due_date"),
        ("OpenInvoices", 4, "paid"),
        ("OpenInvoices", 5, "amount"),
        ("OpenInvoices", 6, "amount"),
        ("OpenInvoices", 7, "paid"),
        ("OpenInvoices", 8, "invoice_no"),
        ("OpenInvoices", 9, "amount"),
        ("OpenInvoices", 10, "invoice_date"),
        ("OpenInvoices", 10, "amount"),
    ]
    messages = {(r, c): m for _s, r, c, m in errors}
    assert "Unknown customer 'NOBODY'" in messages[(2, "customer")]
    assert "before the invoice date" in messages[(3, "due_date")]
    assert "Paid 150 is more than the amount 100" in messages[(4, "paid")]
    assert "negative" in messages[(5, "amount")]
    assert "must be more than 0" in messages[(6, "amount")]
    assert "negative" in messages[(7, "paid")]
    assert "Duplicate invoice_no I1: already on row 2" in messages[(8, "invoice_no")]
    assert "2 decimal places" in messages[(9, "amount")]
    # all or nothing: not even the valid sheets were written
    assert not Customer.objects.exists() and not Invoice.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_the_command_line_prints_sheet_row_and_column(seller, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(book(["I1", "C1", today(), None, 100, 200]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), stderr=err)
    assert "OpenInvoices, row 2, paid: Paid 200 is more than the amount 100" in err.getvalue()


@pytest.mark.django_db
def test_re_importing_is_idempotent_and_a_change_updates_the_opening_invoice(seller):
    start = in_days(-20)
    rows = [["I1", "C1", start, None, 1000, 200], ["I2", "C2", start, None, 500, 0]]
    import_workbook(source=book(*rows))
    before = invoices()
    payment_pk = Payment.objects.get(payment_no="OPEN-I1").pk

    again = import_workbook(source=book(*rows))
    assert again.counts["OpenInvoices"].as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    assert invoices() == before
    assert Allocation.objects.count() == 1

    changed = import_workbook(
        source=book(["I1", "C1", start, None, 1200, 700], ["I2", "C2", start, None, 500, 50])
    )
    assert changed.counts["OpenInvoices"].as_dict() == {"created": 0, "updated": 2, "unchanged": 0}
    one, two = Invoice.objects.get(invoice_no="I1"), Invoice.objects.get(invoice_no="I2")
    assert (one.gross_amount, one.allocated_amount) == (D("1200"), D("700"))
    assert (two.allocated_amount, two.open_amount) == (D("50"), D("450"))
    # allocations are append-only: the first opening payment is reversed, a second written
    first = Payment.objects.get(pk=payment_pk)
    assert (first.status, first.allocated_amount) == ("reversed", D("0"))
    assert first.reversal.date == today()
    assert list(first.allocations.values_list("amount", flat=True)) == [D("200"), D("-200")]
    second = Payment.objects.get(payment_no="OPEN-I1-2")
    assert (second.status, second.amount, second.allocated_amount) == ("posted", 700, 700)
    assert Payment.objects.get(payment_no="OPEN-I2").amount == D("50")
    assert_allocations_add_up()

    # paid back to 0: the opening payment is reversed; the invoices stay
    import_workbook(source=book(["I1", "C1", start, None, 1200, 0]))
    assert Invoice.objects.get(invoice_no="I1").allocated_amount == 0
    assert Payment.objects.get(payment_no="OPEN-I1-2").status == "reversed"
    assert Invoice.objects.count() == 2  # nothing deleted: I2 was not in the workbook
    assert_allocations_add_up()
    assert import_workbook(source=book(["I1", "C1", start, None, 1200, 0])).changed == 0


def record_real_payment(invoice: Invoice, amount: str) -> Payment:
    payment = Payment.objects.create(
        payment_no="PAY-T-1",
        customer=invoice.customer,
        date=today(),
        amount=D(amount),
        allocated_amount=D(amount),
    )
    Allocation.objects.create(invoice=invoice, payment=payment, date=today(), amount=D(amount))
    invoice.allocated_amount += D(amount)
    invoice.save(update_fields=["allocated_amount"])
    return payment


@pytest.mark.django_db
def test_a_change_is_refused_once_a_real_payment_was_allocated(seller):
    start = in_days(-20)
    import_workbook(source=book(["I1", "C1", start, None, 1000, 200]))
    record_real_payment(Invoice.objects.get(invoice_no="I1"), "300")
    before = invoices()

    errors = refused(book(["I1", "C1", start, None, 900, 200]))
    assert [(s, r, c) for s, r, c, _m in errors] == [("OpenInvoices", 2, "amount")]
    assert "already has payments or credit notes" in errors[0][3]
    assert invoices() == before

    # the workbook as the system now is (paid = all allocated) imports without a change
    report = import_workbook(source=book(["I1", "C1", start, None, 1000, 500]))
    assert report.counts["OpenInvoices"].unchanged == 1
    assert_allocations_add_up()


@pytest.mark.django_db
def test_a_credit_note_on_the_invoice_also_stops_changes(seller):
    start = in_days(-20)
    import_workbook(source=book(["I1", "C1", start, None, 1000, 0]))
    invoice = Invoice.objects.get(invoice_no="I1")
    CreditNote.objects.create(
        credit_note_no="CN-T-1",
        customer=invoice.customer,
        invoice=invoice,
        date=today(),
        vat_rate=D("0"),
        net_amount=D("10"),
        tax_amount=D("0"),
        gross_amount=D("10"),
    )
    errors = refused(book(["I1", "C1", start, start, 1000, 0]))
    assert [(s, r, c) for s, r, c, _m in errors] == [("OpenInvoices", 2, "due_date")]
    assert "already has payments or credit notes" in errors[0][3]


@pytest.mark.django_db
def test_an_invoice_billed_in_the_system_cannot_be_changed_from_the_workbook(seller):
    import_workbook(source=book())
    Invoice.objects.create(
        invoice_no="INV-2026-000001",
        customer=Customer.objects.get(code="C1"),
        invoice_date=today(),
        due_date=in_days(60),
        vat_rate=D("0.13"),
        net_amount=D("100"),
        tax_amount=D("13"),
        gross_amount=D("113"),
    )
    errors = refused(book(["INV-2026-000001", "C1", today(), in_days(60), 120, 0]))
    assert [(s, r, c) for s, r, c, _m in errors] == [("OpenInvoices", 2, "amount")]
    assert "was billed in the system" in errors[0][3]
    same = import_workbook(source=book(["INV-2026-000001", "C1", today(), in_days(60), 113, 0]))
    assert same.counts["OpenInvoices"].unchanged == 1


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


@pytest.mark.django_db
def test_export_writes_every_open_invoice_and_the_round_trip_is_identical(seller):
    empty = transaction.savepoint()
    start = in_days(-50)
    import_workbook(
        source=book(
            ["I1", "C1", start, None, "1000.50", 200],
            ["I2", "C2", start, in_days(-5), 500, 500],  # paid: not open, not exported
            ["I3", "C2", start, None, 80, 0],
            c2=(1000, 10),
        )
    )
    billed = Invoice.objects.create(
        invoice_no="INV-2026-000009",
        customer=Customer.objects.get(code="C1"),
        invoice_date=in_days(-3),
        due_date=in_days(57),
        vat_rate=D("0.13"),
        net_amount=D("100"),
        tax_amount=D("13"),
        gross_amount=D("113"),
    )
    record_real_payment(billed, "13")
    Invoice.objects.filter(invoice_no="I3").update(status="cancelled")

    first = exported()
    sheet = read_xlsx(first)["OpenInvoices"]
    assert sheet[0] == tuple(HEADER)
    assert sheet[1:] == [
        ("I1", "C1", midnight(start), midnight(start + dt.timedelta(days=60)), 1000.5, 200),
        ("INV-2026-000009", "C1", midnight(in_days(-3)), midnight(in_days(57)), 113, 13),
    ]
    customers = {row[0]: row for row in read_xlsx(first)["Customers"][1:]}
    assert customers["C1"][-2:] == (50000, 60) and customers["C2"][-2:] == (1000, 10)
    open_before = [i[:6] for i in invoices() if i[0] in ("I1", "INV-2026-000009")]

    # on the same database: nothing changes
    assert import_workbook(source=io.BytesIO(first)).changed == 0

    # into an empty database: the same open receivables, and the same file out again
    transaction.savepoint_rollback(empty)
    assert not Invoice.objects.exists()
    import_workbook(source=io.BytesIO(first))
    after = invoices()
    assert [i[:6] for i in after] == open_before
    assert all(i[7] for i in after)  # they come back as opening receivables
    assert read_xlsx(exported()) == read_xlsx(first)
    assert_allocations_add_up()


def test_the_demo_workbook_has_credit_terms_and_opening_receivables():
    from reports.demo.generator import build_demo_workbook

    sheets = build_demo_workbook(scale="small", today=dt.date(2026, 11, 23))
    customers, opening = sheets["Customers"], sheets["OpenInvoices"]
    assert set(customers["payment_terms_days"]) <= {30, 45, 60, 90}
    assert (customers["credit_limit"] == 0).any() and (customers["credit_limit"] > 0).any()
    assert list(opening.columns) == HEADER and len(opening) > 10
    assert (opening["amount"] > 0).all() and (opening["paid"] <= opening["amount"]).all()
    assert opening["invoice_no"].is_unique
    assert opening["invoice_date"].max() <= dt.date(2026, 11, 23) - dt.timedelta(days=31)
