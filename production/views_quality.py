"""Quality pages of the shop floor (品管课): nonconformance reports (open, dispose), the
in-process checks of work orders, and the actual defect rate per process by month beside
the defect-control table. Rules live in production.services.quality."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.roles import can_see_costs
from materials.models import Item, Process, Supplier
from production.models import Disposition, NcrSource, NcrStatus, Nonconformance, WorkOrder
from production.selectors_quality import checks, defect_rates_by_month, nonconformances
from production.services import quality

# The customer complaint an NCR answers lives in the relationship layer (crm), above
# production: it is reached through the NCR's own link, not imported.
Complaint = Nonconformance._meta.get_field("complaint").related_model

PAGE_SIZE = 50


def _page(request, queryset):
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), params.urlencode()


def _text(post, name: str, limit: int = 100) -> str:
    return (post.get(name) or "").replace("\x00", "").strip()[:limit]


@login_required
@permission_required("production.view_nonconformance", raise_exception=True)
def ncr_list(request):
    status = request.GET.get("status", NcrStatus.OPEN)
    status = status if status in NcrStatus.values else ""
    source = request.GET.get("source", "")
    source = source if source in NcrSource.values else ""
    search = _text(request.GET, "q")
    page, query = _page(request, nonconformances(status=status, source=source, search=search))
    context = {
        "page": page,
        "query": query,
        "status": status,
        "source": source,
        "search": search,
        "statuses": NcrStatus.choices,
        "sources": NcrSource.choices,
        "show_costs": can_see_costs(request.user),
        "can_add": request.user.has_perm("production.add_nonconformance"),
    }
    return render(request, "production/ncr_list.html", context)


@login_required
@permission_required("production.view_nonconformance", raise_exception=True)
def ncr_detail(request, number: str):
    ncr = get_object_or_404(nonconformances(), number=_text({"n": number}, "n", 40))
    context = {
        "ncr": ncr,
        "dispositions": Disposition.choices,
        "show_costs": can_see_costs(request.user),
        "can_dispose": ncr.status == NcrStatus.OPEN
        and request.user.has_perm("production.change_nonconformance"),
    }
    return render(request, "production/ncr_detail.html", context)


@login_required
@permission_required("production.change_nonconformance", raise_exception=True)
@require_POST
def ncr_dispose(request, number: str):
    ncr = get_object_or_404(Nonconformance, number=_text({"n": number}, "n", 40))
    try:
        quality.dispose_ncr(
            user=request.user,
            ncr=ncr,
            disposition=request.POST.get("disposition", ""),
            note=_text(request.POST, "note", 300),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(number)s disposed.") % {"number": ncr.number})
    return redirect("production:ncr-detail", number=ncr.number)


def _lookup(model, field: str, value: str, label: str, errors: list):
    if not value:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        errors.append(_("%(what)s %(code)s does not exist.") % {"what": label, "code": value})
    return found


@login_required
@permission_required("production.add_nonconformance", raise_exception=True)
def ncr_create(request):
    post = request.POST if request.method == "POST" else {}
    errors: list[str] = []
    if request.method == "POST":
        item = _lookup(Item, "code", _text(post, "item", 40), _("Item"), errors)
        found = {
            "work_order": _lookup(
                WorkOrder, "wo_no", _text(post, "work_order", 40), _("Work order"), errors
            ),
            "process": _lookup(Process, "code", _text(post, "process", 40), _("Process"), errors),
            "supplier": _lookup(
                Supplier, "code", _text(post, "supplier", 40), _("Supplier"), errors
            ),
            "complaint": _lookup(
                Complaint, "number", _text(post, "complaint", 40), _("Complaint"), errors
            ),
        }
        if item is None and not errors:
            errors.append(_("Give the item."))
        if not errors:
            try:
                ncr = quality.open_ncr(
                    user=request.user,
                    source=post.get("source", ""),
                    item=item,
                    quantity=_text(post, "quantity", 40),
                    defect_reason=_text(post, "defect_reason"),
                    description=_text(post, "description", 2000),
                    **found,
                )
            except DomainError as refusal:
                errors.append(refusal.message)
            else:
                messages.success(request, _("%(number)s opened.") % {"number": ncr.number})
                return redirect("production:ncr-detail", number=ncr.number)
    context = {"post": post, "errors": errors, "sources": NcrSource.choices}
    return render(request, "production/ncr_create.html", context)


@login_required
@permission_required("production.view_inprocesscheck", raise_exception=True)
def check_list(request):
    page, query = _page(request, checks())
    post = request.POST if request.method == "POST" else {}
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("production.add_inprocesscheck"):
            raise PermissionDenied
        work_order = _lookup(
            WorkOrder, "wo_no", _text(post, "work_order", 40), _("Work order"), errors
        )
        process = _lookup(Process, "code", _text(post, "process", 40), _("Process"), errors)
        if (work_order is None or process is None) and not errors:
            errors.append(_("Give the work order and the process."))
        if not errors:
            try:
                quality.record_check(
                    user=request.user,
                    work_order=work_order,
                    process=process,
                    inspected=_text(post, "inspected", 40),
                    defective=_text(post, "defective", 40) or "0",
                    defect_reason=_text(post, "defect_reason"),
                    notes=_text(post, "notes", 300),
                    raise_ncr=post.get("raise_ncr") == "on",
                )
            except DomainError as refusal:
                errors.append(refusal.message)
            else:
                messages.success(request, _("Check recorded."))
                return redirect("production:check-list")
    context = {
        "page": page,
        "query": query,
        "post": post,
        "errors": errors,
        "can_add": request.user.has_perm("production.add_inprocesscheck"),
    }
    return render(request, "production/check_list.html", context)


@login_required
@permission_required("materials.view_process", raise_exception=True)
def defect_rates(request):
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=180)).replace(day=1)
    rows = defect_rates_by_month(since=since)
    return render(request, "production/defect_rates.html", {"rows": rows, "since": since})
