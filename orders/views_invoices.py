"""Invoice and credit-note pages: the invoice list, one invoice as the printable 销售发票
(with cancelling and the VAT invoice number), a new invoice from a customer's shipped and
not yet invoiced shipments, a credit note from an invoice, and the credit notes. Rules live
in orders.receivables.invoicing; refusals come back as form errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.models import Customer
from erp.errors import DomainError
from erp.roles import Role, has_role, user_roles
from erp.sorting import apply_sort
from orders.forms_invoices import (
    CancelForm,
    CreditNoteFilterForm,
    CreditNoteHeaderForm,
    InvoiceFilterForm,
    InvoiceHeaderForm,
    VatInvoiceNoForm,
    parse_price,
)
from orders.forms_slips import clean_text, parse_quantity
from orders.receivables import invoicing
from orders.receivables import selectors as sel
from orders.receivables.invoicing import CreditLineInput
from orders.receivables.models import CreditNoteReason, InvoiceStatus

PAGE_SIZE = 50
# Sortable columns of the invoice list (whitelist, erp/sorting.py).
INVOICE_SORTS = {
    "number": "invoice_no",
    "customer": "customer__code",
    "date": "invoice_date",
    "due": "due_date",
    "gross": "gross_amount",
    "status": "status",
}


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filters(form) -> dict:
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


@login_required
@permission_required("orders.view_invoice", raise_exception=True)
def invoice_list(request):
    """Invoices, newest first. Sales follow-up sees its own customers' invoices; managers
    and administrators all of them (or their own)."""
    form = InvoiceFilterForm(request.GET or None)
    data = _filters(form)
    can_toggle = has_role(request.user, Role.MANAGER.value)
    scope = "mine" if Role.SALES.value in user_roles(request.user) else "all"
    if can_toggle and data.get("scope"):
        scope = data["scope"]
    today = timezone.localdate()
    invoices = sel.invoice_list(
        customer=data.get("customer", ""),
        status=data.get("status", ""),
        overdue=bool(data.get("overdue")),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        salesperson_id=request.user.pk if scope == "mine" else None,
        today=today,
    )
    context = {
        "form": form,
        "page": Paginator(
            apply_sort(invoices, request, allowed=INVOICE_SORTS, default="-date"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
        "scope": scope,
        "can_toggle": can_toggle,
        "today": today,
    }
    return render(request, "orders/invoice_list.html", context)


def _invoice(invoice_no: str):
    invoice = sel.invoice_detail(invoice_no=clean_text(invoice_no))
    if invoice is None:
        raise Http404(_("No invoice with this number."))
    return invoice


@login_required
@permission_required("orders.view_invoice", raise_exception=True)
def invoice_detail(request, invoice_no: str, cancel_form=None, vat_form=None):
    invoice = _invoice(invoice_no)
    user = request.user
    active = invoice.status != InvoiceStatus.CANCELLED
    context = {
        "invoice": invoice,
        "lines": list(invoice.lines.all()),
        "credit_notes": list(invoice.credit_notes.all()),
        "allocations": list(invoice.allocations.all()),
        "today": timezone.localdate(),
        "can_cancel": active
        and user.has_perm("orders.change_invoice")
        and (invoice.allocated_amount == 0 or cancel_form is not None),
        "can_record_vat": active and user.has_perm("orders.change_invoice"),
        "can_credit": active and user.has_perm("orders.add_creditnote"),
        "cancel_form": cancel_form or CancelForm(),
        "vat_form": vat_form
        or VatInvoiceNoForm(initial={"vat_invoice_no": invoice.vat_invoice_no}),
    }
    return render(request, "orders/invoice_detail.html", context)


@login_required
@permission_required("orders.change_invoice", raise_exception=True)
@require_POST
def invoice_cancel(request, invoice_no: str):
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            invoicing.cancel_invoice(
                invoice=clean_text(invoice_no), reason=form.cleaned_data["reason"], by=request.user
            )
        except DomainError as refusal:
            form.add_error("reason" if refusal.field == "reason" else None, refusal.message)
        else:
            messages.success(request, _("Invoice %(no)s cancelled.") % {"no": invoice_no})
            return redirect("orders:invoice-detail", invoice_no=invoice_no)
    return invoice_detail(request, invoice_no, cancel_form=form)


@login_required
@permission_required("orders.change_invoice", raise_exception=True)
@require_POST
def invoice_vat_no(request, invoice_no: str):
    form = VatInvoiceNoForm(request.POST)
    if form.is_valid():
        try:
            invoicing.set_vat_invoice_no(
                invoice=clean_text(invoice_no),
                vat_invoice_no=form.cleaned_data["vat_invoice_no"],
                by=request.user,
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("VAT invoice number recorded."))
            return redirect("orders:invoice-detail", invoice_no=invoice_no)
    return invoice_detail(request, invoice_no, vat_form=form)


@login_required
@permission_required("orders.add_invoice", raise_exception=True)
def invoice_create(request):
    """Pick a customer, see its shipped and not yet invoiced shipments, tick and type
    quantities (or invoice everything shipped), issue."""
    data = request.POST if request.method == "POST" else request.GET
    code = clean_text(data.get("customer"))
    customer = Customer.objects.filter(code=code).first() if code else None
    errors: list[str] = []
    if code and customer is None:
        errors.append(_("There is no customer %(code)s.") % {"code": code})
    form = InvoiceHeaderForm(
        request.POST if request.method == "POST" else None,
        initial={"invoice_date": timezone.localdate()},
    )
    rows = []
    if customer is not None:
        rows = [
            {"shipment": sh, "checked": False, "value": "", "error": ""}
            for sh in sel.uninvoiced_shipments(customer=customer)
        ]
    context = {
        "form": form,
        "customer": customer,
        "code": code,
        "rows": rows,
        "errors": errors,
        "customers": sel.customers_to_invoice() if customer is None else [],
    }
    if request.method != "POST" or customer is None:
        return render(request, "orders/invoice_create.html", context)

    everything = "all_shipped" in request.POST
    lines = [] if everything else _typed_lines(request.POST, rows)
    if form.is_valid() and not any(r["error"] for r in rows):
        if not everything and not lines:
            errors.append(_("Tick at least one shipment, or invoice everything shipped."))
        else:
            try:
                invoice = invoicing.create_invoice(
                    customer=customer,
                    invoice_date=form.cleaned_data["invoice_date"],
                    lines=lines,
                    all_shipped=everything,
                    vat_invoice_no=form.cleaned_data["vat_invoice_no"],
                    notes=form.cleaned_data["notes"],
                    by=request.user,
                )
            except DomainError as refusal:
                errors.append(refusal.message)
            else:
                messages.success(request, _("Invoice %(no)s issued.") % {"no": invoice.invoice_no})
                return redirect("orders:invoice-detail", invoice_no=invoice.invoice_no)
    return render(request, "orders/invoice_create.html", context)


def _typed_lines(post, rows: list[dict]) -> list[tuple[str, object]]:
    """The ticked rows as (shipment number, quantity); a blank quantity is what is left."""
    ticked = set(post.getlist("ship"))
    lines = []
    for entry in rows:
        shipment = entry["shipment"]
        entry["checked"] = shipment.number in ticked
        entry["value"] = post.get(f"qty-{shipment.pk}", "").strip()[:40]
        if not entry["checked"]:
            continue
        quantity, error = parse_quantity(entry["value"])
        if error:
            entry["error"] = error
        else:
            lines.append((shipment.number, quantity if quantity is not None else shipment.left))
    return lines


@login_required
@permission_required("orders.add_creditnote", raise_exception=True)
def credit_note_create(request, invoice_no: str):
    """A credit note from an invoice: per line a returned quantity (at the invoiced price)
    or a price difference, or one agreed amount with what it is for."""
    invoice = _invoice(invoice_no)
    if invoice.status == InvoiceStatus.CANCELLED:
        messages.error(request, _("Invoice %(no)s is cancelled.") % {"no": invoice.invoice_no})
        return redirect("orders:invoice-detail", invoice_no=invoice.invoice_no)
    form = CreditNoteHeaderForm(
        request.POST if request.method == "POST" else None,
        initial={"date": timezone.localdate(), "reason": CreditNoteReason.RETURN},
    )
    rows = [{"line": ln, "quantity": "", "price": "", "error": ""} for ln in invoice.lines.all()]
    extra = {"description": "", "amount": "", "error": ""}
    errors: list[str] = []
    context = {"invoice": invoice, "form": form, "rows": rows, "extra": extra, "errors": errors}
    if request.method != "POST":
        return render(request, "orders/credit_note_create.html", context)
    lines = _credit_lines(request.POST, rows, extra)
    if form.is_valid() and not extra["error"] and not any(r["error"] for r in rows):
        if not lines:
            errors.append(_("Enter a quantity on at least one line, or an amount."))
        else:
            try:
                note = invoicing.create_credit_note(
                    invoice=invoice.invoice_no,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    lines=lines,
                    vat_invoice_no=form.cleaned_data["vat_invoice_no"],
                    notes=form.cleaned_data["notes"],
                    by=request.user,
                )
            except DomainError as refusal:
                errors.append(refusal.message)
            else:
                messages.success(
                    request, _("Credit note %(no)s issued.") % {"no": note.credit_note_no}
                )
                return redirect("orders:credit-note-detail", credit_note_no=note.credit_note_no)
    return render(request, "orders/credit_note_create.html", context)


def _credit_lines(post, rows: list[dict], extra: dict) -> list[CreditLineInput]:
    lines = []
    for entry in rows:
        line = entry["line"]
        entry["quantity"] = post.get(f"qty-{line.pk}", "").strip()[:40]
        entry["price"] = post.get(f"price-{line.pk}", "").strip()[:40]
        quantity, error = parse_quantity(entry["quantity"])
        price, price_error = parse_price(entry["price"])
        if error or price_error:
            entry["error"] = error or price_error
        elif quantity is not None:
            lines.append(CreditLineInput(line.pk, quantity, price))
        elif price is not None:
            entry["error"] = _("Enter the quantity the price applies to.")
    extra["description"] = clean_text(post.get("extra-description"))[:200]
    extra["amount"] = post.get("extra-amount", "").strip()[:40]
    amount, error = parse_price(extra["amount"])
    if error:
        extra["error"] = error
    elif amount is not None:
        if not extra["description"]:
            extra["error"] = _("Say what the amount is for.")
        else:
            lines.append(CreditLineInput(None, 1, amount, extra["description"]))
    return lines


@login_required
@permission_required("orders.view_creditnote", raise_exception=True)
def credit_note_list(request):
    form = CreditNoteFilterForm(request.GET or None)
    data = _filters(form)
    notes = sel.credit_note_list(
        customer=data.get("customer", ""),
        reason=data.get("reason", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    context = {
        "form": form,
        "page": Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
    }
    return render(request, "orders/credit_note_list.html", context)


@login_required
@permission_required("orders.view_creditnote", raise_exception=True)
def credit_note_detail(request, credit_note_no: str):
    note = sel.credit_note_detail(credit_note_no=clean_text(credit_note_no))
    if note is None:
        raise Http404(_("No credit note with this number."))
    return render(
        request, "orders/credit_note_detail.html", {"note": note, "lines": list(note.lines.all())}
    )
