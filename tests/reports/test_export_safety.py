"""Exports never run what a cell says and never fail on stored text: every xlsx and csv cell
goes through erp.spreadsheet.cell (formula-like text gets a leading quote, numbers stay
numbers, stored control characters are dropped); the workbook import takes the quote off
again (the round trip holds) and refuses control characters at sheet, row and column."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer
from erp.roles import Role
from erp.spreadsheet import cell, uncell
from materials.models import Supplier
from reports.exports import REPORTS, to_csv, to_xlsx
from reports.workbook.errors import WorkbookInvalid
from reports.workbook.exporter import export_workbook
from reports.workbook.importer import import_workbook
from tests.factories import CustomerFactory, CustomerPhoneFactory, SupplierFactory
from tests.reports.workbooks import add_row, base_sheets, data_snapshot, table_counts, xlsx

FORMULAS = ["=1+2", '=HYPERLINK("http://evil","x")', "+1+2", "-1+2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert cell(text) == "'" + text
    assert uncell(cell(text)) == text


@pytest.mark.parametrize(
    "value", [Decimal("-3.5"), -3, -2.5, 0, "-12.50", "+7", "-1e3", "plain", "", None, True]
)
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert cell(value) == value


@pytest.mark.parametrize("text", ["'=x", "''", "'-", "'abc", "'", "a'=b", "-", "=", "x\ny"])
def test_the_round_trip_is_exact_for_any_text(text):
    assert uncell(cell(text)) == text


def test_stored_control_characters_are_dropped_on_write():
    assert cell("Bad\x01Name") == "BadName"
    assert cell("\x01=1+2") == "'=1+2"
    assert cell("two\nlines\tkept") == "two\nlines\tkept"


def customers_sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book["Customers"].iter_rows(values_only=True))


def nasty_customers():
    # Stored before the input rule existed (the factory writes past validation).
    CustomerFactory(code="C1", name="Bad\x01Name")
    CustomerFactory(code="C2", name='=HYPERLINK("http://evil","click")')
    CustomerFactory(code="C3", name="=1+2", industry="-x", region="@here")
    CustomerPhoneFactory(customer=Customer.objects.get(code="C3"), number="+86 138 0000 0001")


@pytest.mark.django_db
def test_the_workbook_export_writes_no_formula_and_survives_control_characters():
    nasty_customers()
    buffer = io.BytesIO()
    export_workbook(path_or_buffer=buffer)

    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = book["Customers"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["C1"][1] == "BadName"
    assert rows["C2"][1] == '\'=HYPERLINK("http://evil","click")'
    assert rows["C3"][1:5] == ("'=1+2", "'+86 138 0000 0001", "'-x", "'@here")


@pytest.mark.django_db
def test_the_export_command_and_the_page_download_do_not_fail(client, make_user, tmp_path):
    nasty_customers()
    target = tmp_path / "factory.xlsx"
    call_command("export_workbook", str(target))
    assert ("C1", "BadName") == customers_sheet(target.read_bytes())[1][:2]

    client.force_login(make_user(Role.MANAGER.value))
    response = client.get(reverse("reports:workbook-export"))
    assert response.status_code == 200
    assert customers_sheet(response.content)[1][:2] == ("C1", "BadName")


@pytest.mark.django_db
def test_the_tier_download_and_report_csv_neutralise_and_survive(client, make_user):
    CustomerFactory(code="=1+2\x01", name="Bad\x01Name")
    CustomerFactory(code="OK", name="Fine")
    client.force_login(make_user(Role.MANAGER.value))

    response = client.get(reverse("reports:report-download", args=["customer-tiers"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'=1+2" in [c.value for c in cells]

    api = client.get("/api/v1/reports/customer-tiers/", {"format": "csv"})
    assert api.status_code == 200
    column = [row[0] for row in csv.reader(io.StringIO(api.content.decode()))]
    assert "'=1+2" in column and "=1+2" not in column


def test_report_writers_keep_numbers_as_numbers_and_quote_formulas():
    report = REPORTS["customer-profit"]
    rows = [
        {"customer": "=1+2", "revenue": "10.00", "cost": "12.50", "profit": "-2.50", "rank": 1},
        {"customer": "-cmd|' /C calc'!A0", "revenue": "0", "cost": "0", "profit": "0", "rank": 2},
    ]
    lines = list(csv.reader(io.StringIO(to_csv(report, rows))))
    assert lines[1] == ["'=1+2", "10.00", "12.50", "-2.50", "1"]
    assert lines[2][0] == "'-cmd|' /C calc'!A0"

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report, rows)))
    values = list(book.active.iter_rows(min_row=2, values_only=True))
    assert values[0][0] == "'=1+2" and values[0][3] == -2.5  # a negative number, not text
    assert values[1][0] == "'-cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_formula_like_names_survive_export_then_import(imported):
    # Typed into Excel, "=1+2" would be a formula; such names come from the API or pages.
    customer = CustomerFactory(code="C3", name="=1+2", region="-x", industry="'=quoted")
    CustomerPhoneFactory(customer=customer, number="+86 138 0000 0001")
    SupplierFactory(code="S2", name="@Steel")
    counts, data = table_counts(), data_snapshot()

    buffer = io.BytesIO()
    export_workbook(path_or_buffer=buffer)
    report = import_workbook(source=io.BytesIO(buffer.getvalue()))

    assert report.changed == 0, report.as_dict()
    assert table_counts() == counts and data_snapshot() == data
    customer.refresh_from_db()
    assert (customer.name, customer.region, customer.industry) == ("=1+2", "-x", "'=quoted")
    assert list(customer.phones.values_list("number", flat=True)) == ["+86 138 0000 0001"]
    assert Supplier.objects.get(code="S2").name == "@Steel"


@pytest.mark.django_db
def test_the_import_refuses_control_characters_at_sheet_row_and_column(seller):
    sheets = base_sheets()
    row = add_row(sheets, "Customers", code="C3", name="two\nlines")
    frames = {"Suppliers": [{"code": "S9", "name": "Bad\x01Name"}]}
    counts = table_counts()

    with pytest.raises(WorkbookInvalid) as raised:
        import_workbook(source=xlsx(sheets))
    errors = [(e.sheet, e.row, e.column, e.message) for e in raised.value.errors]
    assert [e[:3] for e in errors] == [("Customers", row, "name")]
    assert "one line" in errors[0][3]

    with pytest.raises(WorkbookInvalid) as raised:
        import_workbook(source=frames)
    (error,) = raised.value.errors
    assert (error.sheet, error.row, error.column) == ("Suppliers", 2, "name")
    assert "U+0001" in error.message
    assert table_counts() == counts
