"""Quotation pages (报价单) for sales follow-up and managers: the list with filters, writing
and editing one with its lines (htmx adds a row), the quotation with its actions, the
printable sheet, and converting it into a customer order in one step. Views translate
requests into crm.services.quotations calls and refusals into form errors."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.forms_quotations import (
    CancelForm,
    ConvertForm,
    QuotationFilterForm,
    QuotationForm,
    QuotationLineFormSet,
)
from crm.models_quotations import Quotation, QuotationStatus
from crm.selectors_quotations import (
    EXPIRING_DAYS,
    quotation_by_number,
    quotation_list,
    sees_all_quotations,
)
from crm.services import quotations as services
from customers.access import LOGS_CONTACTS, roles_required
from customers.models import Customer
from erp.errors import DomainError
from erp.roles import can_see_costs
from materials.models import Item, ItemKind

PAGE_SIZE = 50
LINES_PREFIX = "lines"
DATALIST_LIMIT = 1000
DEFAULT_VALIDITY_DAYS = 30


def _get(request, number: str) -> Quotation:
    try:
        return quotation_by_number(user=request.user, number=number.replace("\x00", ""))
    except Quotation.DoesNotExist as exc:
        raise Http404(_("No quotation with this number.")) from exc


def _is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@roles_required(*LOGS_CONTACTS)
def quotation_list_view(request):
    form = QuotationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    sees_all = sees_all_quotations(request.user)
    scope = data.get("scope") or ("all" if sees_all else "mine")
    quotations = quotation_list(
        user=request.user,
        today=today,
        status=data.get("status", ""),
        customer=(data.get("customer") or "").replace("\x00", "").strip(),
        expiring_days=EXPIRING_DAYS if data.get("expiring") else None,
        mine=scope == "mine" and sees_all,
    )
    page = Paginator(quotations, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "today": today,
        "sees_all": sees_all,
    }
    template = (
        "crm/quotation_list_table.html" if _is_partial(request) else "crm/quotation_list.html"
    )
    return render(request, template, context)


def _datalists(user) -> dict:
    customers = Customer.objects.filter(is_active=True).order_by("code")
    mine = customers.filter(salesperson=user)
    if mine.exists():
        customers = mine
    items = Item.objects.filter(
        is_active=True, kind__in=[ItemKind.FINISHED, ItemKind.SEMI]
    ).order_by("code")
    return {
        "customer_options": customers.only("code", "name")[:DATALIST_LIMIT],
        "item_options": items.only("code", "name", "uom", "list_price")[:DATALIST_LIMIT],
    }


def _apply_errors(error: DomainError, form, formset) -> None:
    """A refusal shown where it belongs: on the row and field it names, else on the
    quotation's field, else above the form."""
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


def _line_inputs(formset) -> list[services.QuotationLineInput]:
    return [
        services.QuotationLineInput(
            item=row["item"].strip(),
            quantity=row["quantity"],
            unit_price=row["unit_price"],
            discount_percent=row["discount_percent"] or 0,
            description=row["description"],
        )
        for row in formset.lines()
    ]


def _header(form) -> dict | None:
    """The quotation's fields from a valid form; None (with the error on the form) when the
    customer code or contact is unknown."""
    data = form.cleaned_data
    code = data["customer"].strip()
    customer = Customer.objects.filter(code=code).first()
    if customer is None:
        form.add_error("customer", _("There is no customer %(code)s.") % {"code": code})
        return None
    contact = customer.contacts.filter(pk=data["contact"]).first() if data["contact"] else None
    return {
        "customer": customer,
        "contact": contact,
        "quote_date": data["quote_date"],
        "valid_until": data["valid_until"],
        "delivery_days": data["delivery_days"],
        "currency": data["currency"],
        "notes": data["notes"],
    }


def _contacts_of(code: str):
    customer = Customer.objects.filter(code=(code or "").strip()).first()
    return list(customer.contacts.order_by("name")) if customer else []


@roles_required(*LOGS_CONTACTS)
def quotation_create(request):
    today = timezone.localdate()
    code = request.POST.get("customer") or request.GET.get("customer", "")
    code = code.replace("\x00", "")[:40]
    initial = {
        "customer": code,
        "quote_date": today,
        "valid_until": today + dt.timedelta(days=DEFAULT_VALIDITY_DAYS),
        "delivery_days": 30,
        "currency": "CNY",
    }
    form = QuotationForm(request.POST or None, initial=initial, contacts=_contacts_of(code))
    formset = QuotationLineFormSet(request.POST or None, prefix=LINES_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        header = _header(form)
        if header is not None:
            try:
                quotation = services.quotation_create(
                    user=request.user, lines=_line_inputs(formset), **header
                )
            except DomainError as error:
                _apply_errors(error, form, formset)
            else:
                messages.success(
                    request, _("Quotation %(no)s saved as a draft.") % {"no": quotation.number}
                )
                return redirect("crm:quotation-detail", quotation.number)
    context = {"form": form, "formset": formset, "quotation": None, **_datalists(request.user)}
    return render(request, "crm/quotation_form.html", context)


@roles_required(*LOGS_CONTACTS)
def quotation_edit(request, number: str):
    quotation = _get(request, number)
    if quotation.status not in services.EDITABLE:
        messages.warning(
            request,
            _("Quotation %(no)s is %(status)s and can no longer be edited.")
            % {"no": quotation.number, "status": quotation.get_status_display()},
        )
        return redirect("crm:quotation-detail", quotation.number)
    initial = {
        "customer": quotation.customer.code,
        "contact": quotation.contact_id,
        "quote_date": quotation.quote_date,
        "valid_until": quotation.valid_until,
        "delivery_days": quotation.delivery_days,
        "currency": quotation.currency,
        "notes": quotation.notes,
    }
    lines = [
        {
            "line": ql.line,
            "item": ql.item.code,
            "quantity": ql.quantity.normalize(),
            "unit_price": ql.unit_price.normalize(),
            "discount_percent": ql.discount_percent.normalize(),
            "description": ql.description,
        }
        for ql in quotation.lines.all()
    ]
    code = request.POST.get("customer", quotation.customer.code).replace("\x00", "")[:40]
    form = QuotationForm(request.POST or None, initial=initial, contacts=_contacts_of(code))
    formset = QuotationLineFormSet(request.POST or None, initial=lines, prefix=LINES_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        header = _header(form)
        if header is not None:
            try:
                services.quotation_update(
                    quotation=quotation, user=request.user, lines=_line_inputs(formset), **header
                )
            except DomainError as error:
                _apply_errors(error, form, formset)
            else:
                messages.success(request, _("Quotation %(no)s saved.") % {"no": quotation.number})
                return redirect("crm:quotation-detail", quotation.number)
    context = {
        "form": form,
        "formset": formset,
        "quotation": quotation,
        **_datalists(request.user),
    }
    return render(request, "crm/quotation_form.html", context)


@roles_required(*LOGS_CONTACTS)
def quotation_line_row(request):
    """One more blank line row for the quotation form (htmx), and the formset's new total."""
    try:
        index = max(0, int(request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS", "0")))
    except ValueError:
        index = 0
    index = min(index, QuotationLineFormSet.max_num - 1)
    formset = QuotationLineFormSet(prefix=LINES_PREFIX)
    form = formset._construct_form(index)
    formset.add_fields(form, index)
    context = {"form": form, "total": index + 1, "prefix": LINES_PREFIX}
    return render(request, "crm/quotation_line_row.html", context)


def _detail_context(request, quotation: Quotation, **extra) -> dict:
    today = timezone.localdate()
    status = quotation.status
    expired = quotation.is_expired(today)
    sees_costs = can_see_costs(request.user)
    lines = list(quotation.lines.all())
    if sees_costs:
        for ql in lines:
            net = ql.net_price
            margin = (net - ql.item.standard_cost) / net if net else None
            ql.margin = margin.quantize(Decimal("0.001")) if margin is not None else None
    return {
        "quotation": quotation,
        "lines": lines,
        "today": today,
        "expired": expired,
        "shown_status": quotation.shown_status(today),
        "sees_costs": sees_costs,
        "can_edit": status in services.EDITABLE,
        "can_send": not expired and services.can_move(status, QuotationStatus.SENT),
        "can_accept": not expired and services.can_move(status, QuotationStatus.ACCEPTED),
        "can_convert": not expired and services.can_move(status, QuotationStatus.CONVERTED),
        "can_cancel": services.can_move(status, QuotationStatus.CANCELLED),
        "convert_form": extra.pop("convert_form", None)
        or ConvertForm(initial={"order_date": today}),
        "cancel_form": extra.pop("cancel_form", None) or CancelForm(),
        **extra,
    }


@roles_required(*LOGS_CONTACTS)
def quotation_detail(request, number: str):
    quotation = _get(request, number)
    return render(request, "crm/quotation_detail.html", _detail_context(request, quotation))


@roles_required(*LOGS_CONTACTS)
def quotation_print(request, number: str):
    quotation = _get(request, number)
    context = {
        "quotation": quotation,
        "lines": list(quotation.lines.all()),
        "shown_status": quotation.shown_status(timezone.localdate()),
    }
    return render(request, "crm/quotation_print.html", context)


MOVES = {
    "send": (QuotationStatus.SENT, _("Quotation %(no)s marked as sent.")),
    "accept": (QuotationStatus.ACCEPTED, _("Quotation %(no)s accepted by the customer.")),
    "cancel": (QuotationStatus.CANCELLED, _("Quotation %(no)s cancelled.")),
}


@roles_required(*LOGS_CONTACTS)
@require_POST
def quotation_move(request, number: str, move: str):
    quotation = _get(request, number)
    if move not in MOVES:
        raise Http404
    target, done = MOVES[move]
    reason = ""
    if move == "cancel":
        form = CancelForm(request.POST)
        if not form.is_valid():
            context = _detail_context(request, quotation, cancel_form=form)
            return render(request, "crm/quotation_detail.html", context, status=400)
        reason = form.cleaned_data["reason"]
    try:
        services.quotation_move(
            quotation=quotation, user=request.user, target=target, reason=reason
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done) % {"no": quotation.number})
    return redirect("crm:quotation-detail", quotation.number)


@roles_required(*LOGS_CONTACTS)
@require_POST
def quotation_convert(request, number: str):
    quotation = _get(request, number)
    form = ConvertForm(request.POST)
    if form.is_valid():
        try:
            order = services.quotation_convert(
                quotation=quotation,
                user=request.user,
                order_date=form.cleaned_data["order_date"],
                due_date=form.cleaned_data["due_date"],
                customer_po=form.cleaned_data["customer_po"],
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
                return redirect("crm:quotation-detail", quotation.number)
        else:
            messages.success(
                request,
                _("Quotation %(no)s converted into order %(order)s (a draft: confirm it).")
                % {"no": quotation.number, "order": order.order_no},
            )
            return redirect("orders:order-detail", order.order_no)
    context = _detail_context(request, quotation, convert_form=form, show_convert=True)
    return render(request, "crm/quotation_detail.html", context, status=400)
