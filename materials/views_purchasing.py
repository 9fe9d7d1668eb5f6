"""Purchasing pages: requisitions, purchase orders made from them, receipts against them
(warehouse) and the printable goods receipt (入库单). Pages translate; services decide."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.sorting import apply_sort
from materials import selectors_purchasing as selectors
from materials.models import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseRequisition,
    Supplier,
    Warehouse,
)
from materials.services import purchasing, receipts

PAGE_SIZE = 50
# Sortable columns of the lists (whitelists, erp/sorting.py).
REQUISITION_SORTS = {"number": "number", "status": "status", "raised": "created_at"}
PURCHASE_ORDER_SORTS = {
    "po": "po_no",
    "supplier": "supplier__code",
    "date": "order_date",
    "status": "status",
}
RECEIPT_SORTS = {
    "number": "number",
    "date": "receipt_date",
    "po": "purchase_line__purchase_order__po_no",
    "supplier": "purchase_line__purchase_order__supplier__code",
    "item": "purchase_line__item__code",
    "quantity": "quantity",
    "warehouse": "warehouse__code",
}


def _decimal_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class RequisitionSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *PurchaseRequisition.Status.choices],
    )


class PurchaseOrderSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *PurchaseOrder.Status.choices],
    )


class ReceiptSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)


class SupplierForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=gettext_lazy("Supplier"), queryset=Supplier.objects.order_by("code")
    )


class OrderLineForm(forms.Form):
    """One requisition line on the purchase order being made."""

    take = forms.BooleanField(label=gettext_lazy("Order"), required=False)
    requisition_line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = _decimal_field(gettext_lazy("Quantity"), min_value=Decimal("0.000001"))
    unit_price = _decimal_field(gettext_lazy("Unit price"), min_value=Decimal("0"), required=False)
    due_date = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("take") and data.get("unit_price") is None:
            self.add_error("unit_price", _("Give the unit price (0 if it is not known yet)."))
        return data


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=0)


class ReceiveForm(forms.Form):
    quantity = _decimal_field(gettext_lazy("Quantity"))
    warehouse = forms.ModelChoiceField(
        label=gettext_lazy("Warehouse"),
        queryset=Warehouse.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    receipt_date = forms.DateField(label=gettext_lazy("Receipt date"), required=False)


def _page(request, queryset):
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), params.urlencode()


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else errors[0]
    return ""


# Requisitions ----------------------------------------------------------------------------


@login_required
@permission_required("materials.view_purchaserequisition", raise_exception=True)
def requisition_list(request):
    form = RequisitionSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    requisitions = apply_sort(
        selectors.requisition_list(status=data.get("status", ""), search=data.get("q", "")),
        request,
        allowed=REQUISITION_SORTS,
        default="-raised",
    )
    page, query = _page(request, requisitions)
    return render(
        request,
        "materials/requisition_list.html",
        {"form": form, "page": page, "query": query},
    )


def _requisition(number: str) -> PurchaseRequisition:
    try:
        return selectors.requisition_by_number(number=number)
    except PurchaseRequisition.DoesNotExist as exc:
        raise Http404(_("No purchase requisition with this number.")) from exc


@login_required
@permission_required("materials.view_purchaserequisition", raise_exception=True)
def requisition_detail(request, number: str):
    requisition = _requisition(number)
    open_lines = [line for line in requisition.lines.all() if line.purchase_line_id is None]
    context = {
        "requisition": requisition,
        "open_lines": open_lines,
        "is_open": requisition.status == PurchaseRequisition.Status.OPEN,
    }
    return render(request, "materials/requisition_detail.html", context)


@login_required
@require_POST
@permission_required("materials.change_purchaserequisition", raise_exception=True)
def requisition_cancel(request, number: str):
    requisition = _requisition(number)
    try:
        purchasing.requisition_cancel(user=request.user, requisition=requisition)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Requisition %(number)s cancelled.") % {"number": number})
    return redirect("materials:requisition-detail", number=number)


@login_required
@permission_required("materials.add_purchaseorder", raise_exception=True)
def requisition_order(request, number: str):
    """Turn the requisition's open lines into one purchase order: supplier, price, due date."""
    requisition = _requisition(number)
    open_lines = {line.pk: line for line in requisition.lines.all() if not line.purchase_line_id}
    if requisition.status != PurchaseRequisition.Status.OPEN or not open_lines:
        messages.error(
            request, _("Requisition %(number)s has nothing left to order.") % {"number": number}
        )
        return redirect("materials:requisition-detail", number=number)
    suggested = next((line.supplier for line in open_lines.values() if line.supplier), None)
    initial = [
        {
            "take": True,
            "requisition_line": line.pk,
            "quantity": line.quantity,
            "due_date": line.need_date,
        }
        for line in open_lines.values()
    ]
    if request.method == "POST":
        supplier_form = SupplierForm(request.POST)
        formset = OrderLineFormSet(request.POST, initial=initial)
        if supplier_form.is_valid() and formset.is_valid():
            chosen = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("take")]
            try:
                order = purchasing.purchase_order_from_requisitions(
                    user=request.user,
                    requisition=requisition,
                    supplier=supplier_form.cleaned_data["supplier"],
                    lines=[
                        purchasing.RequisitionOrderLine(
                            requisition_line=row["requisition_line"],
                            unit_price=row["unit_price"],
                            due_date=row["due_date"],
                            quantity=row["quantity"],
                        )
                        for row in chosen
                    ],
                )
            except DomainError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("Purchase order %(po)s created.") % {"po": order.po_no})
                return redirect("materials:purchase-order-detail", po_no=order.po_no)
    else:
        supplier_form = SupplierForm(initial={"supplier": suggested.pk if suggested else None})
        formset = OrderLineFormSet(initial=initial)
    rows = [(form, open_lines.get(_line_id(form))) for form in formset.forms]
    context = {
        "requisition": requisition,
        "supplier_form": supplier_form,
        "formset": formset,
        "rows": [(form, line) for form, line in rows if line is not None],
    }
    return render(request, "materials/requisition_order.html", context)


def _line_id(form) -> int | None:
    value = form["requisition_line"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Purchase orders --------------------------------------------------------------------------


@login_required
@permission_required("materials.view_purchaseorder", raise_exception=True)
def purchase_order_list(request):
    form = PurchaseOrderSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    orders = apply_sort(
        selectors.purchase_order_list(status=data.get("status", ""), search=data.get("q", "")),
        request,
        allowed=PURCHASE_ORDER_SORTS,
        default="-date",
    )
    page, query = _page(request, orders)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "show_prices": selectors.sees_purchase_prices(request.user),
    }
    return render(request, "materials/purchase_order_list.html", context)


def _purchase_order(po_no: str) -> PurchaseOrder:
    try:
        return selectors.purchase_order_by_no(po_no=po_no)
    except PurchaseOrder.DoesNotExist as exc:
        raise Http404(_("No purchase order with this number.")) from exc


@login_required
@permission_required("materials.view_purchaseorder", raise_exception=True)
def purchase_order_detail(request, po_no: str):
    order = _purchase_order(po_no)
    lines = list(order.lines.all())
    show_prices = selectors.sees_purchase_prices(request.user)
    main = Warehouse.objects.filter(code="MAIN", is_active=True).first()
    for line in lines:
        line.amount = line.quantity * line.unit_price if show_prices else None
        line.receive_form = ReceiveForm(
            initial={"quantity": line.open_quantity, "warehouse": main, "receipt_date": None},
            prefix=f"line{line.line}",
        )
    context = {
        "order": order,
        "lines": lines,
        "receipts": selectors.receipts_of(order=order),
        "show_prices": show_prices,
        "total": sum((line.amount for line in lines), Decimal(0)) if show_prices else None,
        "is_open": order.status == PurchaseOrder.Status.OPEN,
        "can_receive": request.user.has_perm("materials.add_goodsreceipt"),
        "today": timezone.localdate(),
    }
    return render(request, "materials/purchase_order_detail.html", context)


@login_required
@require_POST
@permission_required("materials.change_purchaseorder", raise_exception=True)
def purchase_order_cancel(request, po_no: str):
    return _po_action(
        request, po_no, purchasing.purchase_order_cancel, _("Purchase order %(po)s cancelled.")
    )


@login_required
@require_POST
@permission_required("materials.change_purchaseorder", raise_exception=True)
def purchase_order_close(request, po_no: str):
    return _po_action(
        request, po_no, purchasing.purchase_order_close, _("Purchase order %(po)s closed.")
    )


def _po_action(request, po_no, service, done: str):
    """Run a purchase order service; `done` is the success message (with %(po)s)."""
    order = _purchase_order(po_no)
    try:
        service(user=request.user, purchase_order=order)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done % {"po": po_no})
    return redirect("materials:purchase-order-detail", po_no=po_no)


@login_required
@require_POST
@permission_required("materials.add_goodsreceipt", raise_exception=True)
def purchase_order_receive(request, po_no: str, line: int):
    order = _purchase_order(po_no)
    purchase_line = next((ln for ln in order.lines.all() if ln.line == line), None)
    if purchase_line is None:
        raise Http404(_("No such line on this purchase order."))
    form = ReceiveForm(request.POST, prefix=f"line{line}")
    if not form.is_valid():
        messages.error(
            request,
            _("Receipt for line %(line)s not booked: %(error)s")
            % {"line": line, "error": _first_error(form)},
        )
        return redirect("materials:purchase-order-detail", po_no=po_no)
    try:
        receipt = receipts.goods_receipt(
            user=request.user,
            purchase_line=purchase_line,
            quantity=form.cleaned_data["quantity"],
            warehouse_code=form.cleaned_data["warehouse"].code,
            receipt_date=form.cleaned_data["receipt_date"],
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("materials:purchase-order-detail", po_no=po_no)
    messages.success(request, _("Goods receipt %(number)s booked.") % {"number": receipt.number})
    return redirect("materials:receipt-detail", number=receipt.number)


# Receipts ---------------------------------------------------------------------------------


@login_required
@permission_required("materials.view_goodsreceipt", raise_exception=True)
def receipt_list(request):
    form = ReceiptSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    receipts = apply_sort(
        selectors.receipt_list(search=data.get("q", "")),
        request,
        allowed=RECEIPT_SORTS,
        default="-date",
    )
    page, query = _page(request, receipts)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "show_prices": selectors.sees_purchase_prices(request.user),
    }
    return render(request, "materials/receipt_list.html", context)


@login_required
@permission_required("materials.view_goodsreceipt", raise_exception=True)
def receipt_detail(request, number: str):
    try:
        receipt = selectors.receipt_by_number(number=number)
    except GoodsReceipt.DoesNotExist as exc:
        raise Http404(_("No goods receipt with this number.")) from exc
    show_prices = selectors.sees_purchase_prices(request.user)
    line = receipt.purchase_line
    context = {
        "receipt": receipt,
        "line": line,
        "order": line.purchase_order,
        "show_prices": show_prices,
        "amount": receipt.quantity * line.unit_price if show_prices else None,
    }
    return render(request, "materials/receipt_detail.html", context)
