"""Customer upkeep pages: create and edit a customer with its own phone numbers, add, edit
and remove its contacts (birthday, preferences, numbers), and the birthdays coming up.

Sales follow-up keeps its own customers (a customer it creates is its own); managers and
administrators keep every customer and alone choose the salesperson, the key-customer flag
and the credit terms (customers.access)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers import selectors_birthdays as selectors
from customers.access import (
    KEEPS_CUSTOMERS,
    may_edit_customer,
    may_set_credit_terms,
    roles_required,
)
from customers.forms import ContactForm, CustomerForm
from customers.models import Contact, Customer
from customers.services import (
    contact_create,
    contact_delete,
    contact_update,
    customer_create,
    customer_update,
)
from erp.errors import DomainError

BIRTHDAYS_PAGE = 50


def _customer_page(customer: Customer) -> str:
    """Where a customer's upkeep returns to: its master-data page."""
    return reverse("crm:customer-detail", args=[customer.code])


def _refusal_to_form(form, error) -> None:
    """A service refusal (DomainError or ValidationError) as form errors, on the field it
    names when the form has it."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    if isinstance(error, ValidationError):
        form.add_error(None, error.messages)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _editable(request, code: str) -> Customer:
    customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
    if not may_edit_customer(request.user, customer):
        raise PermissionDenied
    return customer


def _customer_fields(form: CustomerForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("code", None)
    phones = data.pop("phones")
    if "salesperson" in data:
        data["salesperson_id"] = data.pop("salesperson")
    for name in ("credit_limit", "payment_terms_days"):
        if name in data and data[name] is None:
            data.pop(name)
    return data | {"phones": phones}


@roles_required(*KEEPS_CUSTOMERS)
def customer_new(request):
    manager = may_set_credit_terms(request.user)
    form = CustomerForm(
        request.POST or None,
        manager=manager,
        editing=False,
        initial={"is_active": True, "payment_terms_days": 30, "credit_limit": 0},
    )
    if request.method == "POST" and form.is_valid():
        fields = _customer_fields(form)
        if not manager:  # sales keeps what it creates
            fields["salesperson_id"] = request.user.pk
        try:
            customer = customer_create(user=request.user, code=form.cleaned_data["code"], **fields)
        except (DomainError, ValidationError) as refusal:
            _refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Customer %(code)s created.") % {"code": customer.code})
            return redirect(_customer_page(customer))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "customers/customer_form.html", {"form": form, "customer": None}, status=status
    )


@roles_required(*KEEPS_CUSTOMERS)
def customer_edit(request, code: str):
    customer = _editable(request, code)
    form = CustomerForm(
        request.POST or None,
        instance=customer,
        manager=may_set_credit_terms(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer_update(customer=customer, user=request.user, **_customer_fields(form))
        except (DomainError, ValidationError) as refusal:
            _refusal_to_form(form, refusal)
            customer.refresh_from_db()
        else:
            messages.success(request, _("Customer %(code)s saved.") % {"code": customer.code})
            return redirect(_customer_page(customer))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "customer": customer}
    return render(request, "customers/customer_form.html", context, status=status)


@roles_required(*KEEPS_CUSTOMERS)
def contact_new(request, code: str):
    customer = _editable(request, code)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            contact = contact_create(user=request.user, customer=customer, **data)
        except (DomainError, ValidationError) as refusal:
            _refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
            return redirect(_customer_page(customer))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "customer": customer, "contact": None}
    return render(request, "customers/contact_form.html", context, status=status)


def _editable_contact(request, pk: int) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("customer"), pk=pk)
    if not may_edit_customer(request.user, contact.customer):
        raise PermissionDenied
    return contact


@roles_required(*KEEPS_CUSTOMERS)
def contact_edit(request, pk: int):
    contact = _editable_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(contact=contact, user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as refusal:
            _refusal_to_form(form, refusal)
            contact.refresh_from_db()
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
            return redirect(_customer_page(contact.customer))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "customer": contact.customer, "contact": contact}
    return render(request, "customers/contact_form.html", context, status=status)


@roles_required(*KEEPS_CUSTOMERS)
@require_POST
def contact_remove(request, pk: int):
    contact = _editable_contact(request, pk)
    customer = contact.customer
    contact_delete(contact=contact, user=request.user)
    messages.success(request, _("Contact %(name)s removed.") % {"name": contact.name})
    return redirect(_customer_page(customer))


@roles_required(*KEEPS_CUSTOMERS)
def birthday_list(request):
    """Contacts whose birthday comes in the next 30 days (sales: of its own customers),
    soonest first."""
    today = timezone.localdate()
    contacts = selectors.birthdays_coming(user=request.user, today=today)
    page = Paginator(contacts, BIRTHDAYS_PAGE).get_page(request.GET.get("page"))
    rows = [(c, selectors.next_birthday(c.birthday, today)) for c in page]
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        "days": selectors.BIRTHDAY_DAYS,
        "query": "",
    }
    return render(request, "customers/birthday_list.html", context)
