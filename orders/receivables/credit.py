"""The credit check at order confirmation (订单审核), CONTRACT.md section 8.

Confirming an order runs `credit_check`: the order's value (open lines x unit price x
(1 + VAT)) on top of the customer's exposure (orders.receivables.exposure; the order is a
draft, so it is not in the exposure yet: nothing is counted twice) must not exceed a positive
credit limit (exactly at the limit confirms; 0 = no limit), and no open invoice of the
customer may be more than settings.CREDIT_OVERDUE_DAYS past due (30 confirms, 31 holds).
Otherwise the order is not confirmed: it waits for credit approval (status credit_hold) with
a pending CreditApproval holding the figures, and the managers are told. A manager (or an
administrator) approves it (the order is confirmed as a normal confirmation would) or
rejects it with a reason (back to draft); the salesperson is told either way. Decided once.

Imports of the workbook are not checked: they record orders that were already confirmed.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from erp.errors import ConflictError, DomainError
from erp.roles import Role, has_role
from erp.services import notify
from orders.models import LineStatus, OrderStatus, SalesOrder, SalesOrderLine
from orders.receivables.exposure import credit_exposure
from orders.receivables.models import CreditApproval, CreditDecision, Invoice, InvoiceStatus
from orders.states import check_move

CENT = Decimal("0.01")
ZERO = Decimal(0)
MAX_MESSAGE = 500
MAX_REASON = CreditApproval._meta.get_field("reason").max_length


class CreditDecisionForbidden(DomainError):
    """Only managers and administrators decide on credit (HTTP 403)."""

    status_code = 403


@dataclass(frozen=True)
class CreditFigures:
    """What the check found: the manager decides on these."""

    order_value: Decimal  # open lines x unit price x (1 + VAT), 0.01 half up
    exposure: Decimal  # the customer's exposure before this order
    credit_limit: Decimal  # 0 = no limit
    overdue_days: int  # days past due of the customer's oldest open invoice (0 = none)
    over_limit: bool
    overdue: bool

    @property
    def held(self) -> bool:
        return self.over_limit or self.overdue


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def order_value(order: SalesOrder, *, vat_rate: Decimal | None = None) -> Decimal:
    """Open quantity of the order's open lines x unit price, x (1 + VAT), 0.01 half up."""
    rate = settings.VAT_RATE if vat_rate is None else Decimal(vat_rate)
    net = (
        SalesOrderLine.objects.filter(order_id=order.pk, status=LineStatus.OPEN).aggregate(
            v=Sum((F("quantity") - F("shipped_quantity")) * F("unit_price"))
        )["v"]
        or ZERO
    )
    return money(net * (1 + rate))


def oldest_overdue_days(customer: Customer, *, today: dt.date | None = None) -> int:
    """Days past due of the customer's oldest open invoice (gross > allocated, not
    cancelled) as of `today`; 0 when none is past due."""
    today = today or timezone.localdate()
    oldest = (
        Invoice.objects.filter(
            customer_id=customer.pk, due_date__lt=today, allocated_amount__lt=F("gross_amount")
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .aggregate(d=Min("due_date"))["d"]
    )
    return (today - oldest).days if oldest else 0


def credit_check(order: SalesOrder, *, today: dt.date | None = None) -> CreditFigures:
    """The figures of the check for confirming `order` now. Inside the confirming
    transaction it locks the customer row, so that two confirmations of one customer are
    checked one after the other (the second sees the first in the exposure)."""
    customer = order.customer
    if transaction.get_connection().in_atomic_block:
        customer = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
    value = order_value(order)
    exposure = credit_exposure(customer)
    limit = money(customer.credit_limit or ZERO)
    days = oldest_overdue_days(customer, today=today)
    return CreditFigures(
        order_value=value,
        exposure=exposure,
        credit_limit=limit,
        overdue_days=days,
        over_limit=limit > 0 and exposure + value > limit,
        overdue=days > settings.CREDIT_OVERDUE_DAYS,
    )


def hold_words(order: SalesOrder, figures: CreditFigures) -> str:
    """Why the order waits, in the user's words (page message, notification)."""
    words = (
        f"Order {order.order_no} waits for credit approval: exposure {figures.exposure}, "
        f"order value {figures.order_value}, limit "
        f"{figures.credit_limit if figures.credit_limit > 0 else 'none'}"
    )
    if figures.overdue_days:
        words += f", oldest invoice {figures.overdue_days} days overdue"
    return words + "."


def _managers() -> list:
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    managers = list(users.filter(groups__name=Role.MANAGER.value).distinct())
    if not managers:  # a factory without a manager account: its administrators decide
        managers = list(
            users.filter(Q(groups__name=Role.ADMIN.value) | Q(is_superuser=True)).distinct()
        )
    return managers


def hold_for_credit(
    *, order: SalesOrder, figures: CreditFigures, user: AbstractBaseUser | None
) -> SalesOrder:
    """Stop the (locked) order at confirmation: credit_hold, a pending approval with the
    figures, the managers told with a link to the queue."""
    check_move(order=order, target=OrderStatus.CREDIT_HOLD)
    order.status = OrderStatus.CREDIT_HOLD
    order.stamp(user)
    order.save()
    approval = CreditApproval(
        order=order,
        customer_id=order.customer_id,
        order_value=figures.order_value,
        exposure=figures.exposure,
        credit_limit=figures.credit_limit,
        overdue_days=figures.overdue_days,
        over_limit=figures.over_limit,
        overdue=figures.overdue,
    )
    approval.stamp(user)
    approval.save()
    text = f"{hold_words(order, figures)} Customer {order.customer.code} {order.customer.name}."
    notify(
        users=_managers(),
        message=text[:MAX_MESSAGE],
        url=reverse("orders:credit-approval-list"),
    )
    return order


def _salespeople(order: SalesOrder) -> list:
    people = {}
    for person in (order.created_by, order.customer.salesperson):
        if person is not None and person.is_active:
            people[person.pk] = person
    return [people[pk] for pk in sorted(people)]


def _lock_pending(approval: CreditApproval, by: AbstractBaseUser | None) -> CreditApproval:
    if not has_role(by, Role.MANAGER.value):
        raise CreditDecisionForbidden("Only a manager or an administrator decides on credit.")
    approval = (
        CreditApproval.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer", "order__created_by")
        .get(pk=approval.pk)
    )
    order = (
        SalesOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer", "customer__salesperson", "created_by")
        .get(pk=approval.order_id)
    )
    approval.order = order
    if approval.decision != CreditDecision.PENDING:
        raise ConflictError(
            f"The credit approval of order {order.order_no} was already decided "
            f"({approval.get_decision_display()})."
        )
    if order.status != OrderStatus.CREDIT_HOLD:
        raise ConflictError(
            f"Order {order.order_no} is {order.get_status_display()}; it no longer waits "
            "for credit approval."
        )
    return approval


def _decide(
    approval: CreditApproval, *, decision: str, reason: str, by: AbstractBaseUser | None
) -> None:
    approval.decision = decision
    approval.reason = reason
    approval.decided_at = timezone.now()
    approval.decided_by = by if getattr(by, "is_authenticated", False) else None
    approval.stamp(by)
    approval.save()


def _clean_reason(reason: str | None, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError("Give the reason for rejecting the order.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"A reason has at most {MAX_REASON} characters.", field="reason")
    return reason


@transaction.atomic
def approve_credit(
    *, approval: CreditApproval, by: AbstractBaseUser | None, reason: str = ""
) -> CreditApproval:
    """A manager lets the order through: it is confirmed (confirmed by the manager, now),
    the approval is decided, the salesperson told."""
    from orders.services.orders import mark_confirmed

    reason = _clean_reason(reason, required=False)
    approval = _lock_pending(approval, by)
    order = mark_confirmed(order=approval.order, user=by)
    _decide(approval, decision=CreditDecision.APPROVED, reason=reason, by=by)
    text = f"Credit approved: order {order.order_no} ({order.customer.code}) is confirmed."
    if reason:
        text += f" Reason: {reason}"
    notify(
        users=_salespeople(order),
        message=text[:MAX_MESSAGE],
        url=reverse("orders:order-detail", args=[order.order_no]),
    )
    return approval


@transaction.atomic
def reject_credit(
    *, approval: CreditApproval, by: AbstractBaseUser | None, reason: str
) -> CreditApproval:
    """A manager refuses the credit: the order goes back to draft (to change or cancel),
    the approval is decided with the reason, the salesperson told."""
    reason = _clean_reason(reason, required=True)
    approval = _lock_pending(approval, by)
    order = approval.order
    check_move(order=order, target=OrderStatus.DRAFT)
    order.status = OrderStatus.DRAFT
    order.stamp(by)
    order.save()
    _decide(approval, decision=CreditDecision.REJECTED, reason=reason, by=by)
    text = (
        f"Credit rejected: order {order.order_no} ({order.customer.code}) is back to draft. "
        f"Reason: {reason}"
    )
    notify(
        users=_salespeople(order),
        message=text[:MAX_MESSAGE],
        url=reverse("orders:order-detail", args=[order.order_no]),
    )
    return approval
