"""Complaints and after-sales: the list with its trend per month, customer and product; one
case from the call through root cause and action to closing and the satisfaction score."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.forms_relationship import ComplaintForm, ComplaintWorkForm, SatisfactionForm
from crm.models import Complaint, ComplaintSeverity, ComplaintStatus
from crm.selectors_relationship import complaint_leaders, complaint_trend
from crm.selectors_relationship import complaint_list as list_complaints
from crm.services.complaints import TRANSITIONS, complaint_move, complaint_open, complaint_rate
from customers.access import HANDLES_COMPLAINTS, roles_required
from erp.errors import DomainError
from erp.sorting import apply_sort

PAGE_SIZE = 50
# Sortable columns of the complaint list (whitelist, erp/sorting.py).
COMPLAINT_SORTS = {
    "number": "number",
    "opened": "opened_at",
    "customer": "customer__code",
    "product": "item__code",
    "category": "category",
    "severity": "severity",
    "status": "status",
}


def invoice_url(invoice) -> str:
    """The invoice's page, when the invoices pages are installed ("" otherwise)."""
    if invoice is None:
        return ""
    try:
        return reverse("orders:invoice-detail", kwargs={"invoice_no": invoice.invoice_no})
    except NoReverseMatch:
        return ""


@roles_required(*HANDLES_COMPLAINTS)
def complaint_list(request):
    status = request.GET.get("status", "")
    status = status if status in ComplaintStatus.values or status == "open_all" else ""
    severity = request.GET.get("severity", "")
    severity = severity if severity in ComplaintSeverity.values else ""
    customer = request.GET.get("customer", "").replace("\x00", "").strip()[:40]
    complaints = list_complaints(
        status="" if status == "open_all" else status,
        open_only=status == "open_all",
        customer=customer,
        severity=severity,
    )
    complaints = apply_sort(complaints, request, allowed=COMPLAINT_SORTS, default="-opened")
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    today = timezone.localdate()
    trend = complaint_trend(today=today)
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": status,
        "severity": severity,
        "customer": customer,
        "statuses": ComplaintStatus.choices,
        "severities": ComplaintSeverity.choices,
        "trend": trend,
        "trend_max": max([row["count"] for row in trend] + [1]),
        "by_customer": complaint_leaders(today=today, by="customer"),
        "by_item": complaint_leaders(today=today, by="item"),
    }
    return render(request, "crm/complaint_list.html", context)


@roles_required(*HANDLES_COMPLAINTS)
def complaint_create(request):
    initial = {
        "customer": request.GET.get("customer", ""),
        "order": request.GET.get("order", ""),
        "invoice": request.GET.get("invoice", ""),
    }
    if initial["invoice"]:
        initial["category"] = "billing"
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_open(
                user=request.user,
                customer=data["customer_obj"],
                category=data["category"],
                severity=data["severity"],
                description=data["description"],
                order=data["order_obj"],
                item=data["item_obj"],
                owner=data["owner_obj"],
                invoice=data["invoice_obj"],
            )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Complaint %(n)s recorded.") % {"n": complaint.number})
            return redirect("crm:complaint-detail", number=complaint.number)
    return render(request, "crm/complaint_form.html", {"form": form})


def _complaint(number: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related(
            "customer", "order", "invoice", "item", "owner", "created_by", "updated_by"
        )
        .filter(number=number.replace("\x00", ""))
        .first()
    )
    if complaint is None:
        raise Http404(_("No complaint with this number."))
    return complaint


@roles_required(*HANDLES_COMPLAINTS)
def complaint_detail(request, number: str):
    complaint = _complaint(number)
    moves = [
        (s, ComplaintStatus(s).label)
        for s in ComplaintStatus.values
        if s in TRANSITIONS[complaint.status]
    ]
    work = ComplaintWorkForm(
        initial={"root_cause": complaint.root_cause, "action": complaint.action}
    )
    work.fields["status"].choices = moves
    context = {
        "complaint": complaint,
        "invoice_url": invoice_url(complaint.invoice),
        "work_form": work if moves else None,
        "rate_form": SatisfactionForm(initial={"satisfaction": complaint.satisfaction}),
    }
    return render(request, "crm/complaint_detail.html", context)


@roles_required(*HANDLES_COMPLAINTS)
@require_POST
def complaint_work(request, number: str):
    complaint = _complaint(number)
    form = ComplaintWorkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint_move(
                complaint=complaint,
                user=request.user,
                status=data["status"],
                root_cause=data["root_cause"],
                action=data["action"],
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Complaint updated."))
    else:
        messages.error(request, _("Choose the state to move to."))
    return redirect("crm:complaint-detail", number=complaint.number)


@roles_required(*HANDLES_COMPLAINTS)
@require_POST
def complaint_satisfaction(request, number: str):
    complaint = _complaint(number)
    form = SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            complaint_rate(
                complaint=complaint,
                user=request.user,
                satisfaction=form.cleaned_data["satisfaction"],
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Satisfaction recorded."))
    else:
        messages.error(request, _("Satisfaction is a score from 1 to 5."))
    return redirect("crm:complaint-detail", number=complaint.number)
