"""Quotations on other pages: the status a person sees (expired computed from validity) and
the customer's quotations panel on the 360 page (sales and managers only)."""

from django import template
from django.utils import timezone

from crm.selectors_quotations import customer_quotations, may_quote

register = template.Library()


@register.filter
def quotation_status(quotation, today) -> str:
    """draft, sent, accepted, converted, cancelled, or expired when past its validity."""
    return quotation.shown_status(today)


@register.inclusion_tag("crm/quotation_customer_panel.html", takes_context=True)
def customer_quotations_panel(context, customer) -> dict:
    user = context["request"].user
    return {
        "customer": customer,
        "may_quote": may_quote(user),
        "quotations": customer_quotations(customer=customer, user=user),
        "today": timezone.localdate(),
    }
