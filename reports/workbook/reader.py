"""Read a workbook (a file path, an uploaded file, or {sheet: DataFrame}) into parsed rows.

Files are read with python-calamine: fast, real dates, and every row where Excel has it, so
row numbers in messages are the ones the user sees. Only the sheets of `spec.SHEETS` are
read; other sheets (README, the user's notes) are ignored.
"""

import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reports.workbook import cells, spec
from reports.workbook.errors import WorkbookError, WorkbookInvalid


@dataclass
class RawSheet:
    name: str
    headers: Sequence
    rows: Iterable[tuple[int, Sequence]]  # (Excel row number, cell values)


@dataclass
class Row:
    n: int  # Excel row number
    v: dict
    ok: bool = True
    bad: set[str] = field(default_factory=set)  # columns with an error


@dataclass
class ParsedSheet:
    sheet: spec.Sheet
    present: frozenset[str] = frozenset()
    rows: list[Row] = field(default_factory=list)


def read_workbook(source) -> dict[str, RawSheet]:
    """The known sheets of `source`, by their canonical name."""
    if isinstance(source, dict):
        return _from_frames(source)
    return _from_file(source)


def _canonical(name) -> str | None:
    wanted = str(name).strip().lower()
    return next((s.name for s in spec.SHEETS if s.name.lower() == wanted), None)


def _from_frames(frames: dict) -> dict[str, RawSheet]:
    sheets = {}
    for name, frame in frames.items():
        canonical = _canonical(name)
        if canonical is None or frame is None:
            continue
        if isinstance(frame, list):  # a list of row dicts is accepted too
            headers = list(dict.fromkeys(k for row in frame for k in row))
            rows = [tuple(row.get(h) for h in headers) for row in frame]
        else:
            headers = [str(c) for c in frame.columns]
            columns = [frame.iloc[:, i].tolist() for i in range(len(headers))]
            rows = list(zip(*columns, strict=True)) if columns else []
        sheets[canonical] = RawSheet(canonical, headers, [(i + 2, r) for i, r in enumerate(rows)])
    return sheets


def _from_file(source) -> dict[str, RawSheet]:
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, str | os.PathLike):
            book = CalamineWorkbook.from_path(os.fspath(source))
        else:
            if hasattr(source, "seek"):
                source.seek(0)
            book = CalamineWorkbook.from_filelike(io.BytesIO(source.read()))
        sheets = {}
        for name in book.sheet_names:
            canonical = _canonical(name)
            if canonical is None or canonical in sheets:
                continue
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if not values:
                continue
            rows = [(i + 1, r) for i, r in enumerate(values) if i > 0]
            sheets[canonical] = RawSheet(canonical, values[0], rows)
        return sheets
    except FileNotFoundError:
        raise
    except Exception as exc:  # calamine raises several types for a file that is no workbook
        message = _("The file could not be read as an Excel workbook (.xlsx): %(reason)s") % {
            "reason": exc
        }
        raise WorkbookInvalid([WorkbookError("", 0, "", message)]) from exc


def _header(value) -> str:
    return str(value).strip().lower().rstrip("*").strip() if not cells.is_blank(value) else ""


def parse_sheet(raw: RawSheet, errors: list[WorkbookError]) -> ParsedSheet:
    sheet = spec.SHEETS_BY_NAME[raw.name]
    known = {c.name for c in sheet.columns}
    position: dict[str, int] = {}
    for pos, header in enumerate(raw.headers):
        name = _header(header)
        if name not in known:
            continue
        if name in position:
            errors.append(
                WorkbookError(sheet.name, 1, name, _("This column appears twice; keep one."))
            )
            continue
        position[name] = pos
    missing = [c.name for c in sheet.columns if c.required and c.name not in position]
    for name in missing:
        errors.append(
            WorkbookError(
                sheet.name,
                1,
                name,
                _("The required column '%(column)s' is missing from the header row.")
                % {"column": name},
            )
        )
    parsed = ParsedSheet(sheet, frozenset(position))
    _parse_rows(raw, sheet, position, parsed, errors, complete=not missing)
    _check_duplicates(parsed, errors)
    return parsed


def _parse_rows(raw, sheet, position: dict[str, int], parsed, errors, *, complete: bool) -> None:
    columns = [c for c in sheet.columns if c.name in position]
    absent = {c.name: c.default for c in sheet.columns if c.name not in position}
    places = [position[c.name] for c in columns]
    converters = [cells.converter(c) for c in columns]
    is_blank = cells.is_blank
    for number, values in raw.rows:
        width = len(values)
        found = [values[p] if p < width else None for p in places]
        blank = [is_blank(v) for v in found]
        if all(blank):
            continue
        row = Row(number, dict(absent), ok=complete)
        for column, value, empty, convert in zip(columns, found, blank, converters, strict=True):
            if empty:
                row.v[column.name] = column.default
                if column.required:
                    errors.append(
                        WorkbookError(sheet.name, number, column.name, _("A value is required."))
                    )
                    row.ok = False
                    row.bad.add(column.name)
                continue
            try:
                row.v[column.name] = convert(value)
            except cells.CellError as exc:
                errors.append(WorkbookError(sheet.name, number, column.name, str(exc)))
                row.v[column.name] = None
                row.ok = False
                row.bad.add(column.name)
        parsed.rows.append(row)


def _check_duplicates(parsed: ParsedSheet, errors: list[WorkbookError]) -> None:
    key = parsed.sheet.key
    first: dict[tuple, int] = {}
    for row in parsed.rows:
        value = tuple(row.v[k] for k in key)
        if any(v is None for v in value):
            continue
        if value in first:
            shown = ", ".join(f"{k} {cells.to_text(v)}" for k, v in zip(key, value, strict=True))
            errors.append(
                WorkbookError(
                    parsed.sheet.name,
                    row.n,
                    key[0],
                    _("Duplicate %(key)s: already on row %(row)d.")
                    % {"key": shown, "row": first[value]},
                )
            )
            row.ok = False
            row.bad.add("duplicate")
        else:
            first[value] = row.n
