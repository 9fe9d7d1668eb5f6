"""Shipment pages: ship an order's lines from a warehouse (出货) and the printable delivery
note. The rules live in orders.services.shipments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.errors import DomainError
from orders import selectors_slips as selectors
from orders.forms_slips import DeliveryHeaderForm, clean_text, parse_quantity
from orders.models import LineStatus
from orders.services.shipments import ship

DEFAULT_WAREHOUSE = "MAIN"


@login_required
@permission_required("orders.add_shipment", raise_exception=True)
def shipment_create(request):
    data = request.POST if request.method == "POST" else request.GET
    warehouse = clean_text(data.get("warehouse")) or DEFAULT_WAREHOUSE
    order_no = clean_text(data.get("order"))
    form = DeliveryHeaderForm(
        request.POST if request.method == "POST" else None,
        initial={"order": order_no, "warehouse": warehouse, "ship_date": timezone.localdate()},
    )
    errors: list[str] = []  # refusals and problems, shown above the table
    context = {
        "form": form,
        "errors": errors,
        "warehouse": warehouse,
        "order_no": order_no,
        "rows": [],
    }
    order = selectors.order_by_number(order_no=order_no) if order_no else None
    if order_no and order is None:
        errors.append(_("There is no customer order %(order)s.") % {"order": order_no})
    if order is None:
        return render(request, "orders/shipment_create.html", context)
    lines = list(order.lines.select_related("item").order_by("line"))
    stock = selectors.usable_stock(item_ids={ol.item_id for ol in lines}, warehouse_code=warehouse)
    rows = [
        {
            "line": ol,
            "usable": stock.get(ol.item_id, 0),
            "open": ol.status == LineStatus.OPEN and ol.open_quantity > 0,
            "value": "",
            "error": "",
        }
        for ol in lines
    ]
    context.update(order=order, rows=rows)
    if request.method != "POST":
        return render(request, "orders/shipment_create.html", context)

    wanted = []
    for row in rows:
        row["value"] = request.POST.get(f"qty-{row['line'].line}", "").strip()[:40]
        quantity, row["error"] = parse_quantity(row["value"])
        if quantity is not None:
            wanted.append((row["line"].line, quantity))
    if form.is_valid() and not any(r["error"] for r in rows):
        if not wanted:
            errors.append(_("Enter a quantity on at least one line."))
        else:
            try:
                shipments = ship(
                    user=request.user,
                    order_no=order.order_no,
                    lines=wanted,
                    warehouse_code=form.cleaned_data["warehouse"],
                    ship_date=form.cleaned_data["ship_date"],
                )
            except DomainError as refusal:
                errors.append(refusal.message)
            else:
                delivery_no = shipments[0].delivery_no
                messages.success(
                    request, _("Delivery %(number)s shipped.") % {"number": delivery_no}
                )
                return redirect("orders:delivery-detail", delivery_no=delivery_no)
    return render(request, "orders/shipment_create.html", context)


@login_required
@permission_required("orders.view_shipment", raise_exception=True)
def delivery_detail(request, delivery_no: str):
    shipments = selectors.delivery(delivery_no=clean_text(delivery_no))
    if not shipments:
        raise Http404(_("No delivery with this number."))
    first = shipments[0]
    context = {
        "delivery_no": delivery_no,
        "shipments": shipments,
        "order": first.order_line.order,
        "first": first,
    }
    return render(request, "orders/shipment_delivery.html", context)
