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

import re

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
