"""Forms of the relationship pages: log a contact (with quoted prices), schedule and close
follow-ups, open and work complaints. They carry input; crm.services checks the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crm.models import (
    ComplaintCategory,
    ComplaintSeverity,
    ComplaintStatus,
    ContactReason,
    InteractionKind,
)
from customers.models import Customer
from erp.models import QUANTITY_DIGITS, QUANTITY_PLACES
from erp.roles import Role
from materials.models import Item
from orders.models import SalesOrder
from orders.receivables.models import Invoice

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _decimal(label, *, required=True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=QUANTITY_DIGITS,
        decimal_places=QUANTITY_PLACES,
        min_value=0,
        widget=forms.NumberInput(attrs={**TEXT, "step": "any"}),
    )


def staff_choices(*roles: str) -> list[tuple[str, str]]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("username")
    )
    return [("", "—")] + [(u.username, u.get_full_name() or u.username) for u in users]


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InteractionKind.choices, widget=forms.Select(attrs=SELECT)
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *ContactReason.choices],
        widget=forms.Select(attrs=SELECT),
        help_text=_("Why the customer and we spoke: every contact is counted by its reason."),
        error_messages={"required": _("Say why the contact happened: choose a reason.")},
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, widget=forms.TextInput(TEXT))
    notes = forms.CharField(
        label=_("What was said"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}),
        help_text=_("Empty: now."),
    )
    order = forms.ChoiceField(label=_("Order"), required=False, widget=forms.Select(SELECT))
    contact = forms.TypedChoiceField(
        label=_("Contact"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        orders = SalesOrder.objects.filter(customer=customer).order_by("-order_date")[:100]
        self.fields["order"].choices = [("", "—")] + [(o.order_no, o.order_no) for o in orders]
        self.fields["contact"].choices = [("", "—")] + [
            (c.pk, c.name) for c in customer.contacts.order_by("name")
        ]


class QuoteLineForm(forms.Form):
    item = forms.CharField(
        label=_("Product code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=TEXT),
    )
    unit_price = _decimal(_("Price"), required=False)
    quantity = _decimal(_("Quantity"), required=False)

    def clean(self):
        data = super().clean()
        code = (data.get("item") or "").strip()
        data["item_obj"] = None
        if code:
            data["item_obj"] = Item.objects.filter(code=code).first()
            if data["item_obj"] is None:
                self.add_error("item", _("There is no product %(code)s.") % {"code": code})
            if data.get("unit_price") is None:
                self.add_error("unit_price", _("Enter the price quoted."))
        return data


QuoteLineFormSet = forms.formset_factory(QuoteLineForm, extra=3, max_num=50)


class FollowUpForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200, widget=forms.TextInput(TEXT))
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
        help_text=_("Empty: after the usual interval for the customer's tier."),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=forms.Select(SELECT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = staff_choices(Role.SALES.value, Role.MANAGER.value)


class FollowUpDoneForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    schedule_next = forms.BooleanField(label=_("Schedule the next one"), required=False)
    next_due_date = forms.DateField(
        label=_("Next due date"),
        required=False,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}),
    )


class ComplaintForm(forms.Form):
    customer = forms.CharField(
        label=_("Customer code"), max_length=40, widget=forms.TextInput(TEXT)
    )
    order = forms.CharField(
        label=_("Order no."), required=False, max_length=40, widget=forms.TextInput(TEXT)
    )
    item = forms.CharField(
        label=_("Product code"), required=False, max_length=40, widget=forms.TextInput(TEXT)
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=ComplaintCategory.choices, widget=forms.Select(SELECT)
    )
    invoice = forms.CharField(
        label=_("Invoice no. (billing only)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(TEXT),
        help_text=_("For a billing complaint: the customer's invoice it is about."),
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=ComplaintSeverity.choices, widget=forms.Select(SELECT)
    )
    description = forms.CharField(
        label=_("What the customer says"), widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=forms.Select(SELECT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = staff_choices(
            Role.SALES.value, Role.QUALITY.value, Role.MANAGER.value
        )

    def clean(self):
        data = super().clean()
        code = data.get("customer", "")
        data["customer_obj"] = Customer.objects.filter(code=code).first() if code else None
        if code and data["customer_obj"] is None:
            self.add_error("customer", _("There is no customer %(code)s.") % {"code": code})
        order_no = (data.get("order") or "").strip()
        data["order_obj"] = (
            SalesOrder.objects.filter(order_no=order_no).first() if order_no else None
        )
        if order_no and data["order_obj"] is None:
            self.add_error("order", _("There is no order %(no)s.") % {"no": order_no})
        item = (data.get("item") or "").strip()
        data["item_obj"] = Item.objects.filter(code=item).first() if item else None
        if item and data["item_obj"] is None:
            self.add_error("item", _("There is no product %(code)s.") % {"code": item})
        self._clean_invoice(data)
        owner = data.get("owner")
        data["owner_obj"] = (
            get_user_model().objects.filter(username=owner).first() if owner else None
        )
        return data

    def _clean_invoice(self, data: dict) -> None:
        """The invoice of a billing complaint: one of the customer's (the service checks
        it again)."""
        number = (data.get("invoice") or "").strip()
        data["invoice_obj"] = None
        if not number:
            return
        if data.get("category") != ComplaintCategory.BILLING:
            self.add_error(
                "invoice", _("Only a billing complaint names an invoice; choose billing.")
            )
            return
        invoice = Invoice.objects.filter(invoice_no=number).first()
        customer = data.get("customer_obj")
        if invoice is None:
            self.add_error("invoice", _("There is no invoice %(no)s.") % {"no": number})
        elif customer is not None and invoice.customer_id != customer.pk:
            self.add_error(
                "invoice",
                _("Invoice %(no)s belongs to another customer.") % {"no": number},
            )
        else:
            data["invoice_obj"] = invoice


class ComplaintWorkForm(forms.Form):
    """Root cause and action, and the move to the next state."""

    status = forms.ChoiceField(
        label=_("Move to"), choices=ComplaintStatus.choices, widget=forms.Select(SELECT)
    )
    root_cause = forms.CharField(
        label=_("Root cause"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    action = forms.CharField(
        label=_("Action taken"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class SatisfactionForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Customer's satisfaction"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.Select(SELECT),
    )
