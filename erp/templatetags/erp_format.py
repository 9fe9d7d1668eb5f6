"""Numbers as the factory reads them: exact decimals without trailing zeros."""

from decimal import Decimal, InvalidOperation

from django import template

from erp.numbers import plain

register = template.Library()


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


@register.filter
def person(user, empty: str = "—") -> str:
    """Who did something: full name, else username; `empty` when nobody is recorded (a
    document from the workbook import, or a user deleted since). Safe on None, unlike
    `user.get_full_name|default:user.username`, whose argument raises on a missing user."""
    if user is None or not hasattr(user, "get_username"):
        return empty
    return user.get_full_name() or user.get_username() or empty
