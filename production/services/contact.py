"""Contact slips (联络单): production tells sales follow-up that an order is behind, by hand
or proposed by the system from plan attainment; sales follow-up decides:

- re-plan: a new revision of the plan in force is drafted with the order scheduled again
  (or the revision already being worked on is used);
- outsource (外包): a purchase order to the supplier for the quantity by the due date,
  tracked to its goods receipt;
- accept the delay: the order line gets the new promised date through an order change
  notice (so the order's history and the plan see it), once the customer was informed.

A slip is open until decided; one open slip per order line (or order) at a time."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import next_document_number, notify
from materials.models import Supplier
from materials.services.purchasing import PurchaseLineInput, purchase_order_create
from orders.models import ChangeKind, LineStatus, SalesOrder, SalesOrderLine
from orders.services.changes import change_apply
from orders.states import OPEN_STATES
from production.models import ContactSlip, PlanStatus, ProductionPlan
from production.planning.progress import DEFAULT_THRESHOLD, order_progress
from production.selectors import open_revision
from production.services.common import fmt, parse_date, parse_quantity, require, url, users_with
from production.services.proposal import plan_revise

SLIP_PREFIX = "CS"
RAISE_PERMISSION = "production.add_contactslip"
DECIDE_PERMISSION = "production.change_contactslip"
MAX_TEXT = 2000
Decision = ContactSlip.Decision


def _sales_people(order: SalesOrder) -> list:
    salesperson = order.customer.salesperson
    if salesperson is not None and salesperson.is_active:
        return [salesperson]
    return users_with(DECIDE_PERMISSION)


def _text(value: str, *, field: str, what: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Give the {what}.", field=field)
    if len(value) > MAX_TEXT:
        raise DomainError(f"The {what} has at most {MAX_TEXT} characters.", field=field)
    return value


def _open_slip(order: SalesOrder, order_line: SalesOrderLine | None) -> ContactSlip | None:
    slips = ContactSlip.objects.filter(order=order, status=ContactSlip.Status.OPEN)
    if order_line is not None:
        slips = slips.filter(Q(order_line=order_line) | Q(order_line__isnull=True))
    return slips.first()


@transaction.atomic
def contact_slip_raise(
    *,
    user,
    order: SalesOrder,
    reason: str,
    order_line: SalesOrderLine | None = None,
    behind_quantity: Decimal | None = None,
    automatic: bool = False,
) -> ContactSlip:
    """Raise a slip for `order` (one of its lines, or all); sales follow-up is told."""
    if not automatic:
        require(user, RAISE_PERMISSION, "Only production may raise a contact slip.")
    reason = _text(reason, field="reason", what="reason", required=True)
    order = SalesOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status not in OPEN_STATES:
        raise ConflictError(
            f"Order {order.order_no} is {order.get_status_display()}; nothing to follow up."
        )
    if order_line is not None and order_line.order_id != order.pk:
        raise DomainError(
            f"That line belongs to another order, not {order.order_no}.", field="order_line"
        )
    pending = _open_slip(order, order_line)
    if pending is not None:
        raise ConflictError(
            f"Contact slip {pending.number} for order {order.order_no} is still open; "
            "add to it or wait for its decision."
        )
    slip = ContactSlip(
        number=next_document_number(prefix=SLIP_PREFIX),
        order=order,
        order_line=order_line,
        reason=reason,
        proposed_automatically=automatic,
        behind_quantity=behind_quantity,
    )
    slip.stamp(user)
    slip.save()
    notify(
        users=_sales_people(order),
        message=f"Contact slip {slip.number} for order {order.order_no}: {reason}"[:500],
        url=url("production:contact-slip-detail", slip.number),
    )
    return slip


@transaction.atomic
def contact_slips_propose(
    *, user, as_of: dt.date, threshold: Decimal = DEFAULT_THRESHOLD
) -> list[ContactSlip]:
    """A slip for every order line of the plans in force behind plan by more than the
    threshold that has no open slip yet. `user` None: the nightly task (the system)."""
    if user is not None:
        require(user, RAISE_PERMISSION, "Only production may raise contact slips.")
    raised = []
    for progress in order_progress(as_of=as_of, threshold=threshold):
        ol = progress.order_line
        if not progress.is_behind or ol.order.status not in OPEN_STATES:
            continue
        if _open_slip(ol.order, ol) is not None:
            continue
        uom = ol.item.uom
        reason = (
            f"Behind plan as of {as_of}: {fmt(_round(progress.planned_to_date))} {uom} "
            f"should be finished, {fmt(progress.finished)} {uom} are "
            f"({fmt(_round(progress.behind_ratio * 100))}% of {fmt(progress.quantity)} {uom} "
            f"behind); due {ol.due_date}."
        )
        raised.append(
            contact_slip_raise(
                user=user,
                order=ol.order,
                order_line=ol,
                reason=reason,
                behind_quantity=_round(progress.behind),
                automatic=True,
            )
        )
    return raised


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _slip_line(slip: ContactSlip) -> SalesOrderLine:
    if slip.order_line_id:
        return SalesOrderLine.objects.select_related("item", "order").get(pk=slip.order_line_id)
    lines = list(
        SalesOrderLine.objects.select_related("item", "order").filter(
            order_id=slip.order_id, status=LineStatus.OPEN
        )
    )
    if len(lines) != 1:
        raise DomainError(
            f"Order {slip.order.order_no} has {len(lines)} open lines; the slip must name one "
            "for this decision.",
            field="decision",
        )
    return lines[0]


def _replan(slip: ContactSlip, user, today: dt.date | None) -> str:
    in_force = (
        ProductionPlan.objects.filter(
            status=PlanStatus.APPROVED, lines__order_line__order_id=slip.order_id
        )
        .distinct()
        .first()
    )
    if in_force is None:
        raise DomainError(
            f"Order {slip.order.order_no} is in no approved plan; propose a plan for it.",
            field="decision",
        )
    pending = open_revision(number=in_force.number)
    if pending is not None:
        slip.plan = pending
        return f"Re-plan in revision {pending.revision} of plan {pending.number}, already drafted."
    revision = plan_revise(user=user, plan=in_force, replan_order_ids=[slip.order_id], today=today)
    slip.plan = revision
    return f"Re-planned in revision {revision.revision} of plan {revision.number} (draft)."


def _outsource(slip: ContactSlip, user, supplier, quantity, due_date, today) -> str:
    if supplier is None:
        raise DomainError("Choose the supplier.", field="supplier")
    line = _slip_line(slip)
    quantity = parse_quantity(
        quantity, field="outsource_quantity", what="The quantity", allow_zero=False
    )
    if quantity % line.item.quantum != 0:
        raise DomainError(
            f"{line.item.code} is counted in {line.item.uom} with {line.item.decimals} decimals.",
            field="outsource_quantity",
        )
    due = parse_date(due_date, field="outsource_due_date", what="The due date")
    if due < today:
        raise DomainError(f"The due date {due} has passed.", field="outsource_due_date")
    order = purchase_order_create(
        user=user,
        supplier=supplier,
        lines=[PurchaseLineInput(item=line.item, quantity=quantity, due_date=due)],
        order_date=today,
    )
    slip.supplier, slip.outsource_quantity, slip.outsource_due_date = supplier, quantity, due
    slip.purchase_order = order
    notify(
        users=users_with("materials.change_purchaseorder"),
        message=(
            f"Outsourced for contact slip {slip.number}: purchase order {order.po_no}, "
            f"{fmt(quantity)} {line.item.uom} {line.item.code} from {supplier.code} by {due}."
        ),
        url=url("materials:purchase-order-detail", order.po_no),
    )
    return (
        f"Outsourced {fmt(quantity)} {line.item.uom} to {supplier.code} by {due} ({order.po_no})."
    )


def _accept_delay(slip: ContactSlip, user, new_date, informed: bool, note: str) -> str:
    line = _slip_line(slip)
    new_date = parse_date(new_date, field="new_promised_date", what="The new promised date")
    if new_date <= line.due_date:
        raise DomainError(
            f"The new promised date must be after the current one ({line.due_date}).",
            field="new_promised_date",
        )
    if not informed:
        raise DomainError(
            "Tell the customer the new date first, then tick “customer informed”.",
            field="customer_informed",
        )
    change = change_apply(
        user=user,
        order=line.order,
        kind=ChangeKind.DUE_DATE,
        reason=f"Contact slip {slip.number}: delay accepted, customer informed. {note}".strip(),
        order_line=line.line,
        new_due_date=new_date,
    )
    slip.new_promised_date, slip.customer_informed, slip.order_change = new_date, True, change
    return f"Delay accepted: promised {new_date} (was {line.due_date}), notice {change.number}."


@transaction.atomic
def contact_slip_decide(
    *,
    user,
    slip: ContactSlip,
    decision: str,
    note: str = "",
    supplier: Supplier | None = None,
    outsource_quantity: Any = None,
    outsource_due_date: Any = None,
    new_promised_date: Any = None,
    customer_informed: bool = False,
    today: dt.date | None = None,
) -> ContactSlip:
    """Sales follow-up ends the slip with a decision (see the module's docstring)."""
    require(user, DECIDE_PERMISSION, "Only sales follow-up may decide a contact slip.")
    slip = (
        ContactSlip.objects.select_for_update(of=("self",))
        .select_related("order__customer", "created_by")
        .get(pk=slip.pk)
    )
    if slip.status != ContactSlip.Status.OPEN:
        raise ConflictError(
            f"Contact slip {slip.number} was already decided ({slip.get_decision_display()})."
        )
    note = _text(note, field="decision_note", what="note", required=False)
    today = today or timezone.localdate()
    if decision == Decision.REPLAN:
        outcome = _replan(slip, user, today)
    elif decision == Decision.OUTSOURCE:
        outcome = _outsource(slip, user, supplier, outsource_quantity, outsource_due_date, today)
    elif decision == Decision.ACCEPT_DELAY:
        outcome = _accept_delay(slip, user, new_promised_date, customer_informed, note)
    else:
        raise DomainError("The decision is replan, outsource or accept_delay.", field="decision")
    slip.status, slip.decision = ContactSlip.Status.DECIDED, decision
    slip.decided_by, slip.decided_at = user, timezone.now()
    slip.decision_note = " ".join(filter(None, [outcome, note]))[:MAX_TEXT]
    slip.stamp(user)
    slip.save()
    raiser = [slip.created_by] if slip.created_by else users_with(RAISE_PERMISSION)
    notify(
        users=raiser,
        message=f"Contact slip {slip.number} ({slip.order.order_no}) decided: {outcome}"[:500],
        url=url("production:contact-slip-detail", slip.number),
    )
    return slip


def slip_age_days(slip: ContactSlip, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - timezone.localtime(slip.created_at).date()).days
