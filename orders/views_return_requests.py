"""Return request pages (退料申请): the queue the warehouse works from, one request with
confirm (what arrived) or reject (why), and the requester's withdraw. Rules live in
orders.services.return_requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from orders.forms_slips import clean_text, parse_quantity
from orders.models import ReturnRequestStatus
from orders.selectors.return_requests import return_request_by_number, return_requests
from orders.services import return_requests as services

PAGE_SIZE = 50
VIEW = "orders.view_returnrequest"


def _request(number: str):
    found = return_request_by_number(number=clean_text(number))
    if found is None:
        raise Http404(_("No return request with this number."))
    return found


@login_required
@permission_required(VIEW, raise_exception=True)
def return_request_list(request):
    status = request.GET.get("status", ReturnRequestStatus.REQUESTED)
    status = status if status in ReturnRequestStatus.values else ""
    search = clean_text(request.GET.get("q"))
    page = Paginator(return_requests(status=status, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": status,
        "statuses": ReturnRequestStatus.choices,
        "search": search,
    }
    return render(request, "orders/return_request_list.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def return_request_detail(request, number: str):
    found = _request(number)
    waiting = found.status == ReturnRequestStatus.REQUESTED
    context = {
        "req": found,
        "can_decide": waiting and request.user.has_perm("orders.add_materialslip"),
        "can_cancel": waiting and found.created_by_id == request.user.pk,
    }
    return render(request, "orders/return_request_detail.html", context)


@login_required
@permission_required("orders.add_materialslip", raise_exception=True)
@require_POST
def return_request_confirm(request, number: str):
    found = _request(number)
    quantities = {}
    for line in found.lines.all():
        text = request.POST.get(f"qty-{line.pk}", "")
        quantity, error = parse_quantity(text)
        if error:
            messages.error(request, f"{line.item.code}: {error}")
            return redirect("orders:return-request-detail", number=found.number)
        quantities[line.pk] = quantity if quantity is not None else 0
    try:
        slip = services.confirm_return_request(
            request=found, user=request.user, quantities=quantities
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("orders:return-request-detail", number=found.number)
    messages.success(request, _("Return slip %(number)s issued.") % {"number": slip.number})
    return redirect("orders:slip-detail", number=slip.number)


@login_required
@permission_required("orders.add_materialslip", raise_exception=True)
@require_POST
def return_request_reject(request, number: str):
    found = _request(number)
    try:
        services.reject_return_request(
            request=found, user=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Return request %(number)s rejected.") % {"number": found.number}
        )
    return redirect("orders:return-request-detail", number=found.number)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def return_request_cancel(request, number: str):
    found = _request(number)
    if found.created_by_id != request.user.pk:
        messages.error(request, _("Only the person who made the request may withdraw it."))
    else:
        try:
            services.cancel_return_request(request=found, user=request.user)
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Return request withdrawn."))
    return redirect("orders:return-request-detail", number=found.number)
