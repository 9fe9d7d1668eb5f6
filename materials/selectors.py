"""Reads of the master data for the API: each list is one query (joins, no N+1), whatever
the number of rows."""

from django.db.models import QuerySet

from materials.models import BomLine, Item, Process, Routing, Supplier, Warehouse, WorkCenter


def item_list() -> QuerySet[Item]:
    return Item.objects.select_related("updated_by")


def bom_line_list() -> QuerySet[BomLine]:
    return BomLine.objects.select_related("parent", "component", "process", "updated_by").order_by(
        "parent__code", "component__code"
    )


def process_list() -> QuerySet[Process]:
    return Process.objects.select_related("work_center", "updated_by")


def work_center_list() -> QuerySet[WorkCenter]:
    return WorkCenter.objects.select_related("updated_by")


def routing_list() -> QuerySet[Routing]:
    return Routing.objects.select_related("item", "process", "work_center", "updated_by").order_by(
        "item__code", "seq"
    )


def supplier_list() -> QuerySet[Supplier]:
    return Supplier.objects.select_related("updated_by")


def warehouse_list() -> QuerySet[Warehouse]:
    return Warehouse.objects.select_related("updated_by").prefetch_related("locations")
