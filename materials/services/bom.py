"""Writes of BOM lines: a component is never its own parent, directly or through other
items, and its quantity per parent is positive."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from materials.bom import describe_cycle, find_cycle
from materials.errors import BomCycle
from materials.models import BomLine, Item, Process
from materials.services.master import Errors, save_checked

# Key of the PostgreSQL advisory lock that serialises BOM writes: two lines written at the
# same instant (F <- S and S <- F) must not both pass the cycle check.
BOM_GRAPH_LOCK = 7_301_001


def lock_bom_graph() -> None:
    """Hold the BOM write lock until the current transaction ends. Every writer of BOM lines
    (this module, the workbook import) takes it before checking for cycles."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BOM_GRAPH_LOCK])


def bom_cycle_with(
    *, parent: Item, component: Item, replacing: BomLine | None = None
) -> list[str] | None:
    """The cycle the BOM would have with the line parent <- component (instead of
    `replacing`), as item codes starting and ending at `parent`; None if there is none."""
    children: dict[str, set[str]] = {}
    lines = BomLine.objects.all()
    if replacing is not None and replacing.pk is not None:
        lines = lines.exclude(pk=replacing.pk)
    for parent_code, component_code in lines.values_list("parent__code", "component__code"):
        children.setdefault(parent_code, set()).add(component_code)
    children.setdefault(parent.code, set()).add(component.code)
    cycle = find_cycle(children)
    if cycle is None:
        return None
    if parent.code in cycle:  # always, unless the BOM had a cycle already; start from parent
        start = cycle.index(parent.code)
        cycle = cycle[start:-1] + cycle[:start] + [parent.code]
    return cycle


def bom_line_rules(line: BomLine) -> Errors:
    errors: Errors = {}
    if line.quantity <= Decimal("0"):
        errors["quantity"] = ["The quantity per parent must be greater than 0."]
    if line.parent_id == line.component_id:
        errors["component"] = [f"{line.component.code} cannot be a component of itself."]
        return errors
    duplicate = (
        BomLine.objects.filter(parent_id=line.parent_id, component_id=line.component_id)
        .exclude(pk=line.pk)
        .exists()
    )
    if duplicate:
        errors["component"] = [
            f"{line.parent.code} already has a BOM line for {line.component.code}."
        ]
    if errors:
        return errors
    cycle = bom_cycle_with(parent=line.parent, component=line.component, replacing=line)
    if cycle:
        raise BomCycle(describe_cycle(cycle), field="component")
    return errors


@transaction.atomic
def bom_line_create(
    *,
    user: AbstractBaseUser | None,
    parent: Item,
    component: Item,
    quantity: Decimal,
    process: Process | None = None,
) -> BomLine:
    lock_bom_graph()
    return save_checked(
        instance=BomLine(),
        user=user,
        fields={"parent": parent, "component": component, "quantity": quantity, "process": process},
        rules=bom_line_rules,
    )


@transaction.atomic
def bom_line_update(*, bom_line: BomLine, user: AbstractBaseUser | None, **fields: Any) -> BomLine:
    lock_bom_graph()
    return save_checked(instance=bom_line, user=user, fields=fields, rules=bom_line_rules)


@transaction.atomic
def bom_line_delete(*, bom_line: BomLine, user: AbstractBaseUser | None) -> None:
    bom_line.delete()
