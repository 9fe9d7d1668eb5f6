"""Payments, their reversals and the allocation rows in the admin: read-only. A payment is
recorded, allocated and reversed on the payment pages (or the API), never edited here."""

from django.contrib import admin

from erp.admin import ReadOnlyAdmin
from orders.receivables.models import Allocation, Payment, PaymentReversal


class AllocationInline(admin.TabularInline):
    model = Allocation
    fk_name = "payment"
    extra = 0
    can_delete = False
    fields = ("invoice", "date", "amount", "reversal", "created_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "payment_no",
        "customer",
        "date",
        "amount",
        "allocated_amount",
        "status",
        "method",
        "reference",
    )
    list_filter = ("status", "date")
    search_fields = ("payment_no", "reference", "customer__code", "customer__name")
    list_select_related = ("customer",)
    date_hierarchy = "date"
    inlines = [AllocationInline]


@admin.register(PaymentReversal)
class PaymentReversalAdmin(ReadOnlyAdmin):
    list_display = ("reversal_no", "payment", "date", "reason", "created_by")
    search_fields = ("reversal_no", "payment__payment_no", "reason")
    list_select_related = ("payment", "created_by")
    date_hierarchy = "date"


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "invoice", "payment", "credit_note", "reversal", "date", "amount")
    list_filter = ("date",)
    search_fields = (
        "invoice__invoice_no",
        "payment__payment_no",
        "credit_note__credit_note_no",
        "invoice__customer__code",
    )
    list_select_related = ("invoice", "payment", "credit_note", "reversal")
    date_hierarchy = "date"
