"""Checks of the master-data sheets that need more than one cell: codes that must exist,
BOM cycles, quantities finer than the item's unit."""

from django.utils.translation import gettext as _

from materials.bom import describe_cycle, find_cycle
from reports.workbook.context import ImportContext

MAX_CYCLES_REPORTED = 20


def check_master(ctx: ImportContext) -> None:
    for row in ctx.rows("Processes"):
        if row.v.get("work_center") is not None:
            ctx.check_ref("Processes", row, "work_center", "work_center")
    for row in ctx.rows("Items"):
        for column in ("safety_stock", "min_order_qty", "order_multiple"):
            ctx.check_item_quantity("Items", row, column, row.v.get("code"))
    _check_bom(ctx)
    for row in ctx.rows("Routing"):
        ctx.check_ref("Routing", row, "item", "item")
        ctx.check_ref("Routing", row, "process", "process")
        ctx.check_ref("Routing", row, "work_center", "work_center")
    _check_customers(ctx)
    for row in ctx.rows("Stock"):
        if ctx.check_ref("Stock", row, "item", "item"):
            ctx.check_item_quantity("Stock", row, "quantity", row.v["item"])
        ctx.check_ref("Stock", row, "warehouse", "warehouse")


def _check_customers(ctx: ImportContext) -> None:
    rows = ctx.rows("Customers")
    wanted = {r.v["salesperson"] for r in rows if r.v.get("salesperson")}
    if not wanted:
        return
    users = ctx.users(wanted)
    ctx.ids["user"] = users
    for row in rows:
        name = row.v.get("salesperson")
        if name and name not in users:
            ctx.error(
                "Customers",
                row,
                "salesperson",
                _("No user with the username '%(name)s'.") % {"name": name},
            )


def _check_bom(ctx: ImportContext) -> None:
    rows = ctx.rows("BOM")
    if not rows:
        return
    sheet_edges: dict[tuple[str, str], object] = {}
    for row in rows:
        parent_ok = ctx.check_ref("BOM", row, "parent", "item")
        component_ok = ctx.check_ref("BOM", row, "component", "item")
        if row.v.get("process") is not None:
            ctx.check_ref("BOM", row, "process", "process")
        if not (parent_ok and component_ok):
            continue
        parent, component = row.v["parent"], row.v["component"]
        if parent == component:
            ctx.error("BOM", row, "component", describe_cycle([parent, parent]))
            continue
        sheet_edges.setdefault((parent, component), row)
    if sheet_edges:
        _check_cycles(ctx, sheet_edges)


def _check_cycles(ctx: ImportContext, sheet_edges: dict) -> None:
    """The BOM after the import (the database's lines plus the sheet's) must have no cycle."""
    code_of = {r["id"]: code for code, r in ctx.db("item").items()}
    children: dict[str, list[str]] = {}
    for parent, component in sheet_edges:
        children.setdefault(parent, []).append(component)
    for parent_id, component_id in ctx.db_bom:
        edge = (code_of[parent_id], code_of[component_id])
        if edge not in sheet_edges:
            children.setdefault(edge[0], []).append(edge[1])
    for _attempt in range(MAX_CYCLES_REPORTED):
        cycle = find_cycle(children)
        if cycle is None:
            return
        edges = list(zip(cycle, cycle[1:], strict=False))
        blamed = next((e for e in edges if e in sheet_edges), edges[-1])
        row = sheet_edges.get(blamed)
        ctx.error("BOM", row, "component", describe_cycle(cycle))
        children[blamed[0]].remove(blamed[1])  # look for the next cycle without this one
