"""Forms of the profit pages: the period, the tier thresholds, an override. The rules are
checked by reports.profit (periods, services); the forms only carry input."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.errors import DomainError
from reports.exports import Period
from reports.kpi.periods import year_to_date
from reports.models import Tier
from reports.profit.periods import parse_period


class PeriodForm(forms.Form):
    """A calendar year, or from/to dates; empty means this year to date."""

    year = forms.CharField(label=_("Year"), required=False, max_length=4)
    start = forms.CharField(label=_("From"), required=False, max_length=10)
    end = forms.CharField(label=_("To"), required=False, max_length=10)

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None:
            # The query string uses the API's names: ?year=, ?from=, ?to=
            data.setdefault("start", data.get("from", ""))
            data.setdefault("end", data.get("to", ""))
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        try:
            data["period"] = parse_period(
                year=data.get("year"), start=data.get("start"), end=data.get("end")
            )
        except DomainError as refusal:
            field = {"from": "start", "to": "end"}.get(refusal.field, refusal.field or "year")
            self.add_error(field if field in self.fields else None, refusal.message)
        return data

    def period(self) -> Period:
        """The chosen period; this year to date (1 January of the factory's today to today)
        when none (or a bad one) is given."""
        if self.is_valid() and (
            self.cleaned_data["period"].start or self.cleaned_data["period"].end
        ):
            return self.cleaned_data["period"]
        return year_to_date()


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False)
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )

    def as_of_date(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


def _share_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"}),
    )


class TierSettingsForm(forms.Form):
    vip_share = _share_field(_("VIP while the share above is below"))
    important_share = _share_field(_("Important while the share above is below"))
    migrating_drop = _share_field(_("Migrating when profit falls by"))


class TierOverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"), choices=Tier.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class CommissionPolicyForm(forms.Form):
    high_margin = _share_field(_("High margin from"))
    medium_margin = _share_field(_("Medium margin from"))
    rate_high = _share_field(_("Rate for high margin"))
    rate_medium = _share_field(_("Rate for medium margin"))
    rate_low = _share_field(_("Rate for low margin"))
