"""Key-customer monthly portfolio pages: the portfolios and the old orders never produced;
one portfolio with its candidates (flags, in or out and why), salespeople's requests on
their own orders, the approval route, and plan vs. actual for the month. Income figures
only for those production.services.portfolio.sees_income allows."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from production.models import Portfolio, PortfolioCase, PortfolioLine
from production.planning.portfolio_data import NEVER_PRODUCED_DAYS, never_produced, plan_vs_actual
from production.services import portfolio as services
from production.services.portfolio_route import refused_request
from production.services.stale_deals import may_dispose

VIEW = "production.view_portfolio"


@login_required
@permission_required(VIEW, raise_exception=True)
def portfolio_list(request):
    if request.method == "POST":
        try:
            portfolio = services.portfolio_build(
                user=request.user, month=request.POST.get("month", "")[:7]
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Portfolio %(no)s built.") % {"no": portfolio.number})
            return redirect("production:portfolio-detail", pk=portfolio.pk)
    days = request.GET.get("older_than", "")
    days = int(days) if days.isdigit() and 0 < int(days) < 3650 else NEVER_PRODUCED_DAYS
    today = timezone.localdate()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    context = {
        "portfolios": Portfolio.objects.select_related("bottleneck", "created_by")[:36],
        "never": never_produced(older_than_days=days)[:200],
        "older_than": days,
        "next_month": next_month,
        "can_build": request.user.has_perm(services.BUILD),
        "may_dispose": may_dispose(request.user),
        "sees_income": services.sees_income(request.user),
    }
    return render(request, "production/portfolio_list.html", context)


def _portfolio_or_404(pk: int) -> Portfolio:
    portfolio = Portfolio.objects.select_related("bottleneck", "created_by").filter(pk=pk).first()
    if portfolio is None:
        raise Http404(_("No such portfolio."))
    return portfolio


@login_required
@permission_required(VIEW, raise_exception=True)
def portfolio_detail(request, pk: int):
    portfolio = _portfolio_or_404(pk)
    lines = list(
        portfolio.lines.select_related(
            "order_line__order__customer", "order_line__item", "salesperson", "requested_by"
        )
    )
    user = request.user
    may_all = user.has_perm(services.LEVEL_PERMISSIONS[Portfolio.Level.MANAGER])
    for pl in lines:
        pl.may_request = portfolio.status == Portfolio.Status.DRAFT and (
            may_all or (user.has_perm(services.EDIT) and pl.salesperson_id == user.pk)
        )
    cases = list(
        PortfolioCase.objects.filter(line__portfolio=portfolio).select_related(
            "line__order_line__order", "created_by", "decided_by"
        )
    )
    open_cases = {c.line_id for c in cases if c.status == PortfolioCase.Status.OPEN}
    for pl in lines:
        pl.may_escalate = (
            portfolio.status != Portfolio.Status.CANCELLED
            and refused_request(pl)
            and pl.salesperson_id == user.pk
            and user.has_perm(services.EDIT)
            and pl.pk not in open_cases
        )
    context = {
        "portfolio": portfolio,
        "lines": lines,
        "in_count": sum(1 for pl in lines if pl.included),
        "conflicts": sum(1 for pl in lines if pl.conflict),
        "steps": portfolio.steps.select_related("by"),
        "actuals": plan_vs_actual(portfolio=portfolio),
        "is_draft": portfolio.status == Portfolio.Status.DRAFT,
        "can_edit": user.has_perm(services.EDIT),
        "can_decide": services.acting_level(portfolio, user) is not None,
        "cases": cases,
        "decides_cases": user.has_perm(services.LEVEL_PERMISSIONS[Portfolio.Level.MANAGER]),
        "requests": PortfolioLine.Request.choices,
        "sees_income": services.sees_income(user),
    }
    return render(request, "production/portfolio_detail.html", context)


ACTIONS = {
    "resolve": (services.portfolio_resolve, gettext_lazy("Solved again with the requests.")),
    "submit": (services.portfolio_submit, gettext_lazy("Submitted for approval.")),
    "approve": (services.portfolio_approve, gettext_lazy("Approved.")),
    "cancel": (services.portfolio_cancel, gettext_lazy("Portfolio dropped.")),
}


@login_required
@require_POST
def portfolio_action(request, pk: int, action: str):
    portfolio = _portfolio_or_404(pk)
    try:
        if action in ACTIONS:
            service, done = ACTIONS[action]
            service(user=request.user, portfolio=portfolio)
            messages.success(request, str(done))
        elif action == "reject":
            services.portfolio_reject(
                user=request.user, portfolio=portfolio, reason=request.POST.get("reason", "")[:500]
            )
            messages.success(request, _("Sent back to the salespeople."))
        else:
            raise Http404(_("No such action."))
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("production:portfolio-detail", pk=portfolio.pk)


@login_required
@require_POST
def portfolio_request(request, pk: int):
    line = get_object_or_404(PortfolioLine.objects.select_related("portfolio"), pk=pk)
    try:
        services.portfolio_request(
            user=request.user,
            line=line,
            request=request.POST.get("request", ""),
            note=request.POST.get("note", "")[:300],
        )
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("production:portfolio-detail", pk=line.portfolio_id)
