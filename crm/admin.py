"""Admin for customers with their contacts and phone numbers."""

from django.contrib import admin

from crm.models import Contact, Customer, CustomerPhone, FollowUpFrequency, Holiday, phone_digits
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
    inlines = (ContactInline, CustomerPhoneInline)
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # "138-0000 1234" finds the number stored as 13800001234.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = phone_digits(search_term)
        if len(digits) >= 3 and digits != search_term.strip():
            queryset |= self.model.objects.filter(phones__digits__contains=digits)
            may_have_duplicates = True
        return queryset, may_have_duplicates


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Days the salespeople greet their customers on (shown in their daily care list)."""

    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(FollowUpFrequency)
class FollowUpFrequencyAdmin(admin.ModelAdmin):
    """Days between follow-ups per tier (VIP, IMPORTANT, NORMAL, POTENTIAL)."""

    list_display = ("tier", "every_days")
