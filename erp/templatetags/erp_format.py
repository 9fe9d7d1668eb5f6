"""Numbers as the factory reads them: exact decimals without trailing zeros."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def plain(value: Decimal) -> str:
    """2.040000 -> "2.04", 100.000000 -> "100" (never "1E+2")."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def qty(value) -> str:
    """A quantity or amount, exact, without trailing zeros."""
    if value is None or value == "":
        return ""
    try:
        return plain(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def percent(value) -> str:
    """A rate as a percentage: 0.025 -> "2.5%"."""
    if value is None or value == "":
        return ""
    try:
        return plain(Decimal(str(value)) * 100) + "%"
    except (InvalidOperation, ValueError):
        return str(value)
