"""Forms of the quotation pages: the list's filters, a quotation with its lines, the
conversion into an order, a cancellation. They only read and convert input; the rules are
in crm.services.quotations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models_quotations import QuotationStatus
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES

STATUS_CHOICES = [
    ("", _("All states")),
    ("open", _("Open (valid)")),
    *QuotationStatus.choices,
]
SCOPE_CHOICES = [("mine", _("My customers' quotations")), ("all", _("All quotations"))]


def _decimal_field(label, *, places: int = QUANTITY_PLACES, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=QUANTITY_DIGITS,
        decimal_places=places,
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
        **kwargs,
    )


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        **kwargs,
    )


class QuotationFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Quotations"), required=False, choices=SCOPE_CHOICES)
    status = forms.ChoiceField(label=_("status"), required=False, choices=STATUS_CHOICES)
    customer = forms.CharField(label=_("customer"), required=False, max_length=100)
    expiring = forms.BooleanField(label=_("Expiring within 7 days"), required=False)


class QuotationForm(forms.Form):
    customer = forms.CharField(
        label=_("customer"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "list": "customer-codes", "autocomplete": "off"}
        ),
        help_text=_("Customer code."),
    )
    contact = forms.TypedChoiceField(
        label=_("contact"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    quote_date = _date_field(_("quotation date"))
    valid_until = _date_field(_("valid until"))
    delivery_days = forms.IntegerField(
        label=_("delivery (days after order)"),
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"class": "form-control text-end"}),
    )
    currency = forms.CharField(
        label=_("currency"),
        max_length=3,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    notes = forms.CharField(
        label=_("notes / terms"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "—")] + [(c.pk, c.name) for c in contacts]


class QuotationLineForm(forms.Form):
    # The line number of a row loaded from the quotation: kept even when left unchanged.
    line = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    item = forms.CharField(
        label=_("item"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "list": "item-codes", "autocomplete": "off"}
        ),
    )
    quantity = _decimal_field(_("quantity"))
    unit_price = _decimal_field(
        _("unit price"), required=False, help_text=_("Blank: the item's list price.")
    )
    discount_percent = _decimal_field(_("discount %"), places=2, required=False, min_value=0)
    description = forms.CharField(
        label=_("description"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class BaseQuotationLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The kept rows' values (blank rows and rows marked for removal left out)."""
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


QuotationLineFormSet = forms.formset_factory(
    QuotationLineForm, formset=BaseQuotationLineFormSet, extra=1, can_delete=True, max_num=200
)


class ConvertForm(forms.Form):
    order_date = _date_field(_("order date"))
    due_date = _date_field(
        _("due date"),
        required=False,
        help_text=_("Blank: the order date plus the quotation's delivery days."),
    )
    customer_po = forms.CharField(
        label=_("customer's PO no."),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=4000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
