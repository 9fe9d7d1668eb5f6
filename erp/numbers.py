"""How exact decimals are written for people and files: one place for every screen,
message, export and API that turns a Decimal into text."""

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

EXACT = Context(prec=100, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A decimal as a person writes it: 2.500000 -> "2.5", 100.000000 -> "100" (never
    "1E+2"), zero -> "0"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def quantity_text(value: Decimal, decimals: int) -> str:
    """A quantity with at least its unit's decimals and never rounded: 42.84 of a kg item
    with 3 decimals -> "42.840", 102 pcs -> "102"; a digit beyond the unit is kept."""
    with localcontext(EXACT):
        exact = value.normalize()
        places = max(decimals, -exact.as_tuple().exponent if exact != 0 else 0)
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}"
