"""The order's material page: requirement and availability per line and item, and the
material controller's "raise a purchase requisition" for what is short."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from orders.availability.read import order_availability
from orders.models import MaterialStatus, SalesOrder
from orders.selectors.material import orders_needing_material
from orders.services.material_requisition import (
    can_raise_requisitions,
    requisition_for_shortfall,
)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def order_material_page(request, order_no: str):
    order = get_object_or_404(SalesOrder.objects.select_related("customer"), order_no=order_no)
    try:
        found = order_availability(order=order)
    except DomainError as broken:  # a BOM cycle slipped in: say so instead of failing
        messages.error(request, broken.message)
        found = None
    rows = found.rows if found else []
    lines = [
        {"line": line, "rows": list(line_rows)}
        for line, line_rows in groupby(rows, key=lambda row: row.order_line)
    ]
    context = {
        "order": order,
        "lines": lines,
        "status": found.status if found else order.material_status,
        "found": found,
        "has_rows": bool(rows),
        "can_raise": can_raise_requisitions(request.user),
        "covered": MaterialStatus.COVERED,
    }
    return render(request, "orders/material_order.html", context)


@login_required
@require_POST
def raise_requisition(request, order_no: str):
    if not can_raise_requisitions(request.user):
        raise PermissionDenied
    picks = []
    for value in request.POST.getlist("pick"):
        line_no, _sep, code = value.partition(":")
        if line_no.isdigit() and code:
            picks.append((int(line_no), code))
    try:
        requisition = requisition_for_shortfall(
            user=request.user,
            order_no=order_no,
            picks=picks,
            note=request.POST.get("note", "")[:300],
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("orders:order-material", order_no=order_no)
    messages.success(
        request,
        _("Purchase requisition %(number)s raised for order %(order)s.")
        % {"number": requisition.number, "order": order_no},
    )
    return redirect("materials:requisition-detail", number=requisition.number)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def material_list(request):
    """Orders short of material or partly covered (as last refreshed), earliest due first."""
    wanted = request.GET.get("status", "")
    statuses = [wanted] if wanted in MaterialStatus.values else []
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(orders_needing_material(statuses=statuses), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": wanted if statuses else "",
        "choices": MaterialStatus.choices,
    }
    return render(request, "orders/material_list.html", context)
