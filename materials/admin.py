"""Admin for items (with BOM lines and routings), the defect-control table, machines,
warehouses, suppliers, purchase orders and the stock ledger (read-only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from erp.admin import AuditedAdmin, HiddenCostsAdmin, ReadOnlyAdmin
from materials.bom import describe_cycle, find_cycle
from materials.models import (
    BomLine,
    Item,
    Location,
    Process,
    PurchaseOrder,
    PurchaseOrderLine,
    Routing,
    StockBalance,
    StockMove,
    Supplier,
    Warehouse,
    WorkCenter,
)
from materials.services.stock import ensure_locations


def bom_cycle_after(*, parent: Item, component_codes: set[str]) -> list[str] | None:
    """The cycle the BOM would have if `parent`'s components were exactly `component_codes`."""
    children: dict[str, set[str]] = {}
    for parent_code, component_code in BomLine.objects.exclude(parent=parent).values_list(
        "parent__code", "component__code"
    ):
        children.setdefault(parent_code, set()).add(component_code)
    children[parent.code] = set(component_codes)
    cycle = find_cycle(children)
    if cycle and parent.code in cycle[:-1]:
        # Say it from the item being edited: "MID -> TOP -> MID".
        start = cycle.index(parent.code)
        cycle = cycle[start:-1] + cycle[:start] + [parent.code]
    return cycle


class BomLineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return  # a new item is nobody's component yet, so it cannot close a cycle
        codes = {
            form.cleaned_data["component"].code
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("component")
        }
        cycle = bom_cycle_after(parent=self.instance, component_codes=codes)
        if cycle:
            raise ValidationError(describe_cycle(cycle))


class BomLineInline(admin.TabularInline):
    model = BomLine
    fk_name = "parent"
    formset = BomLineFormSet
    fields = ("component", "quantity", "process")
    autocomplete_fields = ("component", "process")
    extra = 0
    verbose_name = _("BOM line")
    verbose_name_plural = _("bill of materials (components per one unit)")


class RoutingInline(admin.TabularInline):
    model = Routing
    fields = ("seq", "process", "work_center", "minutes_per_unit", "setup_minutes")
    autocomplete_fields = ("process", "work_center")
    extra = 0


@admin.register(Item)
class ItemAdmin(AuditedAdmin, HiddenCostsAdmin, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "uom",
        "decimals",
        "standard_cost",
        "list_price",
        "lead_time_days",
        "safety_stock",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    cost_fields = ("standard_cost",)
    inlines = (BomLineInline, RoutingInline)
    list_per_page = 50


@admin.register(WorkCenter)
class WorkCenterAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "hours_per_day", "days_per_week")
    search_fields = ("code", "name")


@admin.register(Process)
class ProcessAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "defect_rate", "defect_percent", "work_center")
    list_editable = ("defect_rate",)
    list_filter = ("work_center",)
    search_fields = ("code", "name")
    list_select_related = ("work_center",)
    autocomplete_fields = ("work_center",)

    @admin.display(description=_("defect rate (%)"), ordering="defect_rate")
    def defect_percent(self, obj: Process) -> str:
        return f"{(obj.defect_rate * 100).normalize():f}%"


class LocationInline(admin.TabularInline):
    model = Location
    fields = ("kind",)
    readonly_fields = ("kind",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Warehouse)
class WarehouseAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    inlines = (LocationInline,)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ensure_locations(warehouse=obj)


@admin.register(Supplier)
class SupplierAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "phone")
    search_fields = ("code", "name", "phone")


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    fields = ("line", "item", "quantity", "due_date", "received_quantity", "unit_price")
    # Receipts are booked by the warehouse with their stock moves, never typed in here.
    readonly_fields = ("received_quantity",)
    autocomplete_fields = ("item",)
    extra = 0


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("po_no", "supplier", "order_date", "status")
    list_filter = ("status", "order_date")
    search_fields = ("po_no", "supplier__code", "supplier__name")
    list_select_related = ("supplier",)
    autocomplete_fields = ("supplier",)
    date_hierarchy = "order_date"
    inlines = (PurchaseOrderLineInline,)


class StockAdminBase(HiddenCostsAdmin, ReadOnlyAdmin):
    cost_fields = ("unit_cost",)
    list_filter = ("location__kind", "location__warehouse")
    search_fields = ("item__code", "item__name")
    list_per_page = 100

    @admin.display(description=_("warehouse"), ordering="location__warehouse__code")
    def warehouse(self, obj) -> str:
        return obj.location.warehouse.code

    @admin.display(description=_("location"), ordering="location__kind")
    def location_kind(self, obj) -> str:
        return obj.location.get_kind_display()


@admin.register(StockBalance)
class StockBalanceAdmin(StockAdminBase):
    list_display = ("item", "warehouse", "location_kind", "quantity", "unit_cost", "updated_at")
    list_select_related = ("item", "location__warehouse")


@admin.register(StockMove)
class StockMoveAdmin(StockAdminBase):
    """The ledger is append-only: nobody adds, changes or deletes a row here."""

    list_display = (
        "created_at",
        "item",
        "warehouse",
        "location_kind",
        "kind",
        "quantity",
        "balance_after",
        "unit_cost",
        "document_number",
        "reason",
        "created_by",
    )
    list_filter = ("kind", "location__kind", "location__warehouse")
    search_fields = ("item__code", "item__name", "document_number", "reason")
    list_select_related = ("item", "location__warehouse", "created_by")
    date_hierarchy = "created_at"
