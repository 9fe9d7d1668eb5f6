"""Warehouse slip pages: the list, the fast slip page (pick a customer order or a work
order, see each item's limit and what is left, type quantities, issue) and the printable
slip. Rules live in orders.services.slips and orders.services.work_order_slips; refusals
come back as form errors in the clerk's words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erp.errors import DomainError
from erp.numbers import plain
from erp.sorting import apply_sort
from orders import selectors_slips as selectors
from orders.forms_slips import (
    SlipFilterForm,
    SlipHeaderForm,
    clean_reason,
    clean_text,
    parse_quantity,
)
from orders.models import ReturnReason, SlipKind
from orders.selectors import work_order_material as wo_selectors
from orders.services.return_requests import request_return
from orders.services.slip_actions import (
    issue_slip_and_refresh,
    issue_work_order_slip_and_refresh,
)
from orders.services.slips import SlipLineInput, issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput, issue_work_order_slip

PAGE_SIZE = 50
# Sortable columns of the slip list (whitelist, erp/sorting.py).
SLIP_SORTS = {
    "number": "number",
    "kind": "kind",
    "order": ("order__order_no", "work_order__wo_no"),
    "customer": "order__customer__code",
    "warehouse": "warehouse__code",
    "lines": "line_count",
    "issued": "created_at",
}
DEFAULT_WAREHOUSE = "MAIN"
SLIP_TITLES = {
    SlipKind.PICK: _("Pick slip"),
    SlipKind.RETURN: _("Return slip"),
    SlipKind.REPLENISH: _("Replenish slip"),
}
REQUEST_TITLE = _("Return request")
# A refused row in the clerk's words, by the kind of refusal (orders.services.slip_rows).
ROW_REFUSALS = {
    "pick_limit": _("Over the pick limit: %(left)s %(uom)s left."),
    "replenish_limit": _("More than may be replenished: %(left)s %(uom)s left."),
    "return_limit": _("More than is held: %(left)s %(uom)s held."),
    "stock": _("Not enough usable stock: %(left)s %(uom)s on hand."),
}
# Where an order picked in the look-up leads.
ORDER_TARGETS = {"slip": "orders:slip-create", "shipment": "orders:shipment-create"}


@login_required
@permission_required("orders.view_materialslip", raise_exception=True)
def slip_list(request):
    form = SlipFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    slips = apply_sort(
        selectors.slip_list(
            kind=filters.get("kind", ""),
            order_no=filters.get("order", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        ),
        request,
        allowed=SLIP_SORTS,
        default="-issued",
    )
    page = Paginator(slips, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "orders/slip_list.html", context)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def order_search(request):
    """The order look-up of the warehouse pages (htmx): orders matching the typed text."""
    target = ORDER_TARGETS.get(request.GET.get("for", ""), ORDER_TARGETS["slip"])
    text = clean_text(request.GET.get("order"))
    orders = selectors.order_search(text=text)
    keep = {k: clean_text(v) for k, v in request.GET.items() if k in ("kind", "warehouse")}
    options = [
        {"order": o, "url": f"{reverse(target)}?{urlencode({'order': o.order_no, **keep})}"}
        for o in orders
    ]
    return render(request, "orders/slip_order_options.html", {"options": options, "text": text})


@login_required
@permission_required("orders.view_materialslip", raise_exception=True)
def work_order_search(request):
    """The work-order look-up of the slip page (htmx): work orders matching the typed text."""
    text = clean_text(request.GET.get("work_order"))
    keep = {k: clean_text(v) for k, v in request.GET.items() if k in ("kind", "warehouse")}
    target = reverse("orders:slip-create")
    options = [
        {"work_order": wo, "url": f"{target}?{urlencode({'work_order': wo.wo_no, **keep})}"}
        for wo in wo_selectors.work_order_search(text=text)
    ]
    context = {"options": options, "text": text}
    return render(request, "orders/slip_work_order_options.html", context)


@login_required
def slip_create(request):
    """One page for a slip against a customer order (`order`) or a work order
    (`work_order`): look one up, see each item's limit and what is left, type, issue.
    Production, who may not issue slips, uses the same page to request a return (退料申请)
    that the warehouse confirms."""
    issues = request.user.has_perm("orders.add_materialslip")
    request_mode = not issues and request.user.has_perm("orders.add_returnrequest")
    if not issues and not request_mode:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind") if data.get("kind") in SlipKind.values else SlipKind.PICK
    if request_mode:
        kind = SlipKind.RETURN
    warehouse = clean_text(data.get("warehouse")) or DEFAULT_WAREHOUSE
    order_no = clean_text(data.get("order"))
    wo_no = "" if order_no else clean_text(data.get("work_order"))
    form = SlipHeaderForm(
        request.POST if request.method == "POST" else None,
        initial={"order": order_no, "work_order": wo_no, "kind": kind, "warehouse": warehouse},
    )
    errors: list[str] = []  # refusals and problems, shown above the table
    context = {
        "form": form,
        "errors": errors,
        "kind": kind,
        "kind_title": REQUEST_TITLE if request_mode else SLIP_TITLES[kind],
        "kinds": [(k, SLIP_TITLES[k]) for k in SlipKind.values] if not request_mode else [],
        "request_mode": request_mode,
        "warehouse": warehouse,
        "order_no": order_no,
        "wo_no": wo_no,
        "reasons": ReturnReason.choices,
        "rows": [],
    }
    order = selectors.order_by_number(order_no=order_no) if order_no else None
    work_order = wo_selectors.work_order_by_number(wo_no=wo_no) if wo_no else None
    if order_no and order is None:
        errors.append(_("There is no customer order %(order)s.") % {"order": order_no})
    if wo_no and work_order is None:
        errors.append(_("There is no work order %(work_order)s.") % {"work_order": wo_no})
    if order is None and work_order is None:
        return render(request, "orders/slip_create.html", context)
    try:
        if order is not None:
            material = selectors.order_material_rows(order=order, warehouse_code=warehouse)
        else:
            material = wo_selectors.work_order_material(
                work_order=work_order, warehouse_code=warehouse
            )
    except DomainError as refusal:  # a broken BOM: say so instead of failing
        errors.append(refusal.message)
        material = []
    show_all = data.get("all") == "1"
    rows = [{"row": r, "value": "", "reason": "", "error": ""} for r in material]
    context.update(order=order, work_order=work_order, rows=rows, show_all=show_all)
    context["fills"] = kind == SlipKind.PICK and not request_mode and bool(rows)
    if request.method != "POST":
        if context["fills"]:
            context["kit"] = _fill(request.GET, rows, errors)
        return _render_rows(request, context)

    lines = _typed_lines(request.POST, rows, kind)
    if form.is_valid() and not any(r["error"] for r in rows):
        if not lines:
            errors.append(_("Enter a quantity on at least one row."))
        else:
            header = {
                "kind": kind,
                "lines": lines,
                "user": request.user,
                "warehouse_code": form.cleaned_data["warehouse"],
                "note": form.cleaned_data["note"],
            }
            if request_mode:
                return _request_return(request, order, work_order, header, errors, context)
            try:
                if order is not None:
                    slip = issue_slip_and_refresh(order_no=order.order_no, **header)
                else:
                    slip = issue_work_order_slip_and_refresh(wo_no=work_order.wo_no, **header)
            except DomainError as refusal:
                _mark_rows(refusal, rows, lines, errors)
            else:
                messages.success(
                    request,
                    _("%(title)s %(number)s issued.")
                    % {"title": SLIP_TITLES[kind], "number": slip.number},
                )
                return redirect("orders:slip-detail", number=slip.number)
    elif form.is_valid() and lines:
        # Some rows are not numbers: check the others too, so every failing row is marked.
        _dry_run(request, order, work_order, kind, lines, form, rows, errors)
    return _render_rows(request, context)


def _render_rows(request, context):
    """The slip page; rows with nothing left to do for this kind are hidden unless asked
    for (or typed into, or refused)."""
    hidden = 0
    for entry in context["rows"]:
        entry["settled"] = (
            not context["show_all"]
            and not entry["value"]
            and not entry["error"]
            and selectors.row_is_settled(entry["row"], context["kind"])
        )
        hidden += entry["settled"]
    context["hidden_rows"] = hidden
    return render(request, "orders/slip_create.html", context)


def _fill(params, rows: list[dict], errors: list) -> str:
    """'Pick all remaining' (`fill=all`) or 'kit for N pieces' (`kit=N`): the quantities
    come from the selectors (the pick limit's own figures), typed into the rows."""
    kit_text = clean_text(params.get("kit"))
    if kit_text:
        pieces, error = parse_quantity(kit_text)
        if error:
            errors.append(_("Kit for N pieces: %(error)s") % {"error": error})
            return kit_text
        if pieces is None:
            return kit_text
        wanted = selectors.kit_quantities(rows=[e["row"] for e in rows], pieces=pieces)
    elif params.get("fill") == "all":
        wanted = selectors.pick_all_quantities(rows=[e["row"] for e in rows])
    else:
        return ""
    for entry in rows:
        quantity = wanted.get(entry["row"].key)
        entry["value"] = plain(quantity) if quantity else ""
    return kit_text


def _dry_run(request, order, work_order, kind, lines, form, rows, errors) -> None:
    """Check the well-typed rows as the real slip would, writing nothing."""
    header = {
        "kind": kind,
        "lines": lines,
        "user": request.user,
        "warehouse_code": form.cleaned_data["warehouse"],
        "dry_run": True,
    }
    try:
        if order is not None:
            issue_slip(order_no=order.order_no, **header)
        else:
            issue_work_order_slip(wo_no=work_order.wo_no, **header)
    except DomainError as refusal:
        _mark_rows(refusal, rows, lines, errors)


def _mark_rows(refusal: DomainError, rows: list[dict], lines: list, errors: list) -> None:
    """Every row the service refused gets its own message, in the reader's language where
    the refusal has a kind the page knows; the refusals are also listed above the table."""
    details = refusal.details if isinstance(refusal.details, list) else []
    if not details:
        errors.append(refusal.message)
        return
    by_line = {}
    for entry in rows:
        row = entry["row"]
        by_line[(row.order_line.line if row.order_line else None, row.item.code)] = entry
    if len(details) > 1:
        errors.append(
            ngettext(
                "%(count)s row refused: nothing was issued.",
                "%(count)s rows refused: nothing was issued.",
                len(details),
            )
            % {"count": len(details)}
        )
    for detail in details:
        errors.append(detail["message"])
        line = lines[detail["row"] - 1] if 0 < detail["row"] <= len(lines) else None
        entry = by_line.get((getattr(line, "line", None), getattr(line, "item", None)))
        if entry is None:
            continue
        template = ROW_REFUSALS.get(detail.get("code"))
        if template and "left" in detail:
            entry["error"] = str(template) % {"left": detail["left"], "uom": entry["row"].item.uom}
        else:
            entry["error"] = detail["message"]


def _request_return(request, order, work_order, header, errors, context):
    """Production's return request instead of a slip (checked against the same limits)."""
    header.pop("kind")
    try:
        if order is not None:
            made = request_return(order_no=order.order_no, **header)
        else:
            made = request_return(wo_no=work_order.wo_no, **header)
    except DomainError as refusal:
        _mark_rows(refusal, context["rows"], header["lines"], errors)
        return _render_rows(request, context)
    messages.success(
        request,
        _("Return request %(number)s sent to the warehouse.") % {"number": made.number},
    )
    return redirect("orders:return-request-detail", number=made.number)


def _typed_lines(post, rows: list[dict], kind: str) -> list:
    """The rows with a quantity, as slip lines (of an order line, or of the work order when
    the row has none); a bad entry marks its row."""
    lines = []
    for entry in rows:
        row = entry["row"]
        entry["value"] = post.get(f"qty-{row.key}", "").strip()[:40]
        entry["reason"] = clean_reason(post.get(f"reason-{row.key}", ""))
        quantity, error = parse_quantity(entry["value"])
        if error:
            entry["error"] = error
        elif quantity is not None:
            if kind == SlipKind.RETURN and not entry["reason"]:
                entry["error"] = str(_("Choose defective or surplus."))
                continue
            reason = entry["reason"] if kind == SlipKind.RETURN else ""
            if row.order_line is None:
                lines.append(WorkOrderSlipLineInput(row.item.code, quantity, reason))
            else:
                lines.append(SlipLineInput(row.order_line.line, row.item.code, quantity, reason))
    return lines


@login_required
@permission_required("orders.view_materialslip", raise_exception=True)
def slip_detail(request, number: str):
    slip = selectors.slip_detail(number=clean_text(number))
    if slip is None:
        raise Http404(_("No slip with this number."))
    context = {"slip": slip, "title": SLIP_TITLES[slip.kind]}
    return render(request, "orders/slip_detail.html", context)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
