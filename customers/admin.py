"""Admin for customers with their contacts and phone numbers (those, the notes and the
search by number only for the roles customers.access.sees_customer_contacts allows)."""

from django.contrib import admin

from customers.access import CREDIT_TERMS_FIELDS, may_set_credit_terms, sees_customer_contacts
from customers.models import Contact, Customer, CustomerPhone, phone_digits
from erp.admin import AuditedAdmin


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "title", "email", "birthday", "notes")
    extra = 0


class CustomerPhoneInline(admin.TabularInline):
    model = CustomerPhone
    fields = ("number", "contact", "position")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        contact_field = formset.form.base_fields.get("contact")
        if contact_field is not None:
            # Only this customer's own contacts may own one of its numbers.
            contact_field.queryset = (
                Contact.objects.filter(customer=obj) if obj else Contact.objects.none()
            )
        return formset


@admin.register(Customer)
class CustomerAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "region", "industry", "salesperson", "key_account", "is_active")
    list_filter = ("key_account", "is_active", "region", "salesperson")
    search_fields = ("code", "name", "phones__digits")
    list_select_related = ("salesperson",)
    autocomplete_fields = ("salesperson",)
    # Contacts and numbers show only to users with the view permission on them (erp.roles
    # grants it to the roles customers.access.sees_customer_contacts allows); notes and the search
    # by phone number follow crm.access too.
    inlines = (ContactInline, CustomerPhoneInline)
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_set_credit_terms(request.user):  # credit terms: a manager's decision
            fields += [f for f in CREDIT_TERMS_FIELDS if f not in fields]
        return fields

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or ())
        if not sees_customer_contacts(request.user):
            exclude.append("notes")
        return exclude or None

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if sees_customer_contacts(request.user):
            return fields
        return tuple(f for f in fields if not f.startswith("phones__"))

    def get_search_results(self, request, queryset, search_term):
        # "138-0000 1234" finds the number stored as 13800001234.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not sees_customer_contacts(request.user):
            return queryset, may_have_duplicates
        digits = phone_digits(search_term)
        if len(digits) >= 3 and digits != search_term.strip():
            queryset |= self.model.objects.filter(phones__digits__contains=digits)
            may_have_duplicates = True
        return queryset, may_have_duplicates
