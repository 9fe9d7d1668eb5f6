"""Quality control pages (品管课): the inspection queue, one lot with quality's decision
(sample, accepted, rejected, why) and the return of rejected goods to the supplier, and the
incoming rejection rate per supplier. Rules live in materials.services.inspection."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from materials.models import InspectionKind, InspectionStatus
from materials.selectors_quality import (
    inspection_lot,
    inspection_lots,
    supplier_rejection_by_month,
)
from materials.services.inspection import decide_inspection, return_to_supplier

PAGE_SIZE = 50


def _lot(number: str):
    lot = inspection_lot(number=(number or "").replace("\x00", "")[:40])
    if lot is None:
        raise Http404(_("No inspection with this number."))
    return lot


@login_required
@permission_required("materials.view_inspectionlot", raise_exception=True)
def inspection_list(request):
    status = request.GET.get("status", InspectionStatus.ON_HOLD)
    status = status if status in InspectionStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in InspectionKind.values else ""
    search = (request.GET.get("q") or "")[:100]
    lots = inspection_lots(status=status, kind=kind, search=search)
    page = Paginator(lots, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": status,
        "kind": kind,
        "search": search,
        "statuses": InspectionStatus.choices,
        "kinds": InspectionKind.choices,
    }
    return render(request, "materials/inspection_list.html", context)


@login_required
@permission_required("materials.view_inspectionlot", raise_exception=True)
def inspection_detail(request, number: str):
    lot = _lot(number)
    returned = sum((r.quantity for r in lot.supplier_returns.all()), start=0)
    context = {
        "lot": lot,
        "can_decide": lot.status == InspectionStatus.ON_HOLD
        and request.user.has_perm("materials.add_inspectiondecision"),
        "returnable": lot.rejected - returned if lot.goods_receipt_id else 0,
        "can_return": request.user.has_perm("materials.add_supplierreturn"),
    }
    return render(request, "materials/inspection_detail.html", context)


@login_required
@permission_required("materials.add_inspectiondecision", raise_exception=True)
@require_POST
def inspection_decide(request, number: str):
    lot = _lot(number)
    post = request.POST
    try:
        decide_inspection(
            user=request.user,
            lot=lot,
            accepted=post.get("accepted", "").strip()[:40],
            rejected=post.get("rejected", "").strip()[:40],
            sample_size=post.get("sample_size", "").strip()[:40],
            defective_in_sample=post.get("defective_in_sample", "").strip()[:40],
            defect_reason=post.get("defect_reason", ""),
            notes=post.get("notes", ""),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Decision on %(number)s recorded.") % {"number": lot.number})
    return redirect("materials:inspection-detail", number=lot.number)


@login_required
@permission_required("materials.add_supplierreturn", raise_exception=True)
@require_POST
def inspection_return(request, number: str):
    lot = _lot(number)
    try:
        back = return_to_supplier(
            user=request.user,
            lot=lot,
            quantity=request.POST.get("quantity", "").strip()[:40],
            reason=request.POST.get("reason", "")[:200],
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Return to supplier %(number)s written.") % {"number": back.number}
        )
    return redirect("materials:inspection-detail", number=lot.number)


@login_required
@permission_required("materials.view_inspectionlot", raise_exception=True)
def supplier_quality(request):
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=365)
    rows = supplier_rejection_by_month(since=since.replace(day=1))
    return render(request, "materials/supplier_quality.html", {"rows": rows, "since": since})
