"""After-sales complaints: open a case, work it through investigating, resolved (with root
cause and action) and closed, and record the customer's satisfaction after closing. The
moves between states are in one table."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Complaint, ComplaintCategory, ComplaintSeverity, ComplaintStatus
from customers.models import Customer
from erp.errors import ConflictError, DomainError
from erp.services import next_document_number

S = ComplaintStatus
TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.INVESTIGATING, S.RESOLVED},
    S.INVESTIGATING: {S.RESOLVED},
    S.RESOLVED: {S.CLOSED, S.INVESTIGATING},  # back to investigating: the fix did not hold
    S.CLOSED: set(),
}
OPEN_STATES = (S.OPEN, S.INVESTIGATING, S.RESOLVED)
EDITABLE = ("category", "severity", "owner", "root_cause", "action", "item", "order", "invoice")


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise DomainError(
            _("Unknown %(field)s %(value)s; choose one of %(values)s.")
            % {"field": field, "value": value, "values": ", ".join(choices.values)},
            field=field,
        )
    return value


def _check_order(customer: Customer, order) -> None:
    if order is not None and order.customer_id != customer.pk:
        raise DomainError(
            _("Order %(order)s belongs to another customer.") % {"order": order.order_no},
            field="order",
        )


def _check_invoice(customer: Customer, category: str, invoice) -> None:
    """A billing complaint may name the invoice it is about: one of the customer's."""
    if invoice is None:
        return
    if category != ComplaintCategory.BILLING:
        raise DomainError(
            _("Only a billing complaint names an invoice; choose the category billing."),
            field="invoice",
        )
    if invoice.customer_id != customer.pk:
        raise DomainError(
            _("Invoice %(invoice)s belongs to another customer.") % {"invoice": invoice.invoice_no},
            field="invoice",
        )


@transaction.atomic
def complaint_open(
    *,
    user,
    customer: Customer,
    category: str,
    severity: str,
    description: str,
    order=None,
    item=None,
    owner=None,
    invoice=None,
) -> Complaint:
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Write down what the customer says."), field="description")
    _check_order(customer, order)
    _check_invoice(customer, category, invoice)
    complaint = Complaint(
        number=next_document_number(prefix="CP"),
        customer=customer,
        order=order,
        invoice=invoice,
        item=item,
        category=_choice(category, ComplaintCategory, "category"),
        severity=_choice(severity, ComplaintSeverity, "severity"),
        owner=owner or (user if user.is_authenticated else None),
        description=description,
    )
    complaint.stamp(user)
    complaint.save()
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("customer").get(pk=complaint.pk)


@transaction.atomic
def complaint_update(*, complaint: Complaint, user, **fields) -> Complaint:
    """Change the case's facts (category, severity, owner, root cause, action, product,
    order, invoice); a closed case is not changed any more. Only a billing case names an
    invoice, one of the customer's: leaving billing means sending `invoice=None` too."""
    complaint = _locked(complaint)
    if complaint.status == S.CLOSED:
        raise ConflictError(_("Complaint %(n)s is closed.") % {"n": complaint.number})
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These cannot be changed here: %(f)s.") % {"f": ", ".join(unknown)})
    if "category" in fields:
        _choice(fields["category"], ComplaintCategory, "category")
    if "severity" in fields:
        _choice(fields["severity"], ComplaintSeverity, "severity")
    if "order" in fields:
        _check_order(complaint.customer, fields["order"])
    if "category" in fields or "invoice" in fields:
        _check_invoice(
            complaint.customer,
            fields.get("category", complaint.category),
            fields["invoice"] if "invoice" in fields else complaint.invoice,
        )
    for name, value in fields.items():
        setattr(complaint, name, value.strip() if isinstance(value, str) else value)
    complaint.stamp(user)
    complaint.save()
    return complaint


@transaction.atomic
def complaint_move(
    *,
    complaint: Complaint,
    user,
    status: str,
    root_cause: str | None = None,
    action: str | None = None,
) -> Complaint:
    """Move the case; resolving needs the root cause and the action taken."""
    complaint = _locked(complaint)
    status = _choice(status, ComplaintStatus, "status")
    if status not in TRANSITIONS[complaint.status]:
        raise ConflictError(
            _("Complaint %(n)s is %(now)s; it cannot become %(to)s.")
            % {"n": complaint.number, "now": S(complaint.status).label, "to": S(status).label}
        )
    if root_cause is not None:
        complaint.root_cause = root_cause.strip()
    if action is not None:
        complaint.action = action.strip()
    now = timezone.now()
    if status == S.RESOLVED:
        if not complaint.root_cause:
            raise DomainError(_("Write down the root cause before resolving."), field="root_cause")
        if not complaint.action:
            raise DomainError(_("Write down the action taken before resolving."), field="action")
        complaint.resolved_at = now
    elif status == S.INVESTIGATING:
        complaint.resolved_at = None
    elif status == S.CLOSED:
        complaint.closed_at = now
    complaint.status = status
    complaint.stamp(user)
    complaint.save()
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, user, satisfaction: int) -> Complaint:
    """The customer's satisfaction (1 to 5) once the case is closed."""
    complaint = _locked(complaint)
    if complaint.status != S.CLOSED:
        raise ConflictError(_("Ask the customer's satisfaction after the case is closed."))
    if isinstance(satisfaction, bool) or satisfaction not in range(1, 6):
        raise DomainError(_("Satisfaction is a score from 1 to 5."), field="satisfaction")
    complaint.satisfaction = satisfaction
    complaint.stamp(user)
    complaint.save()
    return complaint
