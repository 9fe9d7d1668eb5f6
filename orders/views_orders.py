"""Customer order pages for sales follow-up: my orders, one order with its history, entering
and editing a draft, confirming, closing; order change notices. Views translate requests
into calls of orders.services and orders.selectors, and refusals into form errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from customers.models import Customer
from erp.errors import DomainError
from erp.roles import Role, can_see_costs, has_role, user_roles
from erp.sorting import apply_sort
from materials.models import Item
from orders.forms import (
    ChangeFilterForm,
    ChangeForm,
    OrderFilterForm,
    OrderForm,
    OrderLineFormSet,
)
from orders.models import OrderChange, OrderStatus, SalesOrder
from orders.pricing import below_margin_floor, default_price, margin_floors
from orders.receivables import credit_queue
from orders.receivables.credit import money
from orders.selectors import orders as selectors
from orders.selectors.order_entry import order_lines_with_amounts
from orders.services import orders as order_services
from orders.services.changes import change_apply
from orders.services.orders import OrderLineInput
from orders.states import EDITABLE_STATES, can_move

PAGE_SIZE = 50
# Sortable columns of the order list (whitelist, erp/sorting.py); by default the next line
# due first, as the follow-up works.
ORDER_SORTS = {
    "due": "next_due",
    "number": "order_no",
    "customer": "customer__code",
    "date": "order_date",
    "status": "status",
    "material": "material_status",
    "lines": "line_count",
    "amount": "amount",
}
LINES_PREFIX = "lines"


def _is_partial(request) -> bool:
    """An htmx filter refreshes only the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _valid_filters(form) -> dict:
    """The filters that are valid; a bad one (shown on the form) does not drop the others."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def _get_order(order_no: str) -> SalesOrder:
    try:
        return selectors.order_by_no(order_no=order_no)
    except SalesOrder.DoesNotExist as exc:
        raise Http404(_("No customer order with this number.")) from exc


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def order_list(request):
    """My orders: the salesperson's customers' orders by default; managers and
    administrators may switch to all orders; other roles see all orders."""
    form = OrderFilterForm(request.GET or None)
    data = _valid_filters(form)
    is_sales = Role.SALES.value in user_roles(request.user)
    can_toggle = has_role(request.user, Role.MANAGER.value)
    scope = "mine" if is_sales else "all"
    if can_toggle and data.get("scope"):
        scope = data["scope"]
    status = data.get("status") or "active"
    due_from, due_to = data.get("week") or (None, None)
    orders = selectors.order_list(
        salesperson_id=request.user.pk if scope == "mine" else None,
        status="" if status == "all" else status,
        customer=data.get("customer", ""),
        due_from=due_from,
        due_to=due_to,
    )
    orders = apply_sort(orders, request, allowed=ORDER_SORTS, default="due")
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "scope": scope,
        "status": status,
        "can_toggle": can_toggle,
        "can_create": request.user.has_perm("orders.add_salesorder"),
        "today": timezone.localdate(),
    }
    template = "orders/order_list_table.html" if _is_partial(request) else "orders/order_list.html"
    return render(request, template, context)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def order_detail(request, order_no: str):
    order = _get_order(order_no)
    lines = selectors.order_lines(order=order)
    lines, total = order_lines_with_amounts(order=order, lines=lines)
    _mark_price_warnings(lines)
    user = request.user
    editable = user.has_perm("orders.change_salesorder")
    context = {
        "order": order,
        "lines": lines,
        "total": total,
        "sees_costs": can_see_costs(user),
        "history": selectors.order_history(order=order),
        "returns": _returns_due(lines),
        "can_edit": editable and order.status in EDITABLE_STATES,
        "can_confirm": editable and order.status == OrderStatus.DRAFT,
        "can_close": editable
        and order.status != OrderStatus.DRAFT
        and can_move(order.status, OrderStatus.CLOSED)
        and order.status != OrderStatus.CLOSED,
        "can_change": user.has_perm("orders.add_orderchange")
        and order.status not in (OrderStatus.CLOSED, OrderStatus.CANCELLED),
        "credit_approval": credit_queue.last_approval(order=order),
        "can_decide_credit": has_role(user, Role.MANAGER.value),
    }
    return render(request, "orders/order_detail.html", context)


def _returns_due(lines) -> list:
    try:
        return selectors.returns_due(lines=lines)
    except DomainError:  # a BOM cycle found meanwhile: the page still shows the order
        return []


def _mark_price_warnings(lines) -> None:
    """Each open line gets `price_zero` and `below_floor` (orders.pricing), one query."""
    floors = margin_floors(item_ids={ol.item_id for ol in lines})
    for ol in lines:
        is_open = ol.status == "open"
        ol.price_zero = is_open and ol.unit_price == 0
        ol.below_floor = is_open and below_margin_floor(ol.item, ol.unit_price, floors=floors)


def _apply_errors(error: DomainError, form, formset) -> None:
    """A refusal from the service shown where it belongs: on the row and field it names,
    else on the order's field, else above the form."""
    if error.field == "lines" and error.details:
        kept = formset.lines()
        for problem in error.details:
            row = problem.get("row", 0) - 1
            message = problem["message"].split(": ", 1)[-1]
            if 0 <= row < len(kept):
                target = kept[row]["_form"]
                target.add_error(
                    problem["field"] if problem["field"] in target.fields else None, message
                )
            else:
                form.add_error(None, problem["message"])
    elif error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _line_inputs(formset, *, customer: Customer, on) -> list[OrderLineInput]:
    """The rows as the service takes them; a row without a price gets the price order
    entry suggests (orders.pricing.default_price), 0 when there is none."""
    rows = formset.lines()
    blank = {row["item"].strip() for row in rows if row["unit_price"] is None}
    items = {i.code: i for i in Item.objects.filter(code__in=blank)} if blank else {}
    inputs = []
    for row in rows:
        price = row["unit_price"]
        if price is None:
            item = items.get(row["item"].strip())
            suggested = default_price(customer, item, on) if item is not None else None
            price = suggested.price if suggested is not None else 0
        inputs.append(
            OrderLineInput(
                line=row["line"],
                item=row["item"].strip(),
                quantity=row["quantity"],
                unit_price=price,
                due_date=row["due_date"],
                specification=row["specification"],
            )
        )
    return inputs


def _customer(form) -> Customer | None:
    code = form.cleaned_data["customer"].strip()
    customer = Customer.objects.filter(code__in={code, code.upper()}).order_by("-code").first()
    if customer is None:
        form.add_error("customer", _("There is no customer %(code)s.") % {"code": code})
    return customer


@login_required
@permission_required("orders.add_salesorder", raise_exception=True)
def order_create(request):
    # "New order" on the customer 360 presets the customer: ?customer=<code>.
    initial = {"order_date": timezone.localdate(), "customer": request.GET.get("customer", "")}
    form = OrderForm(request.POST or None, initial=initial)
    formset = OrderLineFormSet(request.POST or None, prefix=LINES_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        customer = _customer(form)
        if customer is not None:
            try:
                order = order_services.order_create(
                    user=request.user,
                    customer=customer,
                    order_date=form.cleaned_data["order_date"],
                    order_no=form.cleaned_data["order_no"],
                    customer_po=form.cleaned_data["customer_po"],
                    notes=form.cleaned_data["notes"],
                    lines=_line_inputs(
                        formset, customer=customer, on=form.cleaned_data["order_date"]
                    ),
                )
            except DomainError as error:
                _apply_errors(error, form, formset)
            else:
                messages.success(
                    request, _("Order %(no)s saved as a draft.") % {"no": order.order_no}
                )
                return redirect("orders:order-detail", order.order_no)
    context = {"form": form, "formset": formset, "order": None}
    return render(request, "orders/order_form.html", context)


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
def order_edit(request, order_no: str):
    order = _get_order(order_no)
    if order.status not in EDITABLE_STATES:
        messages.warning(
            request,
            _("Order %(no)s is confirmed: change it with an order change notice.")
            % {"no": order.order_no},
        )
        return redirect("orders:order-detail", order.order_no)
    initial = {
        "order_no": order.order_no,
        "customer": order.customer.code,
        "order_date": order.order_date,
        "customer_po": order.customer_po,
        "notes": order.notes,
    }
    lines = [
        {
            "line": ol.line,
            "item": ol.item.code,
            "quantity": ol.quantity.normalize(),
            "unit_price": ol.unit_price.normalize(),
            "due_date": ol.due_date,
            "specification": ol.specification,
        }
        for ol in order.lines.all()
    ]
    form = OrderForm(request.POST or None, initial=initial)
    form.fields["order_no"].disabled = True
    formset = OrderLineFormSet(request.POST or None, initial=lines, prefix=LINES_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        customer = _customer(form)
        if customer is not None:
            try:
                order_services.order_update(
                    order=order,
                    user=request.user,
                    customer=customer,
                    order_date=form.cleaned_data["order_date"],
                    customer_po=form.cleaned_data["customer_po"],
                    notes=form.cleaned_data["notes"],
                    lines=_line_inputs(
                        formset, customer=customer, on=form.cleaned_data["order_date"]
                    ),
                )
            except DomainError as error:
                _apply_errors(error, form, formset)
            else:
                messages.success(request, _("Order %(no)s saved.") % {"no": order.order_no})
                return redirect("orders:order-detail", order.order_no)
    context = {"form": form, "formset": formset, "order": order}
    return render(request, "orders/order_form.html", context)


@login_required
@permission_required("orders.add_salesorder", raise_exception=True)
@require_GET
def order_line_row(request):
    """One more blank line row for the order form (htmx), and the formset's new total."""
    try:
        index = max(0, int(request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS", "0")))
    except ValueError:
        index = 0
    index = min(index, OrderLineFormSet.max_num - 1)
    formset = OrderLineFormSet(prefix=LINES_PREFIX)
    form = formset._construct_form(index)
    formset.add_fields(form, index)
    context = {"form": form, "total": index + 1, "prefix": LINES_PREFIX}
    return render(request, "orders/order_line_row.html", context)


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
@require_POST
def order_confirm(request, order_no: str):
    order = _get_order(order_no)
    try:
        order = order_services.order_confirm(order=order, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if order.status == OrderStatus.CREDIT_HOLD:
            messages.warning(request, _credit_hold_words(order))
        else:
            messages.success(request, _("Order %(no)s confirmed.") % {"no": order.order_no})
    return redirect("orders:order-detail", order.order_no)


def _credit_hold_words(order: SalesOrder) -> str:
    approval = credit_queue.last_approval(order=order)
    if approval is None:
        return _("Order %(no)s waits for credit approval.") % {"no": order.order_no}
    limit = money(approval.credit_limit) if approval.credit_limit > 0 else _("none")
    words = _(
        "Order %(no)s waits for credit approval: exposure %(exposure)s, order value "
        "%(value)s, limit %(limit)s."
    ) % {
        "no": order.order_no,
        "exposure": money(approval.exposure),
        "value": money(approval.order_value),
        "limit": limit,
    }
    if approval.overdue:
        words += " " + _("The oldest open invoice is %(days)s days overdue.") % {
            "days": approval.overdue_days
        }
    return words + " " + _("A manager decides; you will be told.")


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
@require_POST
def order_close(request, order_no: str):
    order = _get_order(order_no)
    try:
        order_services.order_close(order=order, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Order %(no)s closed.") % {"no": order.order_no})
    return redirect("orders:order-detail", order.order_no)


@login_required
@permission_required("orders.view_orderchange", raise_exception=True)
def change_list(request):
    form = ChangeFilterForm(request.GET or None)
    data = _valid_filters(form)
    changes = selectors.change_list(
        order_no=data.get("order", ""),
        kind=data.get("kind", ""),
        customer=data.get("customer", ""),
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    template = (
        "orders/change_list_table.html" if _is_partial(request) else "orders/change_list.html"
    )
    return render(request, template, context)


@login_required
@permission_required("orders.add_orderchange", raise_exception=True)
def change_create(request, order_no: str):
    order = _get_order(order_no)
    initial = {"kind": request.GET.get("kind", ""), "order_line": request.GET.get("line", "")}
    form = ChangeForm(request.POST or None, order=order, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = change_apply(
                user=request.user,
                order=order,
                kind=data["kind"],
                reason=data["reason"],
                order_line=data["order_line"],
                new_due_date=data["new_due_date"],
                new_quantity=data["new_quantity"],
                new_specification=data["new_specification"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Change notice %(number)s applied to order %(no)s.")
                % {"number": change.number, "no": order.order_no},
            )
            return redirect("orders:order-detail", order.order_no)
    context = {"form": form, "order": order, "lines": selectors.order_lines(order=order)}
    return render(request, "orders/change_form.html", context)


@login_required
@permission_required("orders.view_orderchange", raise_exception=True)
def change_detail(request, number: str):
    """The printable order change notice (订单变更通知单)."""
    try:
        change = selectors.change_by_number(number=number)
    except OrderChange.DoesNotExist as exc:
        raise Http404(_("No order change notice with this number.")) from exc
    return render(request, "orders/change_detail.html", {"change": change})
