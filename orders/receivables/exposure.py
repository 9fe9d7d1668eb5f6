"""Credit exposure (信用敞口) of customers, CONTRACT.md section 8. Reads only.

exposure = open invoice amounts
         - unallocated credit (posted payments' amount - allocated + credit notes' gross -
           allocated)
         + (shipped but not invoiced value + open value of confirmed order lines) x (1 + VAT)

shipped but not invoiced value = sum over shipments of (quantity - invoiced_quantity) x the
order line's unit_price; open value of confirmed order lines = sum over open lines of orders in
an open state (confirmed, in production, partly shipped) of (quantity - shipped_quantity) x
unit_price. Kept exact, rounded to 0.01 (half up) once at the end.

`credit_exposures(customer_ids=...)` answers many customers in a fixed number of queries (five,
whatever the number of customers); `credit_exposure(customer)` is the same for one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Sum

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


def _by_customer(queryset, customer_field: str, expression) -> dict[int, Decimal]:
    rows = (
        queryset.values(customer_field)
        .order_by()
        .annotate(s=Sum(ExpressionWrapper(expression, output_field=_MONEY)))
        .values_list(customer_field, "s")
    )
    return {pk: value or ZERO for pk, value in rows}


def credit_exposures(
    *, customer_ids: Iterable[int] | None = None, vat_rate: Decimal | None = None
) -> dict[int, Exposure]:
    """Exposure of each customer in `customer_ids` (all customers with any term when None),
    keyed by customer id; a customer with nothing owed or ordered gets an all-zero Exposure
    when asked for by id. Five queries."""
    rate = settings.VAT_RATE if vat_rate is None else Decimal(vat_rate)
    ids = None if customer_ids is None else list(customer_ids)

    def only(queryset, field: str):
        return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})

    invoices = _by_customer(
        only(Invoice.objects.exclude(status=InvoiceStatus.CANCELLED), "customer_id").filter(
            allocated_amount__lt=F("gross_amount")
        ),
        "customer_id",
        F("gross_amount") - F("allocated_amount"),
    )
    payments = _by_customer(
        only(Payment.objects.filter(status=PaymentStatus.POSTED), "customer_id").filter(
            allocated_amount__lt=F("amount")
        ),
        "customer_id",
        F("amount") - F("allocated_amount"),
    )
    credits = _by_customer(
        only(CreditNote.objects.all(), "customer_id").filter(
            allocated_amount__lt=F("gross_amount")
        ),
        "customer_id",
        F("gross_amount") - F("allocated_amount"),
    )
    shipped = _by_customer(
        only(
            Shipment.objects.filter(invoiced_quantity__lt=F("quantity")),
            "order_line__order__customer_id",
        ),
        "order_line__order__customer_id",
        (F("quantity") - F("invoiced_quantity")) * F("order_line__unit_price"),
    )
    ordered = _by_customer(
        only(
            SalesOrderLine.objects.filter(
                order__status__in=OPEN_STATES,
                status=LineStatus.OPEN,
                shipped_quantity__lt=F("quantity"),
            ),
            "order__customer_id",
        ),
        "order__customer_id",
        (F("quantity") - F("shipped_quantity")) * F("unit_price"),
    )
    keys = (
        set(ids)
        if ids is not None
        else set(invoices) | set(payments) | set(credits) | set(shipped) | set(ordered)
    )
    return {
        pk: Exposure(
            open_invoices=invoices.get(pk, ZERO),
            unallocated_credit=payments.get(pk, ZERO) + credits.get(pk, ZERO),
            shipped_not_invoiced=shipped.get(pk, ZERO),
            open_orders=ordered.get(pk, ZERO),
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
