"""Excel a manager can read (erp/spreadsheet.py, reports/exports.py): named files, headers in
the reader's language, number formats, a frozen bold header row, fitted widths, a totals
row where summing makes sense; the contract format keeps its field names and data rows."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.utils import translation
from openpyxl import load_workbook

from erp.spreadsheet import (
    DATE,
    FLAG,
    MONEY,
    QTY,
    RATIO,
    Column,
    download_name,
    xlsx_bytes,
    xlsx_response,
)
from reports.exports import REPORTS, to_readable_xlsx, to_xlsx

COLUMNS = [
    Column("item", "Item"),
    Column("quantity", "Quantity", QTY),
    Column("revenue", "Revenue", MONEY, total=True),
    Column("ratio", "Margin", RATIO),
    Column("due", "Due", DATE),
    Column("late", "Late", FLAG),
]
ROWS = [
    {"item": "A-1", "quantity": "1500", "revenue": "1234.50", "ratio": "0.25",
     "due": dt.date(2026, 3, 1), "late": True},
    {"item": "=cmd", "quantity": D("2.5"), "revenue": D("-34.5"), "ratio": None,
     "due": None, "late": False},
]  # fmt: skip


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_readable_sheet_has_bold_frozen_headers_formats_and_a_totals_row():
    sheet = sheet_of(xlsx_bytes(title="Sales", columns=COLUMNS, rows=ROWS))
    assert sheet.title == "Sales"
    assert [c.value for c in sheet[1]] == ["Item", "Quantity", "Revenue", "Margin", "Due", "Late"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    first = sheet[2]
    assert first[1].value == 1500 and first[1].number_format == "#,##0.###"
    assert D(str(first[2].value)) == D("1234.50") and first[2].number_format == "#,##0.00"
    assert D(str(first[3].value)) == D("0.25") and first[3].number_format == "0.0%"
    assert first[4].value == dt.datetime(2026, 3, 1) and first[4].number_format == "yyyy-mm-dd"
    assert first[5].value == "Yes" and sheet[3][5].value == "No"
    assert sheet[3][0].value == "'=cmd"  # never a live formula
    totals = [c.value for c in sheet[4]]
    assert totals[0] == "Total" and D(str(totals[2])) == D("1200") and totals[1] is None
    assert sheet[4][2].number_format == "#,##0.00" and sheet[4][2].font.b
    assert sheet.max_row == 4
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_widths_fit_the_longest_value_within_limits():
    rows = [{"item": "x" * 30, "quantity": 1, "revenue": 1, "ratio": 0, "due": None, "late": 0}]
    sheet = sheet_of(xlsx_bytes(title="W", columns=COLUMNS, rows=rows))
    assert sheet.column_dimensions["A"].width == 32
    assert sheet.column_dimensions["B"].width == 10  # "Quantity" + 2
    long = [{**rows[0], "item": "y" * 500}]
    assert (
        sheet_of(xlsx_bytes(title="W", columns=COLUMNS, rows=long)).column_dimensions["A"].width
        == 60
    )
    wide = [{**rows[0], "item": "客户名称很长"}]  # CJK characters are two wide
    assert (
        sheet_of(xlsx_bytes(title="W", columns=COLUMNS, rows=wide)).column_dimensions["A"].width
        == 14
    )


def test_no_totals_row_without_rows_or_summable_columns():
    assert sheet_of(xlsx_bytes(title="E", columns=COLUMNS, rows=[])).max_row == 1
    plain = [Column("item", "Item"), Column("quantity", "Quantity", QTY)]
    assert sheet_of(xlsx_bytes(title="N", columns=plain, rows=ROWS)).max_row == 3


def test_contract_format_keeps_field_names_and_only_data_rows():
    sheet = sheet_of(xlsx_bytes(title="c", columns=COLUMNS, rows=ROWS, readable=False))
    assert [c.value for c in sheet[1]] == ["item", "quantity", "revenue", "ratio", "due", "late"]
    assert sheet.max_row == 3 and sheet.freeze_panes == "A2"
    assert sheet[2][5].value is True
    assert sheet[2][2].number_format == "#,##0.00"


def test_headers_follow_the_readers_language():
    report = REPORTS["customer-profit"]
    rows = [{"customer": "C1", "revenue": "100", "cost": "60", "profit": "40", "rank": 1}]
    with translation.override("en"):
        english = sheet_of(to_readable_xlsx(report, rows))
    with translation.override("zh-hans"):
        chinese = sheet_of(to_readable_xlsx(report, rows))
    assert [c.value for c in english[1]] == ["Customer", "Revenue", "Cost", "Profit", "Rank"]
    assert [c.value for c in chinese[1]] == ["客户", "销售额", "成本", "利润", "排名"]
    assert [c.value for c in english[3]][:4] == ["Total", 100, 60, 40]
    assert chinese[3][0].value == "合计" and chinese[3][4].value is None
    contract = sheet_of(to_xlsx(report, rows))
    assert [c.value for c in contract[1]] == list(report.fields) and contract.max_row == 2


def test_codes_read_by_their_names_in_the_readable_file():
    report = REPORTS["customer-tiers"]
    rows = [{"customer": "C1", "tier": "IMPORTANT", "loss_making": False, "overridden": True}]
    with translation.override("zh-hans"):
        sheet = sheet_of(to_readable_xlsx(report, rows))
    assert [c.value for c in sheet[2]] == ["C1", "重要", "否", "是"]
    assert [c.value for c in sheet_of(to_xlsx(report, rows))[2]] == ["C1", "IMPORTANT", False, True]


def test_ratios_are_percent_formatted_and_profit_totals_are_sums():
    report = REPORTS["product-profit"]
    rows = [
        {"item": "A", "quantity": "3", "revenue": "10", "cost": "5", "profit": "5",
         "profit_cost_ratio": "1", "profit_sales_ratio": "0.5"},
        {"item": "B", "quantity": "4", "revenue": "0", "cost": "10", "profit": "-10",
         "profit_cost_ratio": "-1", "profit_sales_ratio": None},
    ]  # fmt: skip
    sheet = sheet_of(to_readable_xlsx(report, rows))
    assert sheet[2][5].number_format == "0.0%" and sheet[3][6].value is None
    totals = [c.value for c in sheet[4]]
    assert totals[1] is None  # quantities of different items are not summed
    assert totals[2:5] == [10, 15, -5] and totals[5] is None


@pytest.mark.parametrize(
    ("what", "stamp", "expected"),
    [
        ("receivables-aging", dt.date(2026, 3, 31), "receivables-aging-2026-03-31.xlsx"),
        ("product-profit", "2025", "product-profit-2025.xlsx"),
        ("commission wang/li", "2026-03", "commission-wang-li-2026-03.xlsx"),
    ],
)
def test_files_are_named_for_what_and_when(what, stamp, expected):
    assert download_name(what, stamp) == expected


@pytest.mark.django_db
def test_a_file_without_a_date_is_named_for_today():
    from tests.clock import today

    assert download_name("stock") == f"stock-{today():%Y-%m-%d}.xlsx"
    response = xlsx_response(b"x", what="stock", stamp=dt.date(2026, 1, 2))
    assert response["Content-Disposition"] == 'attachment; filename="stock-2026-01-02.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
