"""One cell to one Python value, exactly: numbers become Decimal through their text (never
float arithmetic), dates are real dates. A wrong cell raises `CellError` with the reason.
Text cells are one line without control characters (erp/text.py); the quote the export puts
before formula-like text (erp/spreadsheet.py) is taken off again."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from erp.numbers import plain as _plain
from erp.spreadsheet import uncell
from erp.text import control_character_message
from reports.workbook import spec

MAX_PLACES = 6
MAX_INTEGER_DIGITS = 14  # QuantityField: 20 digits, 6 of them after the point
LIMIT = 10**MAX_INTEGER_DIGITS
YES = {"yes", "y", "true", "1", "是", "x"}
NO = {"no", "n", "false", "0", "否"}


class CellError(ValueError):
    pass


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value  # NaN: pandas' empty cell
    if isinstance(value, Decimal):
        return value.is_nan()
    # pandas' NaT / NA without importing pandas here
    return type(value).__name__ in ("NaTType", "NAType")


def to_text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal | int):
        return _plain(to_decimal(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def text_cell(value) -> str:
    """A text cell as the user means it: trimmed, the export's formula quote taken off;
    CellError for a control character, a line break or a tab inside."""
    if not isinstance(value, str):
        return to_text(value)
    result = uncell(value.strip()).strip()
    message = control_character_message(result)
    if message:
        raise CellError(message)
    return result


def to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a number.") % {"value": to_text(value)})
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if -LIMIT < value < LIMIT:
            return Decimal(value)
        number = Decimal(value)
    elif isinstance(value, float):
        if value.is_integer() and -LIMIT < value < LIMIT:
            return Decimal(int(value))
        # A cell holds a binary double; Excel itself shows 15 significant digits, so 0.1+0.2
        # computed in a sheet reads back as 0.3.
        number = Decimal(format(value, ".15g"))
    elif isinstance(value, str):
        raw = value.strip()
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("'%(value)s' is not a number.") % {"value": raw}) from None
    else:
        raise CellError(_("'%(value)s' is not a number.") % {"value": value})
    if not number.is_finite():
        raise CellError(_("'%(value)s' is not a number.") % {"value": value})
    number = number.normalize() if number != 0 else Decimal(0)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise CellError(
            _("%(value)s has more than %(places)d decimal places.")
            % {"value": _plain(number), "places": MAX_PLACES}
        )
    if abs(number) >= LIMIT:
        raise CellError(_("%(value)s is too large.") % {"value": _plain(number)})
    return number


def to_int(value) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.") % {"value": _plain(number)})
    return int(number)


def to_date(value) -> dt.date:
    if isinstance(value, dt.datetime):  # pandas.Timestamp is one too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        candidate = raw[:10] if raw[10:].strip() in ("", "00:00:00", "T00:00:00") else raw
        try:
            if len(candidate) == 10:
                return dt.date.fromisoformat(candidate)
        except ValueError:
            pass
        raise CellError(_("'%(value)s' is not a date: use YYYY-MM-DD.") % {"value": raw})
    raise CellError(_("'%(value)s' is not a date: use YYYY-MM-DD.") % {"value": to_text(value)})


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = to_text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(_("'%(value)s' is not yes or no.") % {"value": to_text(value)})


def to_phones(value) -> tuple[str, ...]:
    numbers = tuple(p.strip() for p in text_cell(value).split(";") if p.strip())
    for number in numbers:
        if len(number) > 40:
            raise CellError(
                _("The phone number '%(value)s' is longer than 40 characters.") % {"value": number}
            )
    return numbers


def converter(column: spec.Column):
    """A function from a (not blank) cell to its value for `column`, raising CellError."""
    kind = column.kind
    if kind == spec.DECIMAL:
        return lambda value: _in_range(column, to_decimal(value))
    if kind == spec.DATE:
        return to_date
    if kind == spec.CODE and column.max_length:
        return lambda value: _short_text(column, value)
    return lambda value: convert(column, value)


def _short_text(column: spec.Column, value) -> str:
    result = text_cell(value)
    if len(result) > column.max_length:
        raise CellError(
            _("'%(value)s' is longer than %(max)d characters.")
            % {"value": result, "max": column.max_length}
        )
    return result


def convert(column: spec.Column, value):
    """The cell's value for `column` (not blank), or CellError."""
    kind = column.kind
    if kind in (spec.TEXT, spec.CODE):
        result = text_cell(value)
        if column.max_length and len(result) > column.max_length:
            raise CellError(
                _("'%(value)s' is longer than %(max)d characters.")
                % {"value": result, "max": column.max_length}
            )
        return result
    if kind == spec.DECIMAL:
        return _in_range(column, to_decimal(value))
    if kind == spec.INT:
        return int(_in_range(column, Decimal(to_int(value))))
    if kind == spec.DATE:
        return to_date(value)
    if kind == spec.BOOL:
        return to_bool(value)
    if kind == spec.CHOICE:
        word = text_cell(value).lower()
        if word not in column.choices:
            raise CellError(
                _("'%(value)s' is not one of: %(choices)s.")
                % {"value": to_text(value), "choices": ", ".join(column.choices)}
            )
        return word
    if kind == spec.PHONES:
        return to_phones(value)
    raise AssertionError(kind)


def _in_range(column: spec.Column, number: Decimal) -> Decimal:
    shown = _plain(number)
    if column.positive and number <= 0:
        if number < 0:
            raise CellError(_("%(value)s is negative; it must be more than 0.") % {"value": shown})
        raise CellError(_("%(value)s is not allowed: it must be more than 0.") % {"value": shown})
    if column.minimum is not None and number < column.minimum:
        if column.minimum == 0:
            raise CellError(_("%(value)s is negative; it must be 0 or more.") % {"value": shown})
        raise CellError(
            _("%(value)s is less than %(min)s.") % {"value": shown, "min": _plain(column.minimum)}
        )
    if column.maximum is not None and number > column.maximum:
        raise CellError(
            _("%(value)s is more than %(max)s.") % {"value": shown, "max": _plain(column.maximum)}
        )
    if column.below is not None and number >= column.below:
        raise CellError(
            _("%(value)s must be less than %(max)s.")
            % {"value": shown, "max": _plain(column.below)}
        )
    return number


def places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def plain(number: Decimal) -> str:
    return _plain(number)
