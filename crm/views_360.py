"""A customer calls: find them by any part of a phone number or their name, and see
everything on one page (customer 360); log the contact with the prices quoted."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from crm import selectors_pages
from crm.customer360 import customer_360 as load_360
from crm.forms_relationship import InteractionForm, QuoteLineFormSet
from crm.models import Interaction
from crm.selectors_satisfaction import score_with_trend
from crm.services.interactions import interaction_log
from customers.access import LOGS_CONTACTS, SERVES_CUSTOMERS, may_edit_customer, roles_required
from customers.models import Customer
from customers.selectors import current_tier
from erp.errors import DomainError
from erp.roles import can_see_costs, has_role
from orders.models import SalesOrder

SEARCH_LIMIT = 50
HISTORY_PAGE = 50
TREND_DAYS = 366  # the satisfaction trend on the 360: the last twelve months


@roles_required(*SERVES_CUSTOMERS)
def customer_search(request):
    """The caller's number (any part, any format, with or without +86) or name. Results
    follow the typing; Enter (or the button) with one match opens the customer's page."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    results, more = [], False
    if query:
        found = list(selectors_pages.customer_list(search=query)[: SEARCH_LIMIT + 1])
        more = len(found) > SEARCH_LIMIT
        results = found[:SEARCH_LIMIT]
        if len(results) == 1:
            target = reverse("crm:customer-360", args=[results[0].code])
            if not request.htmx:
                return redirect(target)
            if request.htmx.trigger != "id_q":  # Enter, not a keystroke: open the page
                return HttpResponseClientRedirect(target)
    context = {"query": query, "results": results, "more": more, "limit": SEARCH_LIMIT}
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "crm/_search_results.html" if partial else "crm/customer_search.html"
    return render(request, template, context)


@roles_required(*SERVES_CUSTOMERS)
def customer_360(request, code: str):
    try:
        view = load_360(code=code.replace("\x00", ""), page=request.GET.get("page"))
    except Customer.DoesNotExist as exc:
        raise Http404(_("No customer with this code.")) from exc
    tier = current_tier(customer_id=view.customer.pk)
    sees_profit = can_see_costs(request.user)
    finances = None
    if has_role(request.user, *LOGS_CONTACTS):  # sales and managers: the customer's money
        from orders.receivables.statement import customer_finances

        finances = customer_finances(view.customer, today=timezone.localdate())
    # the last twelve months: the score and its trend by month (one query)
    satisfaction, trend = score_with_trend(
        view.customer, start=timezone.localdate() - dt.timedelta(days=TREND_DAYS)
    )
    context = {
        "finances": finances,
        "view": view,
        "customer": view.customer,
        "tier": tier,
        "why": tier.why(with_figures=sees_profit) if tier else "",
        "sees_profit": sees_profit,
        "can_log": has_role(request.user, *LOGS_CONTACTS),
        "may_edit": may_edit_customer(request.user, view.customer),
        "satisfaction": satisfaction,
        "satisfaction_trend": trend,
        "today": timezone.localdate(),
        "page": view.orders_page,
        "query": "",
    }
    return render(request, "crm/customer_360.html", context)


@roles_required(*LOGS_CONTACTS)
def interaction_create(request, code: str):
    customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
    kind = request.GET.get("kind", "call")
    initial = {
        "kind": kind,
        "reason": request.GET.get("reason", "quotation" if kind == "quote" else ""),
        "order": request.GET.get("order", ""),
        "contact": request.GET.get("contact", ""),
    }
    form = InteractionForm(request.POST or None, customer=customer, initial=initial)
    lines = QuoteLineFormSet(request.POST or None, prefix="quote")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        quote_lines = [
            {"item": row["item_obj"], "unit_price": row["unit_price"], "quantity": row["quantity"]}
            for row in lines.cleaned_data
            if row.get("item_obj")
        ]
        try:
            interaction_log(
                user=request.user,
                customer=customer,
                kind=data["kind"],
                reason=data["reason"],
                subject=data["subject"],
                notes=data["notes"],
                occurred_at=data["occurred_at"],
                order=SalesOrder.objects.filter(order_no=data["order"], customer=customer).first()
                if data["order"]
                else None,
                contact=customer.contacts.filter(pk=data["contact"]).first()
                if data["contact"]
                else None,
                quote_lines=quote_lines,
            )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Contact logged."))
            return redirect("crm:customer-360", code=customer.code)
    context = {"customer": customer, "form": form, "lines": lines}
    return render(request, "crm/interaction_form.html", context)


@roles_required(*SERVES_CUSTOMERS)
def interaction_list(request, code: str):
    """Every contact with the customer, newest first."""
    customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
    interactions = (
        Interaction.objects.filter(customer=customer)
        .select_related("created_by", "contact", "order")
        .prefetch_related("quote_lines__item")
        .order_by("-occurred_at", "-id")
    )
    page = Paginator(interactions, HISTORY_PAGE).get_page(request.GET.get("page"))
    context = {"customer": customer, "page": page, "query": ""}
    return render(request, "crm/interaction_list.html", context)
