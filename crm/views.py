"""Customer master-data pages: the list (search by code, name or phone) and one customer.
Phone numbers, contacts and notes only for the roles customers.access.sees_customer_contacts
allows; the others see code, name, region, industry, salesperson and recent orders."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from crm import selectors_pages as selectors
from crm.services.customers import MAX_TERMS_DAYS, customer_set_credit_terms
from customers.access import (
    KEEPS_CUSTOMERS,
    SERVES_CUSTOMERS,
    may_edit_customer,
    may_set_credit_terms,
    sees_customer_contacts,
)
from customers.models import Customer
from erp.errors import DomainError
from erp.roles import has_role

PAGE_SIZE = 50
CENT = Decimal("0.01")
KEY_ACCOUNT_CHOICES = [("", _("All customers")), ("yes", _("Key customers")), ("no", _("Others"))]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("region"), required=False)
    salesperson = forms.TypedChoiceField(
        label=_("salesperson"), required=False, coerce=int, empty_value=None
    )
    key_account = forms.ChoiceField(
        label=_("key customer"), required=False, choices=KEY_ACCOUNT_CHOICES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (r, r) for r in selectors.customer_regions()
        ]
        self.fields["salesperson"].choices = [("", _("All salespeople"))] + [
            (u.pk, u.get_full_name() or u.username) for u in selectors.salespeople()
        ]


class CreditTermsForm(forms.Form):
    """A customer's credit limit and payment terms: managers change them; everyone else
    sees the form disabled."""

    credit_limit = forms.DecimalField(
        label=_("credit limit"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("incl. VAT; 0 = no limit"),
    )
    payment_terms_days = forms.IntegerField(
        label=_("payment terms (days)"),
        min_value=0,
        max_value=MAX_TERMS_DAYS,
        help_text=_("days from the invoice date to the due date"),
    )

    def __init__(self, *args, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not editable:
            for field in self.fields.values():
                field.disabled = True


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request):
    form = CustomerSearchForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "region": data["region"],
            "salesperson_id": data["salesperson"],
            "key_account": {"yes": True, "no": False}.get(data["key_account"]),
        }
    sees_contacts = sees_customer_contacts(request.user)
    customers = selectors.customer_list(**filters, with_phones=sees_contacts)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "sees_contacts": sees_contacts,
        "may_create": has_role(request.user, *KEEPS_CUSTOMERS),
    }
    template = "crm/_customer_table.html" if _is_partial(request) else "crm/customer_list.html"
    return render(request, template, context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request, code: str):
    try:
        customer = selectors.customer_by_code(code=code)
    except Customer.DoesNotExist as exc:
        raise Http404(_("No customer with this code.")) from exc
    context = _detail_context(request, customer, _credit_form(customer, request.user))
    return render(request, "crm/customer_detail.html", context)


def _detail_context(request, customer: Customer, credit_form) -> dict:
    sees_contacts = sees_customer_contacts(request.user)
    return {
        "customer": customer,
        "sees_contacts": sees_contacts,
        "contacts": selectors.contacts_of(customer=customer) if sees_contacts else [],
        "phones": selectors.phones_of(customer=customer) if sees_contacts else [],
        "orders": selectors.recent_orders(customer=customer),
        "can_open_360": has_role(request.user, *SERVES_CUSTOMERS),
        "credit_form": credit_form,
        "may_set_credit_terms": may_set_credit_terms(request.user),
        "may_edit": may_edit_customer(request.user, customer),
    }


def _credit_form(customer: Customer, user, data=None) -> CreditTermsForm:
    initial = {
        "credit_limit": customer.credit_limit.quantize(CENT),
        "payment_terms_days": customer.payment_terms_days,
    }
    return CreditTermsForm(data, initial=initial, editable=may_set_credit_terms(user))


@login_required
@require_POST
def customer_credit_terms(request, code: str):
    """A manager sets the customer's credit limit and payment terms."""
    if not may_set_credit_terms(request.user):
        raise PermissionDenied
    try:
        customer = selectors.customer_by_code(code=code)
    except Customer.DoesNotExist as exc:
        raise Http404(_("No customer with this code.")) from exc
    form = _credit_form(customer, request.user, request.POST)
    if form.is_valid():
        try:
            customer_set_credit_terms(customer=customer, user=request.user, **form.cleaned_data)
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, gettext("Credit terms saved."))
            return redirect("crm:customer-detail", code=customer.code)
    customer.refresh_from_db()
    context = _detail_context(request, customer, form)
    return render(request, "crm/customer_detail.html", context, status=400)


def _is_partial(request) -> bool:
    """An htmx search refreshes only the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
