"""The money of a shipment (CONTRACT.md section 5) as SQL expressions, and how totals and
ratios are written out.

- revenue of a shipment = quantity x the order line's unit_price;
- cost of a shipment = quantity x the shipment's unit_cost;
- money totals are exact (PostgreSQL numeric): never rounded, written without trailing zeros;
- ratios are rounded once, half-up, to RATIO_PLACES decimal places; None where the divisor
  is zero.
"""

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from django.db.models import DecimalField, F, Sum
from django.db.models.functions import Coalesce

from erp.numbers import quantity_text  # noqa: F401  (rows import it from here)
from reports.models import TOTAL_DIGITS, TOTAL_PLACES

RATIO_PLACES = 6
RATIO_QUANTUM = Decimal(1).scaleb(-RATIO_PLACES)
ZERO = Decimal(0)
# Wide enough for any total of TOTAL_DIGITS digits: nothing here rounds by accident.
EXACT = Context(prec=100, rounding=ROUND_HALF_UP)


def total_field() -> DecimalField:
    return DecimalField(max_digits=TOTAL_DIGITS, decimal_places=TOTAL_PLACES)


def revenue_of(prefix: str = "") -> F:
    """Revenue of a shipment reached through `prefix` ("" on Shipment, "shipments__"...)."""
    return F(f"{prefix}quantity") * F(f"{prefix}order_line__unit_price")


def cost_of(prefix: str = "") -> F:
    return F(f"{prefix}quantity") * F(f"{prefix}unit_cost")


def profit_of(prefix: str = "") -> F:
    """revenue - cost of a shipment in one expression (exact: q x p - q x c = q x (p - c))."""
    return F(f"{prefix}quantity") * (F(f"{prefix}order_line__unit_price") - F(f"{prefix}unit_cost"))


def total(expression, **extra) -> Coalesce:
    """Sum of an expression over the group, 0 for an empty group, exact."""
    return Coalesce(
        Sum(expression, output_field=total_field(), **extra),
        ZERO,
        output_field=total_field(),
    )


def money_text(value: Decimal) -> str:
    """An exact amount without trailing zeros: 1234.500000000000 -> "1234.5", 0E-12 -> "0"."""
    if value == 0:
        return "0"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def ratio(numerator: Decimal, divisor: Decimal) -> Decimal | None:
    """numerator / divisor rounded half-up to RATIO_PLACES places; None when divisor is 0."""
    if divisor == 0:
        return None
    with localcontext(EXACT):
        return (numerator / divisor).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP)


def ratio_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"
