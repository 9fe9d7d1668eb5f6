"""The contact analysis page: contacts by reason and month, and by customer (sales: its own
customers; managers all)."""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from crm import selectors_contact_reasons as selectors
from crm.models import ContactReason
from customers.access import LOGS_CONTACTS, roles_required

DEFAULT_MONTHS = 12


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@roles_required(*LOGS_CONTACTS)
def contact_analysis(request):
    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    start_default = dt.date(months // 12, months % 12 + 1, 1)  # the last 12 months
    start = _date(request.GET.get("start"), start_default)
    end = _date(request.GET.get("end"), today)
    if end < start:
        start, end = end, start
    customers = list(selectors.reasons_by_customer(user=request.user, start=start, end=end))
    reasons = list(ContactReason)
    for customer in customers:
        customer.reason_counts = [getattr(customer, f"n_{r.value}") for r in reasons]
    context = {
        "start": start,
        "end": end,
        "table": selectors.reasons_by_month(user=request.user, start=start, end=end),
        "customers": customers,
        "reasons": reasons,
    }
    return render(request, "crm/contact_analysis.html", context)
