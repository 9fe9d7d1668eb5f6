"""Money and ratios as a manager reads them on screen (the exports stay exact): the
product's one format library (erp/templatetags/erp_format.py), "—" for a missing ratio."""

from decimal import Decimal, InvalidOperation

from django import template

from erp.templatetags import erp_format

register = template.Library()


@register.filter
def money(value) -> str:
    """12345.5 -> "CNY 12,345.50" / "¥12,345.50" (erp_format.money); blank for None."""
    return erp_format.money(value)


@register.filter
def pct(value) -> str:
    """A fraction as a percentage with one decimal: 0.377778 -> "37.8%"; "—" for None
    (erp_format.pct)."""
    if value is None or value == "":
        return "—"
    return erp_format.pct(value)


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
