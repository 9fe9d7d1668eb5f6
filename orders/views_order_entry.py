"""Fast order entry: what the order form asks while a person types (a customer's and an
item's code looked up: name, stock on hand, last price, the price a line starts with and its
warnings), and the printable order confirmation. Reads only, through
orders.selectors.order_entry; the form itself is orders.views_orders."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from customers.models import Customer
from erp.numbers import plain
from erp.roles import can_see_costs
from orders.selectors import order_entry
from orders.services.orders import parse_decimal
from orders.views_orders import _get_order

MAX_TYPED = 40


def _may_enter_orders(user) -> bool:
    return user.has_perm("orders.add_salesorder") or user.has_perm("orders.change_salesorder")


def _typed(request, name: str) -> str:
    return request.GET.get(name, "").strip()[:MAX_TYPED]


@login_required
@require_GET
def customer_lookup(request):
    """The customer whose code is typed (name, region, salesperson), else up to eight
    customers whose code starts with it."""
    if not _may_enter_orders(request.user):
        raise PermissionDenied
    typed = _typed(request, "customer")
    matches = order_entry.customer_matches(typed=typed)
    context = {
        "typed": typed,
        "match": order_entry.exact_match(matches, typed),
        "matches": matches,
    }
    return render(request, "orders/order_entry_customer.html", context)


def _order_date(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("order_date", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@require_GET
def item_lookup(request):
    """One line's item: name, unit, stock on hand, the customer's last price, the price
    the line starts with and where it comes from, and the warnings (price 0, below the
    margin floor; the margin itself only for those who may see costs). Else up to eight
    items whose code starts with what is typed."""
    if not _may_enter_orders(request.user):
        raise PermissionDenied
    typed = _typed(request, "item")
    customer_code = _typed(request, "customer")
    customer = (
        Customer.objects.filter(code__in={customer_code, customer_code.upper()}).only("pk").first()
        if customer_code
        else None
    )
    customer_id = customer.pk if customer else None
    matches = order_entry.item_matches(typed=typed, customer_id=customer_id)
    item = order_entry.exact_match(matches, typed)
    check = None
    if item is not None:
        price = parse_decimal(request.GET.get("unit_price", "").strip() or None)
        check = order_entry.check_line(
            item=item,
            customer_id=customer_id,
            on=_order_date(request),
            price=price if price is not None and price >= 0 else None,
            sees_costs=can_see_costs(request.user),
        )
    suggested = check.suggested if check is not None else None
    context = {
        "typed": typed,
        "item": item,
        "matches": matches,
        "check": check,
        "has_customer": customer is not None,
        # the price as the form field takes it: exact, no grouping
        "default_price": plain(suggested.price) if suggested is not None else None,
    }
    return render(request, "orders/order_entry_item.html", context)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def order_confirmation(request, order_no: str):
    """The printable order confirmation (订单确认书) for the customer: lines, amounts,
    totals with VAT, due dates."""
    order = _get_order(order_no)
    context = {
        "c": order_entry.order_confirmation(order=order),
        "order": order,
        "company_name": getattr(settings, "COMPANY_NAME", ""),
        "printed_on": timezone.localdate(),
    }
    return render(request, "orders/order_confirmation.html", context)
