"""Cells the product writes into spreadsheets and CSV files: every xlsx and csv writer
passes each value through `cell`, and the workbook import reads text back with `uncell`.

- Text that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a single
  quote in front (`'=1+2`), so Excel and LibreOffice show it instead of running it (CSV
  injection). Text that is a plain number (`-12.50`, a CSV's decimal) is left alone: it is
  a number, not a formula; so are int, float and Decimal values.
- Control characters stored before the input rule (erp/text.py) are dropped: Excel cannot
  hold them, and a report must not fail on one bad name.

Text that already starts with a quote before a formula character (or another quote) gets
one more, so `uncell(cell(text)) == text` for every text and the workbook export -> import
stays a round trip.
"""

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from unicodedata import east_asian_width

from django.utils.functional import Promise
from django.utils.translation import gettext

from erp.text import strip_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value):
    """`value` safe to write into a spreadsheet or CSV cell (non-text values unchanged)."""
    if not isinstance(value, str):
        return value
    text = strip_control_characters(value)
    if _quoted(text) or (text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)):
        return QUOTE + text
    return text


def uncell(text: str) -> str:
    """The text `cell` was given: drop the quote it put in front."""
    return text[1:] if _quoted(text) else text


def _quoted(text: str) -> bool:
    return len(text) > 1 and text[0] == QUOTE and text[1] in (*FORMULA_STARTS, QUOTE)


def row(values) -> list:
    return [cell(v) for v in values]


# --- Excel a manager can read ------------------------------------------------------------
# Every download: a sheet with a bold, frozen header row (localised labels for people; the
# field names for the contract formats of CONTRACT.md section 6), number formats per
# column kind, column widths fitted to their contents, and a totals row where summing makes
# sense (computed here: the file carries values, never live formulas).

TEXT, MONEY, QTY, RATIO, INTEGER, DATE, FLAG = (
    "text",
    "money",
    "qty",
    "ratio",
    "integer",
    "date",
    "flag",
)
NUMBER_FORMATS = {
    MONEY: "#,##0.00",
    QTY: "#,##0.###",
    RATIO: "0.0%",
    INTEGER: "#,##0",
    DATE: "yyyy-mm-dd",
}
NUMERIC_KINDS = frozenset({MONEY, QTY, RATIO, INTEGER})
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of a download: the row key, the header people read (a lazy translation,
    rendered in the reader's language), its kind (number format), and whether the totals
    row sums it."""

    key: str
    label: Any = ""
    kind: str = TEXT
    total: bool = False
    display: Callable[[Any], Any] | None = None  # a stored code -> its name (readable only)


def _number(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text == "":
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def _value(column: Column, value, readable: bool):
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    if readable and column.display is not None and value is not None:
        value = column.display(value)
    if column.kind in NUMERIC_KINDS:
        value = _number(value)
    if readable and isinstance(value, bool):
        value = str(gettext("Yes") if value else gettext("No"))
    if isinstance(value, Promise):
        value = str(value)
    return cell(value)


def _shown_width(column: Column, value) -> int:
    if value is None:
        return 0
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if column.kind == RATIO:
            return len(f"{Decimal(str(value)) * 100:.1f}") + 1
        text = f"{Decimal(str(value)):,.2f}" if column.kind == MONEY else f"{value:,}"
        return len(text)
    if isinstance(value, (dt.date, dt.datetime)):
        return 10 if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else 16
    text = str(value)
    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def xlsx_bytes(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Mapping],
    readable: bool = True,
    totals: bool = True,
) -> bytes:
    """One sheet named `title`. `readable`: headers are the columns' labels in the active
    language, booleans Yes/No, and a totals row follows when a column is marked `total`;
    otherwise (a contract format) the headers are the keys and the rows are only the data.
    Both get number formats, a frozen header row and fitted widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    headers = [str(c.label or c.key) if readable else c.key for c in columns]
    body = [[_value(c, row.get(c.key), readable) for c in columns] for row in rows]
    footer = None
    if readable and totals and body and any(c.total for c in columns):
        footer = []
        for index, column in enumerate(columns):
            if column.total:
                numbers = [
                    r[index]
                    for r in body
                    if isinstance(r[index], (int, float, Decimal))
                    and not isinstance(r[index], bool)
                ]
                footer.append(sum((Decimal(str(n)) for n in numbers), Decimal(0)))
            else:
                footer.append(None)
        if footer[0] is None:
            footer[0] = str(gettext("Total"))

    book = Workbook(write_only=True)
    sheet = book.create_sheet(cell(title)[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in headers]
    for values in body + ([footer] if footer else []):
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _shown_width(columns[index], value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)

    bold = Font(bold=True)
    head = []
    for text in headers:
        head_cell = WriteOnlyCell(sheet, value=cell(text))
        head_cell.font = bold
        head.append(head_cell)
    sheet.append(head)
    for values in body:
        sheet.append([_formatted(sheet, columns[i], v) for i, v in enumerate(values)])
    if footer:
        cells = [_formatted(sheet, columns[i], v) for i, v in enumerate(footer)]
        for total_cell in cells:
            total_cell.font = bold
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _formatted(sheet, column: Column, value):
    from openpyxl.cell import WriteOnlyCell

    result = WriteOnlyCell(sheet, value=value)
    number_format = NUMBER_FORMATS.get(column.kind)
    if number_format and value is not None and not isinstance(value, str):
        result.number_format = number_format
    elif isinstance(value, dt.date):
        result.number_format = NUMBER_FORMATS[DATE]
    return result


def download_name(what: str, stamp: dt.date | str | None = None) -> str:
    """A file name saying what and when: "receivables-aging-2026-03-31.xlsx" (today when no
    date is given), only safe characters."""
    from django.utils import timezone

    when = stamp or timezone.localdate()
    text = f"{what}-{when:%Y-%m-%d}" if isinstance(when, dt.date) else f"{what}-{when}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") + ".xlsx"


def xlsx_response(body: bytes, *, what: str, stamp: dt.date | str | None = None):
    from django.http import HttpResponse

    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name(what, stamp)}"'
    return response
