"""Pages of machine capacity and the production plan: the machine-load view, planned
downtime, plans (propose, review, submit, approve or reject, revise) and their lines.
The rules live in production.services; these views translate forms and call them."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from materials.models import WorkCenter
from production.models import Downtime, PlanAdjustment, PlanLine, PlanStatus, ProductionPlan
from production.planning.calendar import monday_of
from production.planning.capacity import DEFAULT_WEEKS, MAX_WEEKS, machine_load
from production.selectors import plan_diff, plan_lines, plan_list, revisions
from production.services import downtime as downtime_services
from production.services import plans as plan_services
from production.services.adjust import may_adjust
from production.services.proposal import plan_propose, plan_revise

PLAN_VIEW = "production.view_productionplan"


def _refuse(request, refusal: DomainError | PermissionDenied) -> None:
    text = refusal.message if isinstance(refusal, DomainError) else str(refusal)
    messages.error(request, text or _("You may not do this."))


# Machine load ------------------------------------------------------------------------------


class LoadForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From week of"), required=False)
    weeks = forms.IntegerField(
        label=gettext_lazy("Weeks"), required=False, min_value=1, max_value=MAX_WEEKS
    )
    machine = forms.CharField(label=gettext_lazy("Machine"), required=False, max_length=40)
    plan = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


@login_required
@permission_required(PLAN_VIEW, raise_exception=True)
def load_view(request):
    """机台情况: planned hours against capacity per machine and week; overloads in red;
    the orders behind each bar. ?plan=<id> previews a plan not yet approved."""
    form = LoadForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("start") or timezone.localdate()
    weeks = data.get("weeks") or DEFAULT_WEEKS
    preview = None
    if data.get("plan"):
        preview = ProductionPlan.objects.filter(pk=data["plan"]).first()
    codes = [data["machine"].replace("\x00", "")] if data.get("machine") else []
    rows = machine_load(start=start, weeks=weeks, preview=preview, machine_codes=codes)
    context = {
        "form": form,
        "rows": rows,
        "weeks": rows[0].weeks if rows else [],
        "start": monday_of(start),
        "preview": preview,
        "machines": WorkCenter.objects.order_by("code").values_list("code", flat=True),
        "can_plan_downtime": request.user.has_perm("production.add_downtime"),
    }
    return render(request, "production/load_machine.html", context)


# Downtime ----------------------------------------------------------------------------------


class DowntimeForm(forms.Form):
    work_center = forms.ModelChoiceField(
        label=gettext_lazy("Machine"), queryset=WorkCenter.objects.order_by("code")
    )
    start_date = forms.DateField(label=gettext_lazy("From"))
    end_date = forms.DateField(label=gettext_lazy("To"), required=False)
    hours_per_day = forms.DecimalField(
        label=gettext_lazy("Hours lost per day (blank: the whole day)"),
        required=False,
        max_digits=8,
        decimal_places=2,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


@login_required
@permission_required("production.view_downtime", raise_exception=True)
def downtime_list(request):
    form = DowntimeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("production.add_downtime"):
            raise PermissionDenied
        if form.is_valid():
            try:
                downtime_services.downtime_create(user=request.user, **form.cleaned_data)
            except DomainError as refused:
                form.add_error(
                    refused.field if refused.field in form.fields else None, refused.message
                )
            else:
                messages.success(request, _("Downtime planned."))
                return redirect("production:downtime-list")
    since = timezone.localdate() - dt.timedelta(days=30)
    downtimes = Downtime.objects.select_related("work_center", "created_by").filter(
        end_date__gte=since
    )
    page = Paginator(downtimes.order_by("start_date", "work_center__code"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "can_edit": request.user.has_perm("production.add_downtime"),
        "can_delete": request.user.has_perm("production.delete_downtime"),
    }
    return render(request, "production/load_downtime.html", context)


@login_required
@require_POST
def downtime_delete(request, pk: int):
    downtime = get_object_or_404(Downtime, pk=pk)
    downtime_services.downtime_delete(user=request.user, downtime=downtime)
    messages.success(request, _("Downtime removed."))
    return redirect("production:downtime-list")


# Plans -------------------------------------------------------------------------------------


@login_required
@permission_required(PLAN_VIEW, raise_exception=True)
def plan_list_view(request):
    status = request.GET.get("status", "")
    number = request.GET.get("number", "").replace("\x00", "")[:40]
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(plan_list(status=status, number=number), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": status,
        "number": number,
        "choices": PlanStatus.choices,
        "can_propose": request.user.has_perm(plan_services.ADD_PERMISSION),
    }
    return render(request, "production/plan_list.html", context)


class ProposeForm(forms.Form):
    period_start = forms.DateField(label=gettext_lazy("From"))
    period_end = forms.DateField(label=gettext_lazy("To"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


@login_required
@permission_required(plan_services.ADD_PERMISSION, raise_exception=True)
def plan_new(request):
    today = timezone.localdate()
    initial = {"period_start": today, "period_end": today + dt.timedelta(days=27)}
    form = ProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_propose(
                user=request.user,
                start=data["period_start"],
                end=data["period_end"],
                note=data["note"],
            )
        except DomainError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("Plan %(number)s proposed.") % {"number": plan.number})
            return redirect("production:plan-detail", pk=plan.pk)
    return render(request, "production/plan_new.html", {"form": form})


def _plan_or_404(pk: int) -> ProductionPlan:
    plan = (
        ProductionPlan.objects.select_related(
            "created_by", "submitted_by", "decided_by", "previous"
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


@login_required
@permission_required(PLAN_VIEW, raise_exception=True)
def plan_detail(request, pk: int):
    plan = _plan_or_404(pk)
    lines = list(plan_lines(plan=plan))
    user = request.user
    editable = plan.status == PlanStatus.DRAFT and user.has_perm(plan_services.EDIT_PERMISSION)
    approver = user.has_perm(plan_services.APPROVE_PERMISSION)
    editor = user.has_perm(plan_services.EDIT_PERMISSION)
    actions = {
        "submit": editor and plan.status == PlanStatus.DRAFT,
        "approve": approver and plan.status == PlanStatus.SUBMITTED,
        "reject": approver and plan.status == PlanStatus.SUBMITTED,
        "reopen": editor and plan.status == PlanStatus.REJECTED,
        "cancel": editor and plan.status in (PlanStatus.DRAFT, PlanStatus.REJECTED),
        "revise": editor and plan.status == PlanStatus.APPROVED,
    }
    context = {
        "plan": plan,
        "scheduled": [pl for pl in lines if pl.scheduled],
        "unscheduled": [pl for pl in lines if not pl.scheduled],
        "stale_count": sum(1 for pl in lines if pl.is_stale),
        "changes": plan_diff(plan=plan) if plan.previous_id else [],
        "revisions": revisions(number=plan.number),
        "editable": editable,
        "can_adjust": plan.status == PlanStatus.APPROVED and may_adjust(user),
        "adjustments": list(
            PlanAdjustment.objects.filter(plan__number=plan.number).select_related(
                "plan", "created_by"
            )
        ),
        "actions": actions,
        "machines": WorkCenter.objects.order_by("code") if editable else [],
    }
    return render(request, "production/plan_detail.html", context)


ACTIONS = {
    "submit": (plan_services.plan_submit, gettext_lazy("Plan submitted for approval.")),
    "approve": (plan_services.plan_approve, gettext_lazy("Plan approved; work orders released.")),
    "reopen": (plan_services.plan_reopen, gettext_lazy("Plan back to draft.")),
    "cancel": (plan_services.plan_cancel, gettext_lazy("Plan cancelled.")),
}


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    plan = _plan_or_404(pk)
    try:
        if action in ACTIONS:
            service, done = ACTIONS[action]
            service(user=request.user, plan=plan)
            messages.success(request, str(done))
        elif action == "reject":
            plan_services.plan_reject(
                user=request.user, plan=plan, reason=request.POST.get("reason", "")[:2000]
            )
            messages.success(request, _("Plan rejected."))
        elif action == "revise":
            revision = plan_revise(user=request.user, plan=plan)
            messages.success(
                request, _("Revision %(revision)s drafted.") % {"revision": revision.revision}
            )
            return redirect("production:plan-detail", pk=revision.pk)
        else:
            raise Http404(_("No such action."))
    except DomainError as refused:
        _refuse(request, refused)
    return redirect("production:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_line_edit(request, pk: int):
    line = get_object_or_404(PlanLine.objects.select_related("plan", "work_center"), pk=pk)
    machine = None
    code = request.POST.get("work_center", "").replace("\x00", "")
    if code:
        machine = WorkCenter.objects.filter(Q(code=code)).first()
        if machine is None:
            messages.error(request, _("There is no machine %(code)s.") % {"code": code[:40]})
            return redirect("production:plan-detail", pk=line.plan_id)
    try:
        if request.POST.get("remove"):
            plan_services.plan_line_remove(user=request.user, line=line)
            messages.success(request, _("Order line taken out of the plan."))
        else:
            plan_services.plan_line_update(
                user=request.user,
                line=line,
                start_date=request.POST.get("start_date") or None,
                end_date=request.POST.get("end_date") or None,
                work_center=machine,
            )
            messages.success(request, _("Plan line moved."))
    except DomainError as refused:
        _refuse(request, refused)
    return redirect("production:plan-detail", pk=line.plan_id)
