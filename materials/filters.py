"""Query-string filters of the master-data lists (`?kind=raw&is_active=true`). Foreign
keys filter by code; an unknown code matches nothing."""

import django_filters as filters

from materials.models import BomLine, Item, Process, Routing, Warehouse


class ItemFilter(filters.FilterSet):
    code = filters.CharFilter(help_text="Exact item code.")
    code_prefix = filters.CharFilter(
        field_name="code", lookup_expr="startswith", help_text="Codes starting with this."
    )

    class Meta:
        model = Item
        fields = ["code", "code_prefix", "kind", "is_active"]


class BomLineFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__code", help_text="Code of the parent item.")
    component = filters.CharFilter(
        field_name="component__code", help_text="Code of the component (where used)."
    )
    process = filters.CharFilter(field_name="process__code", help_text="Code of the process.")

    class Meta:
        model = BomLine
        fields = ["parent", "component", "process"]


class ProcessFilter(filters.FilterSet):
    work_center = filters.CharFilter(
        field_name="work_center__code", help_text="Code of the machine."
    )

    class Meta:
        model = Process
        fields = ["work_center"]


class RoutingFilter(filters.FilterSet):
    item = filters.CharFilter(field_name="item__code", help_text="Code of the item.")
    process = filters.CharFilter(field_name="process__code", help_text="Code of the process.")
    work_center = filters.CharFilter(
        field_name="work_center__code", help_text="Code of the machine."
    )

    class Meta:
        model = Routing
        fields = ["item", "process", "work_center"]


class WarehouseFilter(filters.FilterSet):
    class Meta:
        model = Warehouse
        fields = ["is_active"]
