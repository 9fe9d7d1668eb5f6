"""Payment pages (收款): the list, recording a payment with its allocation to the customer's
open invoices (earliest due first, or by hand), one payment with its allocations, allocating
what is left, and the reversal. Views translate requests into calls of
orders.receivables.payments and payment_selectors, and refusals into form errors."""

from decimal import Decimal

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
from erp.sorting import apply_sort
from orders.forms_payments import (
    METHODS,
    PaymentFilterForm,
    PaymentForm,
    ReverseForm,
    chosen_allocations,
)
from orders.receivables import payment_selectors as selectors
from orders.receivables.models import Payment, PaymentStatus
from orders.receivables.payments import (
    ZERO,
    allocate_payment,
    parse_money,
    record_payment,
    reverse_payment,
)

PAGE_SIZE = 50
# Sortable columns of the payment list (whitelist, erp/sorting.py).
PAYMENT_SORTS = {
    "number": "payment_no",
    "date": "date",
    "customer": "customer__code",
    "amount": "amount",
    "allocated": "allocated_amount",
    "status": "status",
}
DATALIST_LIMIT = 1000


def _is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _payment(request, payment_no: str) -> Payment:
    payment = selectors.payment_by_no(user=request.user, payment_no=payment_no)
    if payment is None:
        raise Http404(_("No payment with this number."))
    return payment


def _invoice_rows(customer: Customer | None, amount, typed: dict[str, str] | None) -> list:
    """The customer's open invoices for the allocation table: what the user typed, or
    (nothing typed yet) `amount` spread earliest due first."""
    if customer is None:
        return []
    invoices = selectors.open_invoices(customer=customer)
    try:
        left = parse_money(amount, field="amount", what="amount") if typed is None else ZERO
    except DomainError:
        left = ZERO
    rows = []
    for invoice in invoices:
        if typed is not None:
            value = typed.get(invoice.invoice_no, "")
        else:
            take = min(left, invoice.open_amount)
            left -= take
            value = f"{take:.2f}" if take > ZERO else ""
        rows.append({"invoice": invoice, "open": invoice.open_amount, "value": value})
    return rows


def _customer(code: str) -> Customer | None:
    code = (code or "").strip()
    return Customer.objects.filter(code=code).first() if code else None


@login_required
@permission_required("orders.view_payment", raise_exception=True)
def payment_list(request):
    form = PaymentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    payments = selectors.payments_for(
        user=request.user,
        customer=data.get("customer", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        status=data.get("status", ""),
    )
    context = {
        "form": form,
        "page": Paginator(
            apply_sort(payments, request, allowed=PAYMENT_SORTS, default="-date"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
        "can_create": request.user.has_perm("orders.add_payment"),
        "sees_all": selectors.sees_all_payments(request.user),
    }
    template = (
        "orders/payment_list_table.html" if _is_partial(request) else "orders/payment_list.html"
    )
    return render(request, template, context)


@login_required
@permission_required("orders.add_payment", raise_exception=True)
def payment_create(request):
    initial = {"date": timezone.localdate(), "customer": request.GET.get("customer", "")[:40]}
    form = PaymentForm(request.POST or None, initial=initial)
    errors: list[str] = []
    typed = None
    if request.method == "POST":
        chosen, typed = chosen_allocations(request.POST)
        if chosen is None:
            typed = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = record_payment(
                    customer=data["customer"],
                    date=data["date"],
                    amount=data["amount"],
                    method=data["method"],
                    reference=data["reference"],
                    notes=data["notes"],
                    allocations=chosen,
                    by=request.user,
                )
            except DomainError as refusal:
                if refusal.field in form.fields:
                    form.add_error(refusal.field, refusal.message)
                else:
                    errors.append(refusal.message)
            else:
                messages.success(
                    request,
                    _("Payment %(no)s recorded: %(allocated)s allocated, %(left)s unallocated.")
                    % {
                        "no": payment.payment_no,
                        "allocated": f"{payment.allocated_amount:.2f}",
                        "left": f"{payment.unallocated_amount:.2f}",
                    },
                )
                return redirect("orders:payment-detail", payment_no=payment.payment_no)
    code = form.data.get("customer") if form.is_bound else initial["customer"]
    customer = _customer(code)
    amount = form.data.get("amount", "") if form.is_bound else ""
    context = {
        "form": form,
        "errors": errors,
        "customer": customer,
        "rows": _invoice_rows(customer, amount, typed),
        "methods": METHODS,
        "customer_options": Customer.objects.filter(is_active=True)
        .order_by("code")
        .only("code", "name")[:DATALIST_LIMIT],
    }
    return render(request, "orders/payment_form.html", context)


@require_GET
@login_required
@permission_required("orders.add_payment", raise_exception=True)
def payment_open_invoices(request):
    """htmx: the chosen customer's open invoices, the amount spread earliest due first."""
    customer = _customer(request.GET.get("customer", "")[:40])
    rows = _invoice_rows(customer, request.GET.get("amount", "")[:40], None)
    context = {"customer": customer, "rows": rows, "looked_up": True}
    return render(request, "orders/payment_open_invoices.html", context)


@login_required
@permission_required("orders.view_payment", raise_exception=True)
def payment_detail(request, payment_no: str):
    payment = _payment(request, payment_no)
    user = request.user
    posted = payment.status == PaymentStatus.POSTED
    can_allocate = (
        user.has_perm("orders.add_allocation") and posted and payment.unallocated_amount > 0
    )
    context = {
        "payment": payment,
        "allocations": list(payment.allocations.all()),
        "reversal": getattr(payment, "reversal", None),
        "can_reverse": user.has_perm("orders.add_paymentreversal") and posted,
        "can_allocate": can_allocate,
        "rows": _invoice_rows(payment.customer, payment.unallocated_amount, None)
        if can_allocate
        else [],
        "customer": payment.customer,
        "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "orders/payment_detail.html", context)


@require_POST
@login_required
@permission_required("orders.add_allocation", raise_exception=True)
def payment_allocate(request, payment_no: str):
    payment = _payment(request, payment_no)
    chosen, _typed = chosen_allocations(request.POST)
    if "auto" in request.POST:
        chosen = None
    try:
        rows = allocate_payment(payment=payment, allocations=chosen, by=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        total = sum((row.amount for row in rows), Decimal(0))
        messages.success(request, _("%(amount)s allocated.") % {"amount": f"{total:.2f}"})
    return redirect("orders:payment-detail", payment_no=payment.payment_no)


@require_POST
@login_required
@permission_required("orders.add_paymentreversal", raise_exception=True)
def payment_reverse(request, payment_no: str):
    payment = _payment(request, payment_no)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(problems)}" if label else problems[0])
        return redirect("orders:payment-detail", payment_no=payment.payment_no)
    try:
        reversal = reverse_payment(
            payment=payment,
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Payment %(no)s reversed (%(reversal)s); its invoices are open again.")
            % {"no": payment.payment_no, "reversal": reversal.reversal_no},
        )
    return redirect("orders:payment-detail", payment_no=payment.payment_no)
