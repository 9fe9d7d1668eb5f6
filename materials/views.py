"""Master-data pages: items and their BOMs, the defect-control table."""

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.roles import can_see_costs
from erp.sorting import apply_sort
from materials import selectors_pages as selectors
from materials.models import Item, ItemKind

PAGE_SIZE = 50


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *ItemKind.choices]
    )


class ExplodeForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Quantity of the item"),
        min_value=Decimal("0.000001"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        initial=Decimal("1"),
    )


# Columns a person may sort the item list by (standard cost only for who sees costs).
ITEM_SORTS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "stock": "usable_stock",
    "safety": "safety_stock",
    "lead": "lead_time_days",
    "price": "list_price",
}


@login_required
@permission_required("materials.view_item", raise_exception=True)
def item_list(request):
    form = ItemSearchForm(request.GET or None)
    search, kind = "", ""
    if form.is_valid():
        search, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    show_costs = can_see_costs(request.user)
    items = apply_sort(
        selectors.item_list(search=search, kind=kind),
        request,
        allowed=ITEM_SORTS | ({"cost": "standard_cost"} if show_costs else {}),
        default="code",
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "show_costs": show_costs,
    }
    template = "materials/_item_table.html" if _is_partial(request) else "materials/item_list.html"
    return render(request, template, context)


@login_required
@permission_required("materials.view_item", raise_exception=True)
def item_detail(request, code: str):
    try:
        item = selectors.item_by_code(code=code)
    except Item.DoesNotExist as exc:
        raise Http404(_("No item with this code.")) from exc
    form = ExplodeForm(request.GET if "quantity" in request.GET else None)
    quantity = form.cleaned_data["quantity"] if form.is_valid() else Decimal("1")
    rows, truncated = selectors.bom_tree(item=item, quantity=quantity)
    context = {
        "item": item,
        "form": form,
        "quantity": quantity,
        "bom_rows": rows,
        "bom_truncated": truncated,
        "where_used": selectors.where_used(item=item),
        "routing": selectors.routing_of(item=item),
        "stock": selectors.stock_by_warehouse(item=item),
        "show_costs": can_see_costs(request.user),
    }
    return render(request, "materials/item_detail.html", context)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _is_partial(request) -> bool:
    """An htmx search refreshes only the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
