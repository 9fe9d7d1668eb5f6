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


# --- On screens: grouped digits, money with its currency, ratios as percentages ---------

# The sign a Chinese reader expects for a currency; an English reader gets the ISO code,
# which never leaves a doubt (¥ is also the yen).
CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "TWD": "NT$"}


def grouped(text: str) -> str:
    """Thousands separators in a plain decimal text: "-1234567.50" -> "-1,234,567.50"."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + dot + fraction


def quantity_display(value: Decimal, decimals: int | None = None) -> str:
    """A quantity for a person: grouped, trailing zeros trimmed down to the unit's
    decimals (all of them when the unit is not known), never rounded: 1234.500 kg with 3
    decimals -> "1,234.500", 1500.000 pcs -> "1,500"."""
    text = plain(value) if decimals is None else quantity_text(value, decimals)
    return grouped(text)


def money_display(value: Decimal, *, currency: str, language: str, exact: bool = False) -> str:
    """An amount of money, 2 decimals (half up), grouped, with its currency: "¥1,234.50"
    to a Chinese reader, "CNY 1,234.50" to an English one. `exact` (a unit price or cost,
    which may be below a cent): at least 2 decimals, more kept as they are, never rounded."""
    with localcontext(EXACT):
        rounded = value if exact else value.quantize(Decimal("0.01"))
    text = grouped(quantity_text(rounded, 2) if exact else f"{rounded:f}")
    if text == "-0.00":
        text = "0.00"
    sign = CURRENCY_SIGNS.get(currency)
    if language.lower().startswith("zh") and sign:
        return f"-{sign}{text[1:]}" if text.startswith("-") else f"{sign}{text}"
    return f"{currency} {text}"


def ratio_display(value: Decimal, places: int = 1) -> str:
    """A ratio as a percentage with `places` decimals (half up): 0.1234 -> "12.3%",
    1.5 -> "150.0%"; grouped above a thousand per cent."""
    with localcontext(EXACT):
        percent = (value * 100).quantize(Decimal(1).scaleb(-places))
    text = grouped(f"{percent:f}")
    return ("0" + text[2:] if text.startswith("-0") and percent == 0 else text) + "%"
