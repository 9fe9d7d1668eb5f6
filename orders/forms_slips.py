"""Forms of the warehouse pages: slip list filters, the header of a slip or delivery, and
the quantities typed into the table (one input per row, blank = nothing)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from materials.models import Warehouse
from orders.models import ReturnReason, SlipKind

MAX_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS - QUANTITY_PLACES)


class SlipFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *SlipKind.choices]
    )
    order = forms.CharField(label=_("Order no."), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)


def warehouse_choices() -> list[tuple[str, str]]:
    return [
        (w.code, f"{w.code} {w.name}".strip())
        for w in Warehouse.objects.filter(is_active=True).order_by("code")
    ]


class SlipHeaderForm(forms.Form):
    """A slip names a customer order or a work order, exactly one of them."""

    order = forms.CharField(label=_("Order no."), max_length=40, required=False)
    work_order = forms.CharField(label=_("Work order no."), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SlipKind.choices)
    warehouse = forms.ChoiceField(label=_("Warehouse"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = warehouse_choices()

    def clean(self):
        data = super().clean()
        if bool(data.get("order")) == bool(data.get("work_order")):
            raise forms.ValidationError(_("Choose a customer order or a work order, not both."))
        return data


class DeliveryHeaderForm(forms.Form):
    order = forms.CharField(label=_("Order no."), max_length=40)
    warehouse = forms.ChoiceField(label=_("Warehouse"))
    ship_date = forms.DateField(label=_("Ship date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = warehouse_choices()


def parse_quantity(text: str) -> tuple[Decimal | None, str]:
    """(quantity, "") for a typed quantity, (None, "") for a blank one, (None, error) else."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        return None, str(_("Not a number."))
    if not quantity.is_finite():
        return None, str(_("Not a number."))
    if quantity <= 0:
        return None, str(_("Enter a quantity greater than 0, or leave it blank."))
    if quantity >= MAX_QUANTITY or quantity != quantity.quantize(
        Decimal(1).scaleb(-QUANTITY_PLACES)
    ):
        return None, str(_("The quantity is too large or has too many decimals."))
    return quantity, ""


def clean_text(value: str | None, max_length: int = 40) -> str:
    """A code or number typed into a URL: no NUL (PostgreSQL refuses it), trimmed."""
    return (value or "").replace("\x00", "").strip()[:max_length]


def clean_reason(text: str) -> str:
    return text if text in ReturnReason.values else ""
