"""Finished-goods receipt pages (成品入库): receive goods against a work order or an order
line, and the printable receipt. The rules live in production.services."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from erp.errors import DomainError
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Warehouse
from orders.models import SalesOrderLine
from production.models import FinishedGoodsReceipt, WorkOrder
from production.services import finished_goods_receipt


class FinishedGoodsReceiptForm(forms.Form):
    work_order = forms.CharField(label=_("Work order no."), required=False, max_length=40)
    order_no = forms.CharField(label=_("Order no."), required=False, max_length=40)
    line = forms.IntegerField(label=_("Order line"), required=False, min_value=1, max_value=10**6)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        min_value=Decimal("0.000001"),
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
    )
    warehouse = forms.ChoiceField(label=_("Warehouse"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = [
            (w.code, f"{w.code} {w.name}".strip())
            for w in Warehouse.objects.filter(is_active=True).order_by("code")
        ]

    def clean(self):
        data = super().clean()
        wo_no, order_no = data.get("work_order", ""), data.get("order_no", "")
        data["work_order_obj"] = data["order_line_obj"] = None
        if wo_no:
            data["work_order_obj"] = WorkOrder.objects.filter(wo_no=wo_no).first()
            if data["work_order_obj"] is None:
                self.add_error("work_order", _("There is no work order %(no)s.") % {"no": wo_no})
        if order_no:
            line = data.get("line") or 1
            data["order_line_obj"] = SalesOrderLine.objects.filter(
                order__order_no=order_no, line=line
            ).first()
            if data["order_line_obj"] is None:
                self.add_error(
                    "order_no",
                    _("Order %(order)s has no line %(line)s.") % {"order": order_no, "line": line},
                )
        if not wo_no and not order_no:
            raise forms.ValidationError(_("Enter the work order, or the order and its line."))
        return data


@login_required
@permission_required("production.add_finishedgoodsreceipt", raise_exception=True)
def fg_receipt_create(request):
    initial = {
        "warehouse": "MAIN",
        **{k: v for k, v in request.GET.items() if k in ("work_order", "order_no", "line")},
    }
    form = FinishedGoodsReceiptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = finished_goods_receipt(
                user=request.user,
                quantity=form.cleaned_data["quantity"],
                warehouse_code=form.cleaned_data["warehouse"],
                work_order=form.cleaned_data["work_order_obj"],
                order_line=form.cleaned_data["order_line_obj"],
            )
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Receipt %(number)s booked.") % {"number": receipt.number})
            return redirect("production:fg-receipt-detail", number=receipt.number)
    return render(request, "production/receipt_create.html", {"form": form})


@login_required
@permission_required("production.view_finishedgoodsreceipt", raise_exception=True)
def fg_receipt_detail(request, number: str):
    receipt = (
        FinishedGoodsReceipt.objects.select_related(
            "item",
            "work_order",
            "order_line__order__customer",
            "warehouse",
            "created_by",
            "reversal__created_by",
        )
        .filter(number=number.replace("\x00", ""))
        .first()
    )
    if receipt is None:
        raise Http404(_("No receipt with this number."))
    return render(request, "production/receipt_detail.html", {"receipt": receipt})
