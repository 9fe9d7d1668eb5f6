"""Forms of the stock pages: the stock list's search, a stock-count adjustment request and
a manager's rejection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from materials.models import LocationKind, StockAdjustment, Warehouse


def warehouse_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [
        (w.code, f"{w.code} {w.name}".strip())
        for w in Warehouse.objects.filter(is_active=True).order_by("code")
    ]
    return [("", blank), *choices] if blank is not None else choices


class StockSearchForm(forms.Form):
    q = forms.CharField(label=_("Item code or name"), required=False, max_length=100)
    warehouse = forms.ChoiceField(label=_("Warehouse"), required=False)
    all = forms.BooleanField(label=_("Show zero balances"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = warehouse_choices(str(_("All warehouses")))


class LedgerFilterForm(forms.Form):
    warehouse = forms.ChoiceField(label=_("Warehouse"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = warehouse_choices(str(_("All warehouses")))


class AdjustmentRequestForm(forms.Form):
    item = forms.CharField(label=_("Item code"), max_length=40)
    warehouse = forms.ChoiceField(label=_("Warehouse"))
    location = forms.ChoiceField(
        label=_("Location"), choices=LocationKind.choices, initial=LocationKind.USABLE
    )
    # Text, not a number field: the service checks it against the item's unit and says why.
    counted_quantity = forms.CharField(label=_("Counted quantity"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = warehouse_choices()


class AdjustmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *StockAdjustment.Status.choices],
    )


class AdjustmentRejectForm(forms.Form):
    reason = forms.CharField(label=_("Why rejected"), max_length=300)
