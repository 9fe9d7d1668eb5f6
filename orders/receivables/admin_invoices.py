"""Invoices and credit notes in the admin: read-only. Documents are never edited here; a
wrong invoice is cancelled or corrected by a credit note on the invoice pages."""

from django.contrib import admin

from erp.admin import ReadOnlyAdmin
from orders.receivables.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ("shipment", "quantity", "unit_price", "net_amount")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = (
        "invoice_no",
        "customer",
        "invoice_date",
        "due_date",
        "gross_amount",
        "allocated_amount",
        "status",
        "vat_invoice_no",
    )
    list_filter = ("status", "opening", "invoice_date")
    search_fields = ("invoice_no", "vat_invoice_no", "customer__code", "customer__name")
    list_select_related = ("customer",)
    date_hierarchy = "invoice_date"
    inlines = (InvoiceLineInline,)
    list_per_page = 50


class CreditNoteLineInline(ReadOnlyInline):
    model = CreditNoteLine
    fields = ("invoice_line", "description", "quantity", "unit_price", "net_amount")
    readonly_fields = fields


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("credit_note_no", "customer", "invoice", "date", "reason", "gross_amount")
    list_filter = ("reason", "date")
    search_fields = ("credit_note_no", "invoice__invoice_no", "customer__code", "customer__name")
    list_select_related = ("customer", "invoice")
    date_hierarchy = "date"
    inlines = (CreditNoteLineInline,)
    list_per_page = 50
