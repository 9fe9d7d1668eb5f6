"""Reads of payments (收款) and allocations (核销) for the pages and the API: who sees which
(managers and administrators all; sales its own customers'), lists in a fixed number of
queries, and a customer's open invoices for the payment form."""

import datetime as dt

from django.db.models import F, Prefetch, Q, QuerySet

from erp.roles import Role, has_role
from orders.receivables.models import Allocation, Invoice, InvoiceStatus, Payment

OPEN_INVOICES_LIMIT = 500


def sees_all_payments(user) -> bool:
    """Managers and administrators see every customer's payments; sales its own customers'."""
    return has_role(user, Role.MANAGER.value)


def scoped_to_salesperson(queryset: QuerySet, user, customer_path: str) -> QuerySet:
    if sees_all_payments(user):
        return queryset
    return queryset.filter(**{f"{customer_path}__salesperson": user})


def _allocations() -> QuerySet:
    return Allocation.objects.select_related("invoice", "reversal").order_by("pk")


def payments_for(
    *,
    user,
    customer: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str = "",
    with_allocations: bool = False,
) -> QuerySet:
    """Payments `user` may see, newest first, filtered by customer code or name, dates and
    status; with their customer, recorder and reversal (and allocations: one more query)."""
    payments = scoped_to_salesperson(
        Payment.objects.select_related("customer", "created_by", "reversal"), user, "customer"
    )
    if customer:
        payments = payments.filter(
            Q(customer__code__iexact=customer) | Q(customer__name__icontains=customer)
        )
    if date_from:
        payments = payments.filter(date__gte=date_from)
    if date_to:
        payments = payments.filter(date__lte=date_to)
    if status:
        payments = payments.filter(status=status)
    if with_allocations:
        payments = payments.prefetch_related(Prefetch("allocations", queryset=_allocations()))
    return payments.order_by("-date", "-payment_no")


def payment_by_no(*, user, payment_no: str) -> Payment | None:
    """One payment `user` may see, with its allocations, or None."""
    return payments_for(user=user, with_allocations=True).filter(payment_no=payment_no).first()


def allocations_for(*, user, invoice: str = "", payment: str = "", customer: str = "") -> QuerySet:
    """Allocation rows `user` may see (payments' and credit notes'), in the order written."""
    rows = scoped_to_salesperson(
        Allocation.objects.select_related(
            "invoice", "invoice__customer", "payment", "credit_note", "reversal", "created_by"
        ),
        user,
        "invoice__customer",
    )
    if invoice:
        rows = rows.filter(invoice__invoice_no=invoice)
    if payment:
        rows = rows.filter(payment__payment_no=payment)
    if customer:
        rows = rows.filter(invoice__customer__code=customer)
    return rows.order_by("pk")


def open_invoices(*, customer) -> list[Invoice]:
    """The customer's invoices with something open, in allocation order (earliest due
    first, then invoice number)."""
    return list(
        Invoice.objects.filter(customer=customer, status=InvoiceStatus.OPEN)
        .filter(gross_amount__gt=F("allocated_amount"))
        .order_by("due_date", "invoice_no")[:OPEN_INVOICES_LIMIT]
    )
