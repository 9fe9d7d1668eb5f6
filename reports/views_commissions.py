"""Commission statements per salesperson and month, with the margin grades and rates a
manager sets. A salesperson sees their own statement; managers see everyone's."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.roles import Role, has_role
from erp.spreadsheet import xlsx_response
from reports.exports import Report, to_readable_xlsx
from reports.forms_profit import CommissionPolicyForm
from reports.profit.amounts import ZERO, money_text, quantity_text, ratio_text
from reports.profit.commission_summary import commission_summary
from reports.profit.commissions import (
    Statement,
    commission_policy_update,
    commission_statement,
    current_policy,
    salespeople_with_shipments,
)
from reports.views_dashboard import manager_required

STATEMENT_FIELDS = ("item", "quantity", "revenue", "grade", "margin", "rate", "commission")


def _month(text: str | None) -> dt.date:
    """`2026-03` (or a date in the month); this month when empty or unreadable."""
    try:
        return dt.date.fromisoformat(f"{text}-01" if text and len(text) == 7 else text or "")
    except ValueError:
        today = timezone.localdate()
        return today.replace(day=1)


def _salesperson(request):
    """Whose statement: mine, or anyone's for a manager (?salesperson=username)."""
    is_manager = has_role(request.user, Role.MANAGER.value)
    if not (is_manager or has_role(request.user, Role.SALES.value)):
        raise PermissionDenied
    username = request.GET.get("salesperson", "").replace("\x00", "")
    if username and username != request.user.username:
        if not is_manager:
            raise PermissionDenied
        return get_object_or_404(get_user_model(), username=username), is_manager
    return request.user, is_manager


@login_required
def commissions(request):
    """A salesperson sees their statement; a manager sees every salesperson's commission
    for the month first and opens one statement from there (?salesperson=)."""
    person, is_manager = _salesperson(request)
    month = _month(request.GET.get("month"))
    overview = None
    if is_manager and not request.GET.get("salesperson"):
        overview = commission_summary(month=month)
        year_to_date = {
            row.salesperson.pk: row
            for row in commission_summary(month=month, start=month.replace(month=1, day=1))
        }
        for row in overview:
            row.year_to_date = year_to_date.get(row.salesperson.pk)
        statement = None
        policy = current_policy()
    else:
        statement = commission_statement(salesperson=person, month=month)
        policy = statement.policy
    people = []
    if is_manager:
        ids = salespeople_with_shipments(month=month)
        people = list(
            get_user_model()
            .objects.filter(Q(pk__in=ids) | Q(groups__name=Role.SALES.value, is_active=True))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
    context = {
        "overview": overview,
        "overview_revenue": sum((r.revenue for r in overview or []), ZERO),
        "overview_commission": sum((r.commission for r in overview or []), ZERO),
        "statement": statement,
        "person": person,
        "month": month,
        "is_manager": is_manager,
        "people": people,
        "policy": policy,
        "policy_form": CommissionPolicyForm(
            initial={f: getattr(policy, f) for f in CommissionPolicyForm.base_fields}
        )
        if is_manager
        else None,
    }
    return render(request, "reports/commissions.html", context)


def statement_rows(statement: Statement) -> list[dict]:
    return [
        {
            "item": line.item_code,
            "quantity": quantity_text(line.quantity, 0),
            "revenue": money_text(line.revenue),
            "grade": line.grade.grade,
            "margin": ratio_text(line.grade.margin),
            "rate": f"{line.rate:f}",
            "commission": money_text(line.commission),
        }
        for line in statement.lines
    ]


@login_required
def commissions_download(request):
    person, _is_manager = _salesperson(request)
    month = _month(request.GET.get("month"))
    statement = commission_statement(salesperson=person, month=month)
    report = Report("commission-statement", STATEMENT_FIELDS, lambda period: [])
    body = to_readable_xlsx(report, statement_rows(statement), title=_("Commission"))
    return xlsx_response(body, what=f"commission-{person.username}", stamp=f"{month:%Y-%m}")


@manager_required
@require_POST
def commission_policy(request):
    form = CommissionPolicyForm(request.POST)
    if form.is_valid():
        try:
            commission_policy_update(user=request.user, **form.cleaned_data)
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Commission grades and rates saved."))
    else:
        messages.error(request, _("Enter every threshold and rate as a fraction from 0 to 1."))
    month = _month(request.POST.get("month"))
    return redirect(f"{reverse('reports:commissions')}?month={month:%Y-%m}")
