"""Money and ratios as a manager reads them on screen (the exports stay exact)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def money(value) -> str:
    """12345.5 -> "12,345.50" (grouping follows the language); blank for None."""
    if value is None or value == "":
        return ""
    return floatformat(value, "2g")


@register.filter
def pct(value) -> str:
    """A fraction as a percentage with one decimal: 0.377778 -> "37.8%"; "—" for None."""
    if value is None or value == "":
        return "—"
    try:
        number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number}%"


@register.filter
def signed_class(value) -> str:
    """CSS class for a figure: red when negative."""
    try:
        return "text-danger" if value is not None and Decimal(str(value)) < 0 else ""
    except (InvalidOperation, ValueError):
        return ""


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template; None when absent."""
    return mapping.get(key) if hasattr(mapping, "get") else None
