"""Forms of the customer upkeep pages: a customer with its own phone numbers, a contact with
birthday, preferences and numbers. They carry input; customers.services checks the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from customers.access import SALES
from customers.models import Contact, Customer
from erp.roles import Role

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}
MAX_PHONES = 20


def _phones_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Phone numbers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        help_text=help_text,
    )


def split_phones(text: str) -> list[str]:
    """One number a line (or separated by commas or semicolons); blank lines dropped."""
    parts = (text or "").replace(";", "\n").replace(",", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


class PhonesMixin:
    def clean_phones(self):
        numbers = split_phones(self.cleaned_data.get("phones", ""))
        if len(numbers) > MAX_PHONES:
            raise forms.ValidationError(
                _("At most %(n)s phone numbers.") % {"n": MAX_PHONES}, code="too_many"
            )
        return numbers


def salesperson_choices() -> list[tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=(SALES, Role.MANAGER.value))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [("", "—")] + [(str(u.pk), u.get_full_name() or u.username) for u in users]


class CustomerForm(PhonesMixin, forms.ModelForm):
    """A customer's master data. The salesperson and key-customer flag are a manager's
    choice, and so are the credit terms: the view drops those fields for anyone else."""

    phones = _phones_field(_("The customer's own numbers (switchboard, fax), one a line."))
    salesperson = forms.TypedChoiceField(
        label=_("Salesperson"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "industry",
            "region",
            "salesperson",
            "key_account",
            "is_active",
            "notes",
            "credit_limit",
            "payment_terms_days",
        ]
        widgets = {
            "code": forms.TextInput(attrs={**TEXT, "autofocus": True}),
            "name": forms.TextInput(attrs=TEXT),
            "industry": forms.TextInput(attrs=TEXT),
            "region": forms.TextInput(attrs=TEXT),
            "key_account": forms.CheckboxInput(attrs=CHECK),
            "is_active": forms.CheckboxInput(attrs=CHECK),
            "notes": forms.Textarea(attrs={**TEXT, "rows": 3}),
            "credit_limit": forms.NumberInput(attrs={**TEXT, "step": "0.01", "min": "0"}),
            "payment_terms_days": forms.NumberInput(attrs={**TEXT, "min": "0"}),
        }
        help_texts = {"credit_limit": _("incl. VAT; 0 = no limit")}

    def __init__(self, *args, manager: bool, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
            if self.instance.pk and "phones" not in self.initial:
                numbers = self.instance.phones.filter(contact__isnull=True).order_by(
                    "position", "id"
                )
                self.initial["phones"] = "\n".join(p.number for p in numbers)
        if manager:
            self.fields["salesperson"].choices = salesperson_choices()
            self.initial.setdefault("salesperson", self.instance.salesperson_id)
        else:
            for name in ("salesperson", "key_account", "credit_limit", "payment_terms_days"):
                del self.fields[name]
        for name in ("credit_limit", "payment_terms_days"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            raise forms.ValidationError(_("Give the customer a code."), code="required")
        return code

    def _post_clean(self):  # the service validates and saves; the form only carries input
        pass


class ContactForm(PhonesMixin, forms.ModelForm):
    phones = _phones_field(_("Mobile and direct numbers, one a line."))

    class Meta:
        model = Contact
        fields = ["name", "title", "email", "birthday", "notes"]
        widgets = {
            "name": forms.TextInput(attrs={**TEXT, "autofocus": True}),
            "title": forms.TextInput(attrs=TEXT),
            "email": forms.EmailInput(attrs=TEXT),
            "birthday": forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={**TEXT, "rows": 3}),
        }
        labels = {"notes": _("Preferences")}
        help_texts = {
            "notes": _("What the person likes, how and when to reach them, gifts, dislikes."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "phones" not in self.initial:
            self.initial["phones"] = "\n".join(
                p.number for p in self.instance.phones.order_by("position", "id")
            )

    def _post_clean(self):
        pass
