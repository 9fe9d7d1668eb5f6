"""Forms of the invoice and credit-note pages: list filters, the header of a new invoice or
credit note, cancelling, and the VAT invoice number. Quantities and prices typed into the
tables are read with orders.forms_slips.parse_quantity / parse_price."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from erp.models import QUANTITY_PLACES
from orders.forms_slips import MAX_QUANTITY
from orders.receivables.models import CreditNoteReason, InvoiceStatus

SCOPES = [("mine", _("My customers")), ("all", _("All customers"))]


class InvoiceFilterForm(forms.Form):
    customer = forms.CharField(label=_("Customer"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *InvoiceStatus.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    scope = forms.ChoiceField(label=_("Show"), required=False, choices=SCOPES)


class InvoiceHeaderForm(forms.Form):
    invoice_date = forms.DateField(label=_("Invoice date"))
    vat_invoice_no = forms.CharField(label=_("VAT invoice no."), required=False, max_length=60)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class VatInvoiceNoForm(forms.Form):
    vat_invoice_no = forms.CharField(label=_("VAT invoice no."), max_length=60)


class CreditNoteHeaderForm(forms.Form):
    date = forms.DateField(label=_("Date"))
    reason = forms.ChoiceField(label=_("Reason"), choices=CreditNoteReason.choices)
    vat_invoice_no = forms.CharField(label=_("VAT invoice no."), required=False, max_length=60)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CreditNoteFilterForm(forms.Form):
    customer = forms.CharField(label=_("Customer"), required=False, max_length=200)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("All")), *CreditNoteReason.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)


def parse_price(text: str) -> tuple[Decimal | None, str]:
    """(price, "") for a typed price or amount, (None, "") for a blank one, (None, error)."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None, ""
    try:
        price = Decimal(text)
    except InvalidOperation:
        return None, str(_("Not a number."))
    if not price.is_finite() or price <= 0:
        return None, str(_("Enter an amount greater than 0, or leave it blank."))
    if price >= MAX_QUANTITY or price != price.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        return None, str(_("The amount is too large or has too many decimals."))
    return price, ""
