"""The credit approval queue (订单审核) for managers and administrators: orders stopped at
confirmation by the credit check, with the figures; approve, or reject with a reason. Views
translate requests into calls of orders.receivables.credit and its reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.roles import Role, has_role
from orders.receivables import credit, credit_queue
from orders.receivables.models import CreditApproval

PAGE_SIZE = 50
DECISIONS = {"pending", "approved", "rejected", "all"}


def _require_manager(request) -> None:
    if not has_role(request.user, Role.MANAGER.value):
        raise PermissionDenied(_("Only managers and administrators decide on credit."))


def _invoice_list_url() -> str | None:
    """The invoice list of the receivables pages, when it exists (filtered by customer)."""
    try:
        return reverse("orders:invoice-list")
    except NoReverseMatch:
        return None


@login_required
def credit_approval_list(request):
    """Pending approvals, oldest first (or the decided ones, newest first)."""
    _require_manager(request)
    decision = request.GET.get("decision") or "pending"
    if decision not in DECISIONS:
        decision = "pending"
    if decision == "pending":
        rows = credit_queue.pending_queue()
    else:
        rows = credit_queue.approvals(decision="" if decision == "all" else decision)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "decision": decision,
        "decisions": [
            ("pending", _("Waiting for approval")),
            ("approved", _("Approved")),
            ("rejected", _("Rejected")),
            ("all", _("All")),
        ],
        "query": f"decision={decision}",
        "invoice_list_url": _invoice_list_url(),
    }
    return render(request, "orders/credit_approval_list.html", context)


def _approval(pk: int) -> CreditApproval:
    try:
        return CreditApproval.objects.select_related("order").get(pk=pk)
    except CreditApproval.DoesNotExist as exc:
        raise Http404(_("No credit approval with this number.")) from exc


def _back(request):
    return redirect(reverse("orders:credit-approval-list") + "?decision=pending")


@login_required
@require_POST
def credit_approve(request, pk: int):
    _require_manager(request)
    approval = _approval(pk)
    try:
        credit.approve_credit(
            approval=approval, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Credit approved: order %(no)s is confirmed.") % {"no": approval.order.order_no},
        )
    return _back(request)


@login_required
@require_POST
def credit_reject(request, pk: int):
    _require_manager(request)
    approval = _approval(pk)
    try:
        credit.reject_credit(
            approval=approval, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Credit rejected: order %(no)s is back to draft.") % {"no": approval.order.order_no},
        )
    return _back(request)
