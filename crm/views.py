"""Customer master-data pages: the list (search by code, name or phone) and one customer.
Phone numbers, contacts and notes only for the roles crm.access.sees_customer_contacts
allows; the others see code, name, region, industry, salesperson and recent orders."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from crm import selectors_pages as selectors
from crm.access import SERVES_CUSTOMERS, sees_customer_contacts
from crm.models import Customer
from erp.roles import has_role

PAGE_SIZE = 50
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


@login_required
@permission_required("crm.view_customer", raise_exception=True)
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
    }
    template = "crm/_customer_table.html" if _is_partial(request) else "crm/customer_list.html"
    return render(request, template, context)


@login_required
@permission_required("crm.view_customer", raise_exception=True)
def customer_detail(request, code: str):
    try:
        customer = selectors.customer_by_code(code=code)
    except Customer.DoesNotExist as exc:
        raise Http404(_("No customer with this code.")) from exc
    sees_contacts = sees_customer_contacts(request.user)
    context = {
        "customer": customer,
        "sees_contacts": sees_contacts,
        "contacts": selectors.contacts_of(customer=customer) if sees_contacts else [],
        "phones": selectors.phones_of(customer=customer) if sees_contacts else [],
        "orders": selectors.recent_orders(customer=customer),
        "can_open_360": has_role(request.user, *SERVES_CUSTOMERS),
    }
    return render(request, "crm/customer_detail.html", context)


def _is_partial(request) -> bool:
    """An htmx search refreshes only the results; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
