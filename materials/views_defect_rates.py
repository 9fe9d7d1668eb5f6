"""The defect-control table (各工序不良控制比例表) as quality keeps it: change a rate with a
reason (in percent, as the factory speaks of it), see every change with who and when."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from materials.models import DefectRateChange, Process
from materials.selectors_pages import defect_control_table
from materials.services.defect_rates import change_defect_rate

PAGE_SIZE = 30


def rate_changes():
    return DefectRateChange.objects.select_related(
        "process", "changed_by", "reapplied_by"
    ).order_by("-changed_at", "-pk")


@login_required
@permission_required("materials.view_process", raise_exception=True)
def process_list(request):
    page = Paginator(rate_changes(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "processes": defect_control_table(),
        "can_edit": request.user.has_perm("materials.change_process"),
        "page": page,
        "query": "",
    }
    return render(request, "materials/process_list.html", context)


@login_required
@permission_required("materials.change_process", raise_exception=True)
@require_POST
def process_rate_change(request, code: str):
    process = get_object_or_404(Process, code=code)
    text = (request.POST.get("percent") or "").strip()
    try:
        rate = Decimal(text) / 100
    except (InvalidOperation, ValueError):
        messages.error(
            request, _("%(code)s: the defect rate is a percentage, e.g. 2.5.") % {"code": code}
        )
        return redirect("materials:process-list")
    try:
        change_defect_rate(
            process=process,
            rate=rate if rate.is_finite() else text,
            reason=request.POST.get("reason", "")[:400],
            user=request.user,
        )
    except DomainError as refusal:
        messages.error(request, f"{code}: {refusal.message}")
    else:
        messages.success(
            request,
            _("%(code)s: defect rate changed from %(old)s%% to %(new)s%%.")
            % {
                "code": code,
                "old": (process.defect_rate * 100).normalize(),
                "new": (rate * 100).normalize(),
            },
        )
    return redirect("materials:process-list")
