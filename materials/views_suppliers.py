"""Supplier pages: the list (search by code, name or phone) and one supplier with its
purchase orders and incoming-inspection record. Everyone who reads master data may see
them; purchase prices only for purchasing and managers."""

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from materials import selectors_suppliers as selectors
from materials.selectors_purchasing import sees_purchase_prices

PAGE_SIZE = 50
ORDERS_SHOWN = 20


@login_required
@permission_required("materials.view_supplier", raise_exception=True)
def supplier_list(request):
    search = request.GET.get("q", "")[:100]
    suppliers = selectors.supplier_list(search=search, today=timezone.localdate())
    page = Paginator(suppliers, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "q": search.replace("\x00", ""), "query": params.urlencode()}
    return render(request, "materials/supplier_list.html", context)


@login_required
@permission_required("materials.view_supplier", raise_exception=True)
def supplier_detail(request, code: str):
    supplier = selectors.supplier_by_code(code=code)
    if supplier is None:
        raise Http404(_("No supplier with this code."))
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (selectors.QUALITY_MONTHS - 1))).replace(
        day=1
    )
    orders = selectors.supplier_purchase_orders(supplier=supplier)
    context = {
        "supplier": supplier,
        "orders": orders[:ORDERS_SHOWN],
        "order_count": orders.count(),
        "quality": selectors.supplier_quality(supplier=supplier, since=since),
        "since": since,
        "today": today,
        "show_prices": sees_purchase_prices(request.user),
        "sees_inspections": request.user.has_perm("materials.view_inspectionlot"),
    }
    return render(request, "materials/supplier_detail.html", context)
