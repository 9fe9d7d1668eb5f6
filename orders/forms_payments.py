"""Forms of the payment pages: the list's filters, recording a payment, its allocation by
hand and its reversal. They only read and convert input; the rules (amounts, open
amounts, who pays what) are in orders.receivables.payments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.receivables.models import PaymentStatus

TEXT = {"class": "form-control"}
METHODS = (
    _("bank transfer"),
    _("bank acceptance bill"),
    _("commercial acceptance bill"),
    _("cash"),
    _("cheque"),
)
ALLOCATION_PREFIX = "alloc-"


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date", **TEXT}, format="%Y-%m-%d"),
        **kwargs,
    )


class PaymentFilterForm(forms.Form):
    customer = forms.CharField(label=_("Customer"), required=False, max_length=100)
    date_from = _date(_("From"), required=False)
    date_to = _date(_("To"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PaymentStatus.choices]
    )


class PaymentForm(forms.Form):
    customer = forms.CharField(
        label=_("Customer"),
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "list": "customer-codes", "autocomplete": "off"}),
    )
    date = _date(_("Date received"))
    amount = forms.CharField(
        label=_("Amount"),
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal", "class": TEXT["class"]}),
        help_text=_("In yuan, at most 2 decimal places."),
    )
    method = forms.CharField(
        label=_("Method"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "list": "payment-methods"}),
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].widget.attrs.update(TEXT)

    def clean_customer(self) -> str:
        return self.cleaned_data["customer"].strip()


class ReverseForm(forms.Form):
    date = _date(_("Reversal date"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("e.g. transfer bounced")}),
    )


def chosen_allocations(data) -> tuple[list[tuple[str, str]] | None, dict[str, str]]:
    """The amounts typed against the open invoices (`alloc-<invoice no.>`), blank ones left
    out; None when the form had no invoice table (allocate earliest due first). Also the
    typed values by invoice, to show them again."""
    typed = {
        key[len(ALLOCATION_PREFIX) :]: str(value).strip()[:40]
        for key, value in data.items()
        if key.startswith(ALLOCATION_PREFIX)
    }
    if not data.get("by_hand"):
        return None, typed
    return [(number, value) for number, value in typed.items() if value], typed
