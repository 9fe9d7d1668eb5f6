"""Admin for customer orders (客户订单) with their lines, and shipments (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from erp.admin import AuditedAdmin, HiddenCostsAdmin, ReadOnlyAdmin
from orders.models import SalesOrder, SalesOrderLine, Shipment


class SalesOrderLineInline(admin.TabularInline):
    model = SalesOrderLine
    fields = (
        "line",
        "item",
        "quantity",
        "unit_price",
        "due_date",
        "status",
        "shipped_quantity",
        "specification",
    )
    # Kept by the shipment service together with each shipment.
    readonly_fields = ("shipped_quantity",)
    autocomplete_fields = ("item",)
    extra = 0


@admin.register(SalesOrder)
class SalesOrderAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("order_no", "customer", "order_date", "status", "customer_po")
    list_filter = ("status", "order_date")
    search_fields = ("order_no", "customer_po", "customer__code", "customer__name")
    list_select_related = ("customer",)
    autocomplete_fields = ("customer",)
    date_hierarchy = "order_date"
    inlines = (SalesOrderLineInline,)
    list_per_page = 50


@admin.register(Shipment)
class ShipmentAdmin(HiddenCostsAdmin, ReadOnlyAdmin):
    """Shipments move stock and fix the profit: the warehouse books them, nobody edits
    them here."""

    list_display = ("number", "order_no", "line_no", "item", "ship_date", "quantity", "unit_cost")
    list_filter = ("ship_date",)
    search_fields = ("number", "order_line__order__order_no", "order_line__item__code")
    list_select_related = ("order_line__order", "order_line__item")
    date_hierarchy = "ship_date"
    cost_fields = ("unit_cost",)

    @admin.display(description=_("order no."), ordering="order_line__order__order_no")
    def order_no(self, obj: Shipment) -> str:
        return obj.order_line.order.order_no

    @admin.display(description=_("line"), ordering="order_line__line")
    def line_no(self, obj: Shipment) -> int:
        return obj.order_line.line

    @admin.display(description=_("item"), ordering="order_line__item__code")
    def item(self, obj: Shipment) -> str:
        return obj.order_line.item.code


# Receivables documents, read-only (registered with this app's admin).
import orders.receivables.admin_payments  # noqa: E402, F401
from orders.receivables import admin_invoices  # noqa: E402, F401
