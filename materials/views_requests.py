"""The warehouse's purchase request page (仓库: 物料的请购): the bought items below their
safety stock with a suggested quantity, ticked and sent to purchasing as one requisition,
plus any other item the warehouse sees running out."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.errors import DomainError
from materials.models import Item
from materials.selectors_reorder import items_to_request, suggested_quantity
from materials.services.purchasing import RequisitionLineInput, requisition_create

PAGE_SIZE = 50
PERMISSION = "materials.add_purchaserequisition"


class RequestError(Exception):
    pass


def _decimal(text: str, where: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation as exc:
        raise RequestError(
            _("%(where)s: the quantity is not a number.") % {"where": where}
        ) from exc
    if not value.is_finite():
        raise RequestError(_("%(where)s: the quantity is not a number.") % {"where": where})
    return value


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise RequestError(
            _("%(where)s: give the date it is needed by as YYYY-MM-DD.") % {"where": where}
        ) from exc


def _lines(post) -> list[RequisitionLineInput]:
    """The ticked suggestions and the extra line, as service input (the service checks
    quantities against the item's unit)."""
    picked = [code for code in post.getlist("pick") if code]
    extra = (post.get("extra_item") or "").strip()
    codes = set(picked) | ({extra} if extra else set())
    items = {i.code: i for i in Item.objects.filter(code__in=codes)}
    lines = []
    for code in picked:
        item = items.get(code)
        if item is None:
            raise RequestError(_("Item %(code)s does not exist.") % {"code": code})
        lines.append(
            RequisitionLineInput(
                item=item,
                quantity=_decimal(post.get(f"qty_{code}"), code),
                need_date=_date(post.get(f"date_{code}"), code),
            )
        )
    if extra:
        item = items.get(extra)
        if item is None:
            raise RequestError(_("Item %(code)s does not exist.") % {"code": extra})
        lines.append(
            RequisitionLineInput(
                item=item,
                quantity=_decimal(post.get("extra_quantity"), extra),
                need_date=_date(post.get("extra_date"), extra),
            )
        )
    if not lines:
        raise RequestError(_("Tick at least one item or name another item to request."))
    return lines


@login_required
@permission_required(PERMISSION, raise_exception=True)
def purchase_request(request):
    if request.method == "POST":
        try:
            requisition = requisition_create(
                user=request.user,
                lines=_lines(request.POST),
                source=_("Warehouse request"),
                note=(request.POST.get("note") or "").strip(),
            )
        except (RequestError, DomainError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Purchase request %(number)s sent to purchasing.")
                % {"number": requisition.number},
            )
            return redirect("materials:requisition-detail", number=requisition.number)
    search = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(items_to_request(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "item": item,
            "suggested": suggested_quantity(item=item, shortfall=item.shortfall),
            "need_date": today + dt.timedelta(days=item.lead_time_days),
        }
        for item in page
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "materials/purchase_request.html",
        {
            "page": page,
            "rows": rows,
            "search": search,
            "query": params.urlencode(),
            "today": today,
            "post": request.POST if request.method == "POST" else {},
        },
    )
