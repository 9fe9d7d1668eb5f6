"""Work-order pages: the list and one work order (routing, material, daily output,
receipts, the orders it serves); releasing MRP planned production as work orders; reversing
a finished-goods receipt. The rules live in production.services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.sorting import apply_sort
from production import work_order_selectors as selectors
from production.models import FinishedGoodsReceipt, WorkOrder
from production.services.receipt_reversal import MAX_REASON, finished_goods_receipt_reverse
from production.services.release import release_planned_orders

PAGE_SIZE = 50
# Sortable columns of the work-order list (whitelist, erp/sorting.py).
WORK_ORDER_SORTS = {
    "number": "wo_no",
    "status": "status",
    "item": "item__code",
    "quantity": "quantity",
    "completed": "completed_quantity",
    "due": "due_date",
    "order": "sales_order__order_no",
}


class WorkOrderFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("any"))] + list(WorkOrder.Status.choices),
    )
    item = forms.CharField(label=gettext_lazy("Item"), required=False, max_length=40)


class ReversalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=MAX_REASON)


@login_required
@permission_required("production.view_workorder", raise_exception=True)
def work_order_list(request):
    form = WorkOrderFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = apply_sort(
        selectors.work_orders(
            status=data.get("status", ""), item=data.get("item", ""), search=data.get("q", "")
        ),
        request,
        allowed=WORK_ORDER_SORTS,
        default="due",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": params.urlencode()}
    return render(request, "production/work_order_list.html", context)


@login_required
@permission_required("production.view_workorder", raise_exception=True)
def work_order_detail(request, wo_no: str):
    try:
        wo = selectors.work_order(wo_no=wo_no)
    except WorkOrder.DoesNotExist as missing:
        raise Http404(_("No work order with this number.")) from missing
    context = {
        "view": selectors.work_order_view(wo=wo),
        "wo": wo,
        "can_receive": request.user.has_perm("production.add_finishedgoodsreceipt"),
        "can_report": request.user.has_perm("production.add_dailyreport"),
    }
    return render(request, "production/work_order_detail.html", context)


@login_required
@require_POST
@permission_required("production.add_workorder", raise_exception=True)
def release_work_orders(request):
    """The ticked planned production orders of the MRP page become work orders."""
    back = request.POST.get("next", "")
    if not (back and url_has_allowed_host_and_scheme(back, {request.get_host()})):
        back = "production:mrp-production"
    try:
        released = release_planned_orders(
            user=request.user, planned_order_ids=request.POST.getlist("planned")
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)d work order released: %(numbers)s.",
            "%(count)d work orders released: %(numbers)s.",
            len(released),
        )
        % {"count": len(released), "numbers": ", ".join(wo.wo_no for wo in released)},
    )
    if len(released) == 1:
        return redirect("production:work-order-detail", wo_no=released[0].wo_no)
    return redirect("production:work-order-list")


@login_required
@permission_required("production.add_finishedgoodsreceipt", raise_exception=True)
def fg_receipt_reverse(request, number: str):
    receipt = (
        FinishedGoodsReceipt.objects.select_related("item", "work_order", "warehouse")
        .filter(number=number.replace("\x00", ""))
        .first()
    )
    if receipt is None:
        raise Http404(_("No receipt with this number."))
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = finished_goods_receipt_reverse(
                user=request.user, receipt=receipt, reason=form.cleaned_data["reason"]
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("Receipt %(receipt)s reversed by %(number)s.")
                % {"receipt": receipt.number, "number": reversal.number},
            )
            return redirect("production:fg-receipt-detail", number=receipt.number)
    context = {"form": form, "receipt": receipt}
    return render(request, "production/receipt_reverse.html", context)
