"""Forms of the order pages: the follow-up list's filters, an order with its lines, and an
order change notice. They only read and convert input; the rules are in orders.services."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from orders.models import ChangeKind, OrderStatus

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
STATUS_CHOICES = [
    ("active", _("Active (draft to partly shipped)")),
    ("all", _("All states")),
    *OrderStatus.choices,
]


def _decimal_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
        **kwargs,
    )


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        **kwargs,
    )


class OrderFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Orders"),
        required=False,
        choices=[("mine", _("My customers' orders")), ("all", _("All orders"))],
    )
    status = forms.ChoiceField(label=_("status"), required=False, choices=STATUS_CHOICES)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100)
    week = forms.CharField(
        label=_("Due week"),
        required=False,
        widget=forms.TextInput(attrs={"type": "week"}),
        help_text=_("Orders with a line due in this ISO week."),
    )

    def clean_week(self) -> tuple[dt.date, dt.date] | None:
        from orders.selectors.orders import iso_week_range

        value = self.cleaned_data["week"].strip()
        if not value:
            return None
        match = WEEK.match(value)
        try:
            if match is None:
                raise ValueError
            return iso_week_range(int(match[1]), int(match[2]))
        except ValueError:
            raise ValidationError(_("Give a week as 2026-W10.")) from None


class OrderForm(forms.Form):
    # Order entry from the keyboard (static/erp/order-entry.js): Enter goes from the
    # customer to the first line's item; fields marked data-enter-skip are reached by Tab.
    customer = forms.CharField(
        label=_("customer"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autofocus": True,
                "data-lookup": "customer",
                "spellcheck": "false",
            }
        ),
        help_text=_("Customer code: the name shows as you type."),
    )
    customer_po = forms.CharField(
        label=_("customer's PO no."),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control", "data-enter-skip": True}),
    )
    order_date = _date_field(_("order date"))
    order_no = forms.CharField(
        label=_("order no."),
        required=False,
        max_length=40,
        help_text=_("Leave blank for the next number (SO-YYYY-NNNNNN)."),
        widget=forms.TextInput(attrs={"class": "form-control", "data-enter-skip": True}),
    )
    notes = forms.CharField(
        label=_("notes"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2, "data-enter-skip": True}),
    )


class OrderLineForm(forms.Form):
    line = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    item = forms.CharField(
        label=_("item"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "data-lookup": "item",
                "spellcheck": "false",
            }
        ),
    )
    quantity = _decimal_field(_("quantity"))
    # Blank: the price order entry suggests (orders.pricing.default_price).
    unit_price = _decimal_field(_("unit price"), required=False)
    due_date = _date_field(_("due date"))
    specification = forms.CharField(
        label=_("specification notes"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "data-enter-skip": True}),
    )

    def has_changed(self) -> bool:
        """A new row with nothing but a price (a form that showed 0) is still blank."""
        if not self.initial and set(self.changed_data) <= {"unit_price"}:
            return False
        return super().has_changed()


class BaseOrderLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The kept rows' values (blank new rows and rows marked for removal left out)."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("line"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = dict(form.cleaned_data)
            data.pop("DELETE", None)
            data["_form"] = form
            kept.append(data)
        return kept


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseOrderLineFormSet, extra=1, can_delete=True, max_num=200
)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("change"),
        choices=ChangeKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    order_line = forms.TypedChoiceField(
        label=_("line"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    new_due_date = _date_field(_("new due date"), required=False)
    new_quantity = _decimal_field(_("new quantity"), required=False)
    new_specification = forms.CharField(
        label=_("new specification"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = list(order.lines.all()) if order is not None else []
        self.fields["order_line"].choices = [("", _("The whole order (cancel only)"))] + [
            (
                ol.line,
                f"{ol.line}: {ol.item.code} {ol.item.name} · {ol.quantity.normalize():f} "
                f"{ol.item.uom} · {ol.due_date:%Y-%m-%d}",
            )
            for ol in lines
            if ol.status == "open"
        ]


class ChangeFilterForm(forms.Form):
    order = forms.CharField(label=_("order no."), required=False, max_length=40)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("change"), required=False, choices=[("", _("All changes")), *ChangeKind.choices]
    )
