"""The survey form: four questions scored 1 to 5, a comment and who answered. The same form
serves the customer's link and the salesperson recording an answer on the phone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models_satisfaction import SURVEY_QUESTIONS

TEXT = {"class": "form-control"}
SCORES = [(n, str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    respondent = forms.CharField(
        label=_("Your name"), required=False, max_length=100, widget=forms.TextInput(TEXT)
    )
    comment = forms.CharField(
        label=_("Anything we should do better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )

    def __init__(self, *args, by_phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            name: forms.TypedChoiceField(
                label=label,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            for name, label in SURVEY_QUESTIONS
        }
        self.fields = {**scores, **self.fields}
        if by_phone:
            self.fields["respondent"].label = _("Who answered")
            self.fields["comment"].label = _("What the customer said")

    def score_fields(self):
        return [self[name] for name, _label in SURVEY_QUESTIONS]

    def other_fields(self):
        return [self["respondent"], self["comment"]]
