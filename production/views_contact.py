"""Contact slip pages (联络单): the list with each open slip's age, raising a slip, one slip
with its decision (re-plan, outsource, accept the delay). Rules in production.services.contact."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from materials.models import Supplier
from orders.models import SalesOrder, SalesOrderLine
from production.models import ContactSlip
from production.services import contact as services
from production.views_reports import parse_threshold

VIEW = "production.view_contactslip"


def _slips():
    return ContactSlip.objects.select_related(
        "order__customer",
        "order_line__item",
        "created_by",
        "decided_by",
        "supplier",
        "plan",
        "purchase_order",
        "order_change",
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def slip_list(request):
    status = request.GET.get("status", "open")
    order_no = request.GET.get("order", "").replace("\x00", "")[:40]
    slips = _slips()
    if status in ContactSlip.Status.values:
        slips = slips.filter(status=status)
    if order_no:
        slips = slips.filter(order__order_no__icontains=order_no)
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(slips.order_by("status", "created_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for slip in page:
        slip.age = services.slip_age_days(slip, today)
    context = {
        "page": page,
        "query": params.urlencode(),
        "status": status,
        "order_no": order_no,
        "choices": ContactSlip.Status.choices,
        "can_raise": request.user.has_perm(services.RAISE_PERMISSION),
    }
    return render(request, "production/contact_list.html", context)


class RaiseForm(forms.Form):
    order = forms.CharField(label=gettext_lazy("Order no."), max_length=40)
    line = forms.IntegerField(
        label=gettext_lazy("Line (blank: the whole order)"),
        required=False,
        min_value=1,
        max_value=10**6,
    )
    reason = forms.CharField(label=gettext_lazy("What is wrong"), max_length=2000)

    def clean(self):
        data = super().clean()
        number = (data.get("order") or "").replace("\x00", "")
        data["order_obj"] = (
            SalesOrder.objects.select_related("customer").filter(order_no=number).first()
        )
        data["line_obj"] = None
        if number and data["order_obj"] is None:
            self.add_error("order", _("There is no order %(no)s.") % {"no": number})
        elif data["order_obj"] is not None and data.get("line"):
            data["line_obj"] = SalesOrderLine.objects.filter(
                order=data["order_obj"], line=data["line"]
            ).first()
            if data["line_obj"] is None:
                self.add_error(
                    "line", _("The order has no line %(line)s.") % {"line": data["line"]}
                )
        return data


@login_required
@permission_required(services.RAISE_PERMISSION, raise_exception=True)
def slip_new(request):
    initial = {k: v for k, v in request.GET.items() if k in ("order", "line")}
    form = RaiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slip = services.contact_slip_raise(
                user=request.user,
                order=data["order_obj"],
                order_line=data["line_obj"],
                reason=data["reason"],
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Contact slip %(no)s sent.") % {"no": slip.number})
            return redirect("production:contact-slip-detail", number=slip.number)
    return render(request, "production/contact_new.html", {"form": form})


def _slip_or_404(number: str) -> ContactSlip:
    slip = _slips().filter(number=number.replace("\x00", "")).first()
    if slip is None:
        raise Http404(_("No such contact slip."))
    return slip


@login_required
@permission_required(VIEW, raise_exception=True)
def slip_detail(request, number: str):
    slip = _slip_or_404(number)
    purchase_lines = list(slip.purchase_order.lines.all()) if slip.purchase_order_id else []
    context = {
        "slip": slip,
        "age": services.slip_age_days(slip),
        "purchase_lines": purchase_lines,
        "can_decide": slip.status == ContactSlip.Status.OPEN
        and request.user.has_perm(services.DECIDE_PERMISSION),
        "suppliers": Supplier.objects.order_by("code"),
        "decisions": ContactSlip.Decision.choices,
        "posted": request.session.pop("contact_slip_posted", {}),
        "today": timezone.localdate(),
    }
    return render(request, "production/contact_detail.html", context)


@login_required
@require_POST
def slip_decide(request, number: str):
    slip = _slip_or_404(number)
    post = {k: v.replace("\x00", "")[:2000] for k, v in request.POST.items()}
    supplier = None
    if post.get("supplier"):
        supplier = Supplier.objects.filter(Q(code=post["supplier"])).first()
    try:
        services.contact_slip_decide(
            user=request.user,
            slip=slip,
            decision=post.get("decision", ""),
            note=post.get("note", ""),
            supplier=supplier,
            outsource_quantity=post.get("outsource_quantity") or None,
            outsource_due_date=post.get("outsource_due_date") or None,
            new_promised_date=post.get("new_promised_date") or None,
            customer_informed=post.get("customer_informed") == "on",
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        request.session["contact_slip_posted"] = {
            k: post.get(k, "")
            for k in ("decision", "note", "supplier", "outsource_quantity", "outsource_due_date")
        }
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("production:contact-slip-detail", number=slip.number)


@login_required
@require_POST
def slip_propose(request):
    """From the attainment page: a slip for every order behind plan without one."""
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    slips = services.contact_slips_propose(
        user=request.user, as_of=day, threshold=parse_threshold(request.POST.get("threshold"))
    )
    messages.success(request, _("%(count)s contact slip(s) raised.") % {"count": len(slips)})
    return redirect("production:contact-slip-list")
