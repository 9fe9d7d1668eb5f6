"""Numbers and names as the factory reads them, the same on every screen:

- `qty`: a quantity, grouped (1,234.5), trailing zeros trimmed down to the unit's decimals
  when given (`{{ q|qty:item.decimals }}`), never rounded;
- `plain`: the exact number without grouping, for form fields a person edits;
- `money`: 2 decimals, grouped, with the factory's currency (settings.CURRENCY) in the
  reader's language: "CNY 1,234.50" in English, "¥1,234.50" in Chinese;
- `price`: a unit price or cost, like `money` but never rounded below a cent;
- `pct`: a ratio as a percentage with 1 decimal (0.1234 -> 12.3%);
- `percent`: a configured rate as an exact percentage (0.0025 -> 0.25%);
- `label`: a stored code by its name in the reader's language (erp/labels.py);
- `person`: a user's full name, their username only when no name is recorded.

The API keeps raw numbers (Decimals as strings); only screens use these.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.translation import get_language

from erp.labels import label as code_label
from erp.numbers import money_display, quantity_display, ratio_display
from erp.numbers import plain as plain_number

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _decimals(arg) -> int | None:
    try:
        return max(0, int(arg)) if arg not in (None, "") else None
    except (TypeError, ValueError):
        return None


@register.filter
def qty(value, decimals=None) -> str:
    """A quantity, grouped, exact: 1500.000 -> "1,500"; with the unit's decimals
    (`|qty:3`) 1234.5 -> "1,234.500"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return quantity_display(number, _decimals(decimals))


@register.filter
def plain(value) -> str:
    """The exact number as typed into a form: no grouping, no trailing zeros."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return plain_number(number)


@register.filter
def money(value, currency=None) -> str:
    """An amount with the factory's currency (or the document's: `|money:quotation.currency`)
    in the reader's language."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    code = str(currency or getattr(settings, "CURRENCY", "CNY")).strip().upper()
    return money_display(number, currency=code, language=get_language() or "en")


@register.filter
def price(value, currency=None) -> str:
    """A unit price or unit cost: like `money`, but never rounded below a cent
    (0.0125 -> "CNY 0.0125"; 12 -> "CNY 12.00")."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    code = str(currency or getattr(settings, "CURRENCY", "CNY")).strip().upper()
    return money_display(number, currency=code, language=get_language() or "en", exact=True)


@register.filter
def pct(value, places=1) -> str:
    """A ratio as a percentage, 1 decimal by default: 0.1234 -> "12.3%"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    digits = _decimals(places)
    return ratio_display(number, 1 if digits is None else digits)


@register.filter
def percent(value) -> str:
    """A rate as an exact percentage: 0.025 -> "2.5%"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return plain_number(number * 100) + "%"


@register.filter
def label(code, name: str) -> str:
    """A stored code in the reader's language: `{{ row.tier|label:"tier" }}` -> 重要."""
    return code_label(name, code)


@register.filter
def person(user, empty: str = "—") -> str:
    """Who did something: full name, else username; `empty` when nobody is recorded (a
    document from the workbook import, or a user deleted since). Safe on None, unlike
    `user.get_full_name|default:user.username`, whose argument raises on a missing user."""
    if user is None or not hasattr(user, "get_username"):
        return empty
    return user.get_full_name() or user.get_username() or empty
