"""Reads of invoices and credit notes for pages and the API, each in a fixed number of
queries: the invoice list (with its open amount), one invoice with its lines, credit notes
and allocations, a customer's shipped and not yet invoiced shipments."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.models import Shipment
from orders.receivables.models import (
    Allocation,
    CreditNote,
    CreditNoteLine,
    CreditNoteReason,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)

AMOUNT = DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)
ZERO = Value(Decimal("0"), output_field=AMOUNT)


def _clean(text) -> str:
    return str(text or "").strip().replace("\x00", "")


def invoice_list(
    *,
    customer: str = "",
    status: str = "",
    open_only: bool = False,
    overdue: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    salesperson_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Invoice]:
    """Invoices, newest first, annotated `credited` (gross of their credit notes; the open
    amount is the model's gross - allocated). `customer` is a code or part of the name; `open_only`
    keeps open invoices with something still to collect; `overdue` those past their due
    date as of `today`."""
    credited = (
        CreditNote.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(g=Sum("gross_amount"))
        .values("g")[:1]
    )
    invoices = Invoice.objects.select_related(
        "customer", "customer__salesperson", "created_by", "updated_by", "cancelled_by"
    ).annotate(
        credited=Coalesce(Subquery(credited, output_field=AMOUNT), ZERO),
    )
    customer = _clean(customer)
    if customer:
        invoices = invoices.filter(
            Q(customer__code__iexact=customer) | Q(customer__name__icontains=customer)
        )
    if status:
        invoices = invoices.filter(status=status)
    if open_only or overdue:
        invoices = invoices.filter(
            status=InvoiceStatus.OPEN, gross_amount__gt=F("allocated_amount")
        )
    if overdue:
        invoices = invoices.filter(due_date__lt=today or timezone.localdate())
    if date_from:
        invoices = invoices.filter(invoice_date__gte=date_from)
    if date_to:
        invoices = invoices.filter(invoice_date__lte=date_to)
    if salesperson_id is not None:
        invoices = invoices.filter(customer__salesperson_id=salesperson_id)
    return invoices.order_by("-invoice_date", "-invoice_no")


def invoice_lines() -> QuerySet[InvoiceLine]:
    """Invoice lines with their shipment, order line, order and item, and `returned` (the
    quantity credit notes returned) and `credited` (their net credited)."""
    credit_lines = CreditNoteLine.objects.filter(invoice_line=OuterRef("pk")).order_by()
    returned = (
        credit_lines.filter(credit_note__reason=CreditNoteReason.RETURN)
        .values("invoice_line")
        .annotate(q=Sum("quantity"))
        .values("q")[:1]
    )
    credited = credit_lines.values("invoice_line").annotate(n=Sum("net_amount")).values("n")[:1]
    return (
        InvoiceLine.objects.select_related(
            "shipment", "shipment__order_line__order", "shipment__order_line__item"
        )
        .annotate(
            returned=Coalesce(Subquery(returned, output_field=AMOUNT), ZERO),
            credited=Coalesce(Subquery(credited, output_field=AMOUNT), ZERO),
        )
        .order_by("pk")
    )


def invoice_detail(*, invoice_no: str) -> Invoice | None:
    """One invoice with everything its page and the API show, or None."""
    return (
        Invoice.objects.select_related("customer", "created_by", "updated_by", "cancelled_by")
        .prefetch_related(
            Prefetch("lines", queryset=invoice_lines()),
            Prefetch(
                "credit_notes",
                queryset=CreditNote.objects.select_related("created_by").order_by(
                    "date", "credit_note_no"
                ),
            ),
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("payment", "credit_note").order_by(
                    "date", "pk"
                ),
            ),
        )
        .filter(invoice_no=_clean(invoice_no))
        .first()
    )


def invoices_for_api() -> QuerySet[Invoice]:
    """The invoice list with lines prefetched (one query each for invoices and lines)."""
    return invoice_list().prefetch_related(Prefetch("lines", queryset=invoice_lines()))


def uninvoiced_shipments(*, customer) -> QuerySet[Shipment]:
    """The customer's shipments with a quantity shipped and not yet invoiced (`left`),
    oldest first: one query."""
    return (
        Shipment.objects.filter(
            order_line__order__customer=customer, invoiced_quantity__lt=F("quantity")
        )
        .select_related("order_line__order", "order_line__item")
        .annotate(
            left=ExpressionWrapper(F("quantity") - F("invoiced_quantity"), AMOUNT),
            left_net=ExpressionWrapper(
                (F("quantity") - F("invoiced_quantity")) * F("order_line__unit_price"), AMOUNT
            ),
        )
        .order_by("ship_date", "number")
    )


def credit_note_list(
    *,
    customer: str = "",
    invoice_no: str = "",
    reason: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[CreditNote]:
    notes = CreditNote.objects.select_related("customer", "invoice", "created_by").annotate(
        unallocated=ExpressionWrapper(F("gross_amount") - F("allocated_amount"), AMOUNT)
    )
    customer = _clean(customer)
    if customer:
        notes = notes.filter(
            Q(customer__code__iexact=customer) | Q(customer__name__icontains=customer)
        )
    if invoice_no := _clean(invoice_no):
        notes = notes.filter(invoice__invoice_no=invoice_no)
    if reason:
        notes = notes.filter(reason=reason)
    if date_from:
        notes = notes.filter(date__gte=date_from)
    if date_to:
        notes = notes.filter(date__lte=date_to)
    return notes.order_by("-date", "-credit_note_no")


def credit_note_lines() -> QuerySet[CreditNoteLine]:
    return CreditNoteLine.objects.select_related(
        "invoice_line__shipment__order_line__order", "invoice_line__shipment__order_line__item"
    ).order_by("pk")


def credit_notes_for_api() -> QuerySet[CreditNote]:
    return credit_note_list().prefetch_related(Prefetch("lines", queryset=credit_note_lines()))


def credit_note_detail(*, credit_note_no: str) -> CreditNote | None:
    return credit_notes_for_api().filter(credit_note_no=_clean(credit_note_no)).first()


def customers_to_invoice(*, limit: int = 200) -> list[dict]:
    """Customers with shipped, not yet invoiced quantities: code, name, shipments, net value
    (quantity left x unit price, before VAT), the oldest ship date; one query."""
    from django.db.models import Count, Min

    left = ExpressionWrapper(
        (F("quantity") - F("invoiced_quantity")) * F("order_line__unit_price"), AMOUNT
    )
    return list(
        Shipment.objects.filter(invoiced_quantity__lt=F("quantity"))
        .values(
            code=F("order_line__order__customer__code"),
            name=F("order_line__order__customer__name"),
        )
        .annotate(shipments=Count("pk"), net=Sum(left), oldest=Min("ship_date"))
        .order_by("oldest", "code")[:limit]
    )
