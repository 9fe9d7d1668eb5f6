"""The manager's margin-floor form: reads and converts input; orders.services.margin_floor
decides."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MarginFloorForm(forms.Form):
    item = forms.CharField(
        label=_("item"),
        required=False,
        max_length=40,
        help_text=_("Blank: the floor of the whole factory."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    percent = forms.DecimalField(
        label=_("minimum margin %"),
        required=False,
        min_value=0,
        max_value=99.99,
        decimal_places=2,
        max_digits=5,
        help_text=_(
            "Margin = (price - standard cost) / price. Blank removes the floor (an item then "
            "follows the factory's floor); 0 means none."
        ),
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
