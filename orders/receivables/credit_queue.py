"""Reads of the credit approvals (订单审核): the managers' queue, what a salesperson may see,
an order's last decision. Fixed number of queries whatever the number of rows."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from erp.roles import Role, has_role
from orders.models import OrderStatus
from orders.receivables.models import CreditApproval, CreditDecision, Invoice, InvoiceStatus


def _invoice_count(*, overdue: bool, today) -> Coalesce:
    invoices = (
        Invoice.objects.filter(
            customer_id=OuterRef("customer_id"), allocated_amount__lt=F("gross_amount")
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .order_by()
    )
    if overdue:
        invoices = invoices.filter(due_date__lt=today)
    counted = invoices.values("customer_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def approvals(*, user=None, decision: str = "", customer: str = "") -> QuerySet[CreditApproval]:
    """Credit approvals, newest first, with the customer's open and overdue invoice counts
    now. Managers and administrators see all; anybody else only those of their own orders
    (orders they entered or of customers they look after)."""
    today = timezone.localdate()
    rows = CreditApproval.objects.select_related(
        "order",
        "order__created_by",
        "customer",
        "customer__salesperson",
        "decided_by",
        "created_by",
    ).annotate(
        open_invoices=_invoice_count(overdue=False, today=today),
        overdue_invoices=_invoice_count(overdue=True, today=today),
    )
    if user is not None and not has_role(user, Role.MANAGER.value):
        rows = rows.filter(Q(order__created_by=user) | Q(customer__salesperson=user))
    if decision:
        rows = rows.filter(decision=decision)
    if customer:
        rows = rows.filter(customer__code=customer)
    return rows.order_by("-created_at", "-pk")


def pending_queue() -> QuerySet[CreditApproval]:
    """The managers' queue: pending approvals of orders still on hold (an order cancelled
    meanwhile by a change notice drops out), oldest first (first come, first decided)."""
    return (
        approvals(decision=CreditDecision.PENDING)
        .filter(order__status=OrderStatus.CREDIT_HOLD)
        .order_by("created_at", "pk")
    )


def last_approval(*, order) -> CreditApproval | None:
    """The order's latest credit approval (pending or decided), for its page."""
    return (
        CreditApproval.objects.filter(order=order)
        .select_related("decided_by")
        .order_by("-created_at", "-pk")
        .first()
    )
