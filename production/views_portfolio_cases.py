"""Pages (form posts) of escalated portfolio requests and of the disposal of old accepted
orders: a salesperson escalates his refused request with the financial case, the manager
grants or refuses it; an old order line never produced is cancelled by an order change
notice or kept with the reason. The rules are in production.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from orders.models import SalesOrderLine
from production.models import PortfolioCase, PortfolioLine
from production.services.portfolio_route import portfolio_case_decide, portfolio_case_raise
from production.services.stale_deals import stale_deal_dispose


def parse_figures_text(text: str) -> dict[str, str]:
    """One figure a line, "label: amount" (or "label = amount")."""
    figures = {}
    for row in (text or "").splitlines():
        row = row.strip()
        if not row:
            continue
        label, sep, amount = row.replace("=", ":").rpartition(":")
        if not sep or not label.strip():
            raise DomainError(
                _("Write each figure as “label: amount” (%(row)s).") % {"row": row[:60]},
                field="figures",
            )
        figures[label.strip()] = amount.strip()
    return figures


def _refuse(request, refusal: DomainError | PermissionDenied) -> None:
    text = refusal.message if isinstance(refusal, DomainError) else str(refusal)
    messages.error(request, text or _("You may not do this."))


@login_required
@require_POST
def portfolio_line_escalate(request, pk: int):
    line = get_object_or_404(PortfolioLine, pk=pk)
    try:
        portfolio_case_raise(
            user=request.user,
            line=line,
            case=request.POST.get("case", "")[:2000],
            figures=parse_figures_text(request.POST.get("figures", "")[:2000]),
        )
    except (DomainError, PermissionDenied) as refused:
        _refuse(request, refused)
    else:
        messages.success(request, _("Escalated to the manager with your case."))
    return redirect("production:portfolio-detail", pk=line.portfolio_id)


@login_required
@require_POST
def portfolio_case_decision(request, pk: int):
    case = get_object_or_404(PortfolioCase.objects.select_related("line"), pk=pk)
    try:
        portfolio_case_decide(
            user=request.user,
            case=case,
            grant=request.POST.get("grant") == "1",
            note=request.POST.get("note", "")[:500],
        )
    except (DomainError, PermissionDenied) as refused:
        _refuse(request, refused)
    else:
        messages.success(request, _("Escalation decided."))
    return redirect("production:portfolio-detail", pk=case.line.portfolio_id)


@login_required
@require_POST
def never_produced_dispose(request, pk: int):
    line = get_object_or_404(SalesOrderLine, pk=pk)
    try:
        record = stale_deal_dispose(
            user=request.user,
            order_line=line,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", "")[:2000],
        )
    except (DomainError, PermissionDenied) as refused:
        _refuse(request, refused)
    else:
        if record.order_change_id:
            messages.success(
                request,
                _("Cancelled by order change notice %(no)s.") % {"no": record.order_change.number},
            )
        else:
            messages.success(request, _("Kept; the reason is recorded."))
    return redirect("production:portfolio")
