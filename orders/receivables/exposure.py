"""Credit exposure (信用敞口) of customers, CONTRACT.md section 8. Reads only.

exposure = open invoice amounts
         - unallocated credit (posted payments' amount - allocated + credit notes' gross -
           allocated)
         + (shipped but not invoiced value + open value of confirmed order lines) x (1 + VAT)

shipped but not invoiced value = sum over shipments of (quantity - invoiced_quantity) x the
order line's unit_price; open value of confirmed order lines = sum over open lines of orders in
an open state (confirmed, in production, partly shipped) of (quantity - shipped_quantity) x
unit_price. Kept exact, rounded to 0.01 (half up) once at the end.

`credit_exposures(customer_ids=...)` answers many customers in a fixed number of queries (five
grouped ones, whatever the number of customers; one for up to 20 customers);
`credit_exposure(customer)` is the same for one (one query).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum

from customers.models import Customer
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.models import LineStatus, SalesOrderLine, Shipment
from orders.receivables.models import (
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentStatus,
)
from orders.states import OPEN_STATES

ZERO = Decimal(0)
CENT = Decimal("0.01")
_MONEY = DecimalField(max_digits=QUANTITY_DIGITS + 12, decimal_places=QUANTITY_PLACES * 2)


@dataclass(frozen=True)
class Exposure:
    """The terms of one customer's exposure (exact) and the rounded total."""

    open_invoices: Decimal = ZERO
    unallocated_credit: Decimal = ZERO
    shipped_not_invoiced: Decimal = ZERO  # net, before VAT
    open_orders: Decimal = ZERO  # net, before VAT
    vat_rate: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        taxed = (self.shipped_not_invoiced + self.open_orders) * (1 + self.vat_rate)
        value = self.open_invoices - self.unallocated_credit + taxed
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


# The five terms: rows, the path to their customer, the amount of a row.
def _terms() -> dict[str, tuple]:
    return {
        "invoices": (
            Invoice.objects.exclude(status=InvoiceStatus.CANCELLED).filter(
                allocated_amount__lt=F("gross_amount")
            ),
            "customer_id",
            F("gross_amount") - F("allocated_amount"),
        ),
        "payments": (
            Payment.objects.filter(status=PaymentStatus.POSTED, allocated_amount__lt=F("amount")),
            "customer_id",
            F("amount") - F("allocated_amount"),
        ),
        "credits": (
            CreditNote.objects.filter(allocated_amount__lt=F("gross_amount")),
            "customer_id",
            F("gross_amount") - F("allocated_amount"),
        ),
        "shipped": (
            Shipment.objects.filter(invoiced_quantity__lt=F("quantity")),
            "order_line__order__customer_id",
            (F("quantity") - F("invoiced_quantity")) * F("order_line__unit_price"),
        ),
        "ordered": (
            SalesOrderLine.objects.filter(
                order__status__in=OPEN_STATES,
                status=LineStatus.OPEN,
                shipped_quantity__lt=F("quantity"),
            ),
            "order__customer_id",
            (F("quantity") - F("shipped_quantity")) * F("unit_price"),
        ),
    }


_TERM_NAMES = ("invoices", "payments", "credits", "shipped", "ordered")


def _grouped(ids: list[int] | None) -> dict[str, dict[int, Decimal]]:
    """Each term per customer: one grouped query per term (five)."""
    result = {}
    for name, (queryset, field, expression) in _terms().items():
        if ids is not None:
            queryset = queryset.filter(**{f"{field}__in": ids})
        rows = (
            queryset.values(field)
            .order_by()
            .annotate(s=Sum(ExpressionWrapper(expression, output_field=_MONEY)))
            .values_list(field, "s")
        )
        result[name] = {pk: value or ZERO for pk, value in rows}
    return result


def _correlated(ids: list[int]) -> dict[str, dict[int, Decimal]]:
    """Each term of a few customers: one query, a subquery per term."""
    annotations = {}
    for name, (queryset, field, expression) in _terms().items():
        total = (
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(s=Sum(ExpressionWrapper(expression, output_field=_MONEY)))
            .values("s")
        )
        annotations[f"exposure_{name}"] = Subquery(total, output_field=_MONEY)
    rows = Customer.objects.filter(pk__in=ids).annotate(**annotations).values("pk", *annotations)
    result = {name: {} for name in _TERM_NAMES}
    for row in rows:
        for name in _TERM_NAMES:
            result[name][row["pk"]] = row[f"exposure_{name}"] or ZERO
    return result


FEW = 20


def credit_exposures(
    *, customer_ids: Iterable[int] | None = None, vat_rate: Decimal | None = None
) -> dict[int, Exposure]:
    """Exposure of each customer in `customer_ids` (all customers with any term when None),
    keyed by customer id; a customer with nothing owed or ordered gets an all-zero Exposure
    when asked for by id. One query for up to 20 customers, else five."""
    rate = settings.VAT_RATE if vat_rate is None else Decimal(vat_rate)
    ids = None if customer_ids is None else list(customer_ids)
    terms = _correlated(ids) if ids is not None and len(ids) <= FEW else _grouped(ids)
    keys = set(ids) if ids is not None else set().union(*terms.values())
    return {
        pk: Exposure(
            open_invoices=terms["invoices"].get(pk, ZERO),
            unallocated_credit=terms["payments"].get(pk, ZERO) + terms["credits"].get(pk, ZERO),
            shipped_not_invoiced=terms["shipped"].get(pk, ZERO),
            open_orders=terms["ordered"].get(pk, ZERO),
            vat_rate=rate,
        )
        for pk in keys
    }


def exposure_of(customer, *, vat_rate: Decimal | None = None) -> Exposure:
    """All the terms of one customer's exposure."""
    return credit_exposures(customer_ids=[customer.pk], vat_rate=vat_rate)[customer.pk]


def credit_exposure(customer, vat_rate: Decimal | None = None) -> Decimal:
    """A customer's credit exposure (0.01, half up): what it owes and will owe for what it has
    been shipped and has on confirmed orders, less its unallocated credit."""
    return exposure_of(customer, vat_rate=vat_rate).total
