"""MRP pages: shortfalls by supplier (and requisitions from them), planned production, an
item's time-phased grid, the pegging of a planned order; "run now". The pages show the
latest succeeded run, when it was computed and whether orders changed since."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from materials.models import Item
from production.models import MrpRun, PlannedOrder
from production.mrp import pages, selectors
from production.mrp.access import may_requisition, may_run, may_view
from production.mrp.grid import item_grid
from production.mrp.requisitions import requisition_from_shortfalls
from production.mrp.services import start_run

PAGE_SIZE = 100


def _may_view(user) -> None:
    if not may_view(user):
        raise PermissionDenied


class ShortfallFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Item"), required=False, max_length=100)
    supplier = forms.CharField(label=gettext_lazy("Supplier"), required=False, max_length=40)
    late = forms.BooleanField(label=gettext_lazy("Late only"), required=False)


class ProductionFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Item"), required=False, max_length=100)
    late = forms.BooleanField(label=gettext_lazy("Late only"), required=False)


def _status(request, run: MrpRun | None) -> dict:
    """What every MRP page says about its results."""
    return {
        "run": run,
        "stale": selectors.results_stale(run),
        "running": selectors.run_in_progress(),
        "failed": selectors.last_failed_since(run),
        "may_run": may_run(request.user),
    }


def _page(request, rows):
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), params.urlencode()


@login_required
def shortfall_list(request):
    _may_view(request.user)
    run = selectors.latest_run()
    form = ShortfallFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    context = {**_status(request, run), "form": form, "may_requisition": False}
    if run is not None:
        rows = pages.shortfall_rows(
            run=run,
            supplier=data.get("supplier", ""),
            late_only=data.get("late", False),
            search=data.get("q", ""),
        )
        page, query = _page(request, rows)
        on_requisition = selectors.open_requisition_quantities(item_ids=[p.item_id for p in page])
        for p in page:
            p.on_requisition = on_requisition.get(p.item_id)
        context.update(
            page=page,
            query=query,
            suppliers=selectors.shortfall_suppliers(run=run),
            no_supplier=selectors.NO_SUPPLIER,
            may_requisition=may_requisition(request.user),
        )
    return render(request, "production/mrp_shortfall_list.html", context)


@login_required
@require_POST
def shortfall_requisition(request):
    if not may_requisition(request.user):
        raise PermissionDenied
    try:
        ids = [int(v) for v in request.POST.getlist("planned")]
    except ValueError:
        ids = []
    try:
        requisition = requisition_from_shortfalls(
            user=request.user, planned_order_ids=ids, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, "production:shortfall-list"))
    count = len(set(ids))
    messages.success(
        request,
        ngettext(
            "Purchase requisition %(number)s raised for %(count)d shortfall.",
            "Purchase requisition %(number)s raised for %(count)d shortfalls.",
            count,
        )
        % {"number": requisition.number, "count": count},
    )
    return redirect("materials:requisition-detail", requisition.number)


@login_required
@require_POST
def run_now(request):
    if not may_run(request.user):
        raise PermissionDenied
    try:
        run = start_run(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if run is None:
            messages.info(request, _("MRP run queued: the results appear here when it ends."))
        elif run.status == MrpRun.Status.SUCCEEDED:
            messages.success(
                request,
                _("MRP run finished: %(count)d planned orders.")
                % {"count": run.counts.get("planned_orders", 0)},
            )
        else:
            messages.error(
                request,
                _("The MRP run failed; the previous results stay: %(error)s")
                % {"error": run.error},
            )
    return redirect(_back(request, "production:shortfall-list"))


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def production_list(request):
    _may_view(request.user)
    run = selectors.latest_run()
    form = ProductionFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    context = {**_status(request, run), "form": form}
    if run is not None:
        rows = pages.production_rows(
            run=run, late_only=data.get("late", False), search=data.get("q", "")
        )
        page, context["query"] = _page(request, rows)
        released = selectors.released_work_orders(planned_order_ids=[p.pk for p in page])
        for p in page:
            p.work_order_no = released.get(p.pk)
        context.update(page=page, may_release=request.user.has_perm("production.add_workorder"))
    return render(request, "production/mrp_production_list.html", context)


@login_required
def item_view(request, code: str):
    _may_view(request.user)
    item = get_object_or_404(Item, code=code)
    run = selectors.latest_run()
    context = {**_status(request, run), "item": item, "grid": None}
    if run is not None:
        context["grid"] = item_grid(item=item, run=run)
        context["planned"] = list(
            PlannedOrder.objects.filter(
                run=run, kind__in=PlannedOrder.Kind.values, item=item
            ).order_by("due_date", "pk")  # every kind: the (run, kind, item) index serves
        )
    return render(request, "production/mrp_item.html", context)


@login_required
def planned_order_detail(request, pk: int):
    _may_view(request.user)
    try:
        pegging = selectors.planned_order_pegging(pk=pk)
    except PlannedOrder.DoesNotExist as exc:
        raise Http404(_("No such planned order (results of an old run are removed).")) from exc
    run = selectors.latest_run()
    page, query = _page(request, pegging.customer_orders)
    context = {
        **_status(request, run),
        "pegging": pegging,
        "page": page,
        "query": query,
        "order": pegging.order,
        "is_latest": run is not None and pegging.order.run_id == run.pk,
        "may_requisition": may_requisition(request.user),
        "expedite": pages.expeditable_purchases(order=pegging.order),
    }
    return render(request, "production/mrp_planned_order.html", context)
