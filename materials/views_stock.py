"""Stock pages: balances per item and warehouse, an item's ledger with the document behind
each move, and stock-count adjustments (the warehouse asks, a manager decides)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.roles import can_see_costs
from erp.sorting import apply_sort
from materials import selectors_pages
from materials import selectors_stock as selectors
from materials.forms_stock import (
    AdjustmentFilterForm,
    AdjustmentRejectForm,
    AdjustmentRequestForm,
    LedgerFilterForm,
    StockSearchForm,
)
from materials.models import Item, StockAdjustment
from materials.services.adjustments import (
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
    may_approve,
)

PAGE_SIZE = 50
# Sortable columns (whitelists, erp/sorting.py). A balance row is a group (item, warehouse):
# its stable order is by those keys, not a primary key.
STOCK_SORTS = {
    "item": "item__code",
    "name": "item__name",
    "warehouse": "location__warehouse__code",
    "usable": "usable",
    "quarantine": "quarantine",
    "inspection": "inspection",
}
ADJUSTMENT_SORTS = {
    "number": "id",
    "item": "item__code",
    "warehouse": "location__warehouse__code",
    "difference": "difference",
    "status": "status",
    "requested": "created_at",
}


@login_required
@permission_required("materials.view_stockbalance", raise_exception=True)
def stock_list(request):
    form = StockSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = apply_sort(
        selectors.stock_rows(
            search=data.get("q", ""),
            warehouse_code=data.get("warehouse", ""),
            include_zero=bool(data.get("all")),
        ),
        request,
        allowed=STOCK_SORTS,
        default="item",
        stable=("item__code", "location__warehouse__code"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    template = "materials/stock_table.html" if _is_partial(request) else "materials/stock_list.html"
    return render(request, template, context)


@login_required
@permission_required("materials.view_stockmove", raise_exception=True)
def stock_ledger(request, code: str):
    item = Item.objects.filter(code=code).first() if "\x00" not in code else None
    if item is None:
        raise Http404(_("No item with this code."))
    form = LedgerFilterForm(request.GET or None)
    warehouse = form.cleaned_data["warehouse"] if form.is_valid() else ""
    page = Paginator(
        selectors.ledger(item_id=item.pk, warehouse_code=warehouse), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for move in page:
        move.document_url = selectors.document_url(move.document_type, move.document_number)
    context = {
        "item": item,
        "form": form,
        "warehouse": warehouse,
        "page": page,
        "query": _query_without_page(request),
        "stock": selectors_pages.stock_by_warehouse(item=item),
        "show_costs": can_see_costs(request.user),
    }
    return render(request, "materials/stock_ledger.html", context)


@login_required
@permission_required("materials.view_stockadjustment", raise_exception=True)
def adjustment_list(request):
    form = AdjustmentFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    adjustments = apply_sort(
        selectors.adjustment_list(status=status),
        request,
        allowed=ADJUSTMENT_SORTS,
        default="-requested",
    )
    page = Paginator(adjustments, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "may_approve": may_approve(request.user),
    }
    return render(request, "materials/adjustment_list.html", context)


@login_required
@permission_required("materials.add_stockadjustment", raise_exception=True)
def adjustment_create(request):
    initial = {k: v for k, v in request.GET.items() if k in ("item", "warehouse", "location")}
    form = AdjustmentRequestForm(request.POST or None, initial={"warehouse": "MAIN", **initial})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = Item.objects.filter(code=data["item"]).first()
        if item is None:
            form.add_error("item", _("There is no item %(code)s.") % {"code": data["item"]})
        else:
            try:
                adjustment = adjustment_request(
                    user=request.user,
                    item=item,
                    warehouse_code=data["warehouse"],
                    location_kind=data["location"],
                    counted_quantity=data["counted_quantity"].strip(),
                    reason=data["reason"],
                )
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("Adjustment %(number)s is waiting for a manager's approval.")
                    % {"number": adjustment.number},
                )
                return redirect("materials:adjustment-detail", number=adjustment.number)
    return render(request, "materials/adjustment_create.html", {"form": form})


def _adjustment_or_404(number: str) -> StockAdjustment:
    adjustment = selectors.adjustment_list().filter(number=number.replace("\x00", "")).first()
    if adjustment is None:
        raise Http404(_("No stock adjustment with this number."))
    return adjustment


@login_required
@permission_required("materials.view_stockadjustment", raise_exception=True)
def adjustment_detail(request, number: str):
    context = {
        "adjustment": _adjustment_or_404(number),
        "may_approve": may_approve(request.user),
        "reject_form": AdjustmentRejectForm(),
    }
    return render(request, "materials/adjustment_detail.html", context)


@require_POST
@login_required
@permission_required("materials.approve_stockadjustment", raise_exception=True)
def adjustment_approve_view(request, number: str):
    adjustment = _adjustment_or_404(number)
    try:
        adjustment = adjustment_approve(user=request.user, adjustment=adjustment)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Adjustment %(number)s approved. %(note)s")
            % {"number": adjustment.number, "note": adjustment.decision_note},
        )
    return redirect(_back(request, adjustment))


@require_POST
@login_required
@permission_required("materials.approve_stockadjustment", raise_exception=True)
def adjustment_reject_view(request, number: str):
    adjustment = _adjustment_or_404(number)
    form = AdjustmentRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the adjustment is rejected."))
        return redirect(_back(request, adjustment))
    try:
        adjustment_reject(
            user=request.user, adjustment=adjustment, reason=form.cleaned_data["reason"]
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Adjustment %(number)s rejected.") % {"number": number})
    return redirect(_back(request, adjustment))


def _back(request, adjustment: StockAdjustment) -> str:
    if request.POST.get("next") == "list":
        return reverse("materials:adjustment-list")
    return reverse("materials:adjustment-detail", args=[adjustment.number])


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request
