"""Admin for work orders."""

from django.contrib import admin

from erp.admin import AuditedAdmin
from production.models import WorkOrder


@admin.register(WorkOrder)
class WorkOrderAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = (
        "wo_no",
        "item",
        "quantity",
        "completed_quantity",
        "due_date",
        "status",
        "sales_order",
    )
    list_filter = ("status", "due_date")
    search_fields = ("wo_no", "item__code", "item__name", "sales_order__order_no")
    list_select_related = ("item", "sales_order")
    autocomplete_fields = ("item", "sales_order")
    # Finished goods are booked into stock by the warehouse, which keeps this figure.
    readonly_fields = ("completed_quantity",)
    date_hierarchy = "due_date"
    list_per_page = 50
