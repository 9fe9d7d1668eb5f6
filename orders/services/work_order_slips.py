"""Warehouse slips against a work order (工单) instead of a customer order: pick, return and
replenish with the limits of CONTRACT.md section 3, per (work order, item).

A work order's requirement of a component is the work order's quantity through ONE level of
its item's BOM, allowances included (`materials.requirements.direct_requirements`): the shop
floor picks for a work order only what goes straight into its item, because every
sub-assembly is made (and picked for) by a work order of its own.

Locks in the house order: the work order, its issue counters (primary-key order), the number
sequence, stock (inside `apply_stock_changes`)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from erp.errors import DomainError
from materials.models import Item, Location, Warehouse
from materials.requirements import direct_requirements
from materials.services.stock import StockChange
from orders.errors import WorkOrderStateError
from orders.models import MaterialSlip, MaterialSlipLine, SlipKind, WorkOrderMaterial
from orders.selectors.work_order_material import TAKES_NOTHING
from orders.services.slip_rows import RowRefusals, check_stock
from orders.services.slips import COUNTER_FIELDS, apply_slip_line, clean_slip_line, write_slip
from production.models import WorkOrder

# A finished or cancelled work order takes nothing more; what it still holds may come back.
NO_ISSUE_STATES = TAKES_NOTHING


@dataclass(frozen=True)
class WorkOrderSlipLineInput:
    item: str
    quantity: Decimal
    reason: str = ""


@transaction.atomic
def issue_work_order_slip(
    *,
    kind: str,
    wo_no: str,
    lines: Sequence[WorkOrderSlipLineInput],
    user,
    warehouse_code: str = "MAIN",
    note: str = "",
    dry_run: bool = False,
) -> MaterialSlip | None:
    """Write a pick, return or replenish slip for a work order whole, or refuse it whole:
    400 for bad input, 409 for a closed work order, a limit or missing stock; every
    failing row is named (orders.services.slip_rows). `dry_run` checks only: it refuses as
    the real slip would, or writes nothing and answers None."""
    if kind not in SlipKind.values:
        raise DomainError("Kind must be pick, return or replenish.", field="kind")
    if not lines:
        raise DomainError("A slip needs at least one line.", field="lines")
    # Locking the work order serialises its slips with its re-planning and completion.
    work_order = (
        WorkOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item")
        .filter(wo_no=wo_no)
        .first()
    )
    if work_order is None:
        raise DomainError(f"There is no work order {wo_no}.", field="work_order")
    if kind != SlipKind.RETURN and work_order.status in NO_ISSUE_STATES:
        raise WorkOrderStateError(
            f"Work order {wo_no} is {work_order.get_status_display()}: nothing can be issued "
            "against it; only returns."
        )
    warehouse = Warehouse.objects.filter(code=warehouse_code, is_active=True).first()
    if warehouse is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")

    items = {i.code: i for i in Item.objects.filter(code__in={ln.item for ln in lines})}
    refusals = RowRefusals()
    wanted: dict[tuple[Item, str], Decimal] = defaultdict(Decimal)
    rows_of: dict[tuple[Item, str], list[int]] = defaultdict(list)
    requirement = work_order_requirement(work_order=work_order)
    for n, entry in enumerate(lines, start=1):
        with refusals.row([n], item=str(entry.item)) as check:
            item, qty, reason = clean_slip_line(n, kind, entry, items)
            if item.pk not in requirement:
                raise DomainError(
                    f"{item.code} is not a direct component of {work_order.item.code} "
                    f"(work order {wo_no}); a sub-assembly's material is picked for its own "
                    "work order.",
                    field="lines",
                )
        if not check.refused:
            wanted[(item, reason)] += qty
            rows_of[(item, reason)].append(n)

    counters = _lock_counters(work_order.pk, {item.pk for item, _r in wanted})
    locations = {loc.kind: loc for loc in Location.objects.filter(warehouse=warehouse)}
    changes: list[StockChange] = []
    change_rows = []
    for (item, reason), qty in list(wanted.items()):
        with refusals.row(rows_of[(item, reason)], item=item.code) as check:
            change = apply_slip_line(
                kind=kind,
                counter=counters[item.pk],
                quantity=qty,
                limit=requirement[item.pk],
                item=item,
                reason=reason,
                where=f"work order {wo_no}",
                holder="the work order",
                locations=locations,
            )
        if check.refused:
            del wanted[(item, reason)]
        else:
            changes.append(change)
            change_rows.append((rows_of[(item, reason)], item.code, None))
    check_stock(
        refusals=refusals,
        changes=changes,
        rows=change_rows,
        items={item.pk: item for item, _r in wanted},
        warehouse_code=warehouse.code,
    )
    refusals.raise_if_any()
    if dry_run:
        transaction.set_rollback(True)
        return None
    WorkOrderMaterial.objects.bulk_update(counters.values(), COUNTER_FIELDS)

    slip = MaterialSlip(kind=kind, work_order=work_order, warehouse=warehouse, note=note[:200])
    slip_lines = [
        MaterialSlipLine(item=item, quantity=qty, reason=reason)
        for (item, reason), qty in wanted.items()
    ]
    return write_slip(slip=slip, lines=slip_lines, changes=changes, user=user)


def work_order_requirement(*, work_order: WorkOrder) -> dict[int, Decimal]:
    """{component id: requirement} of a work order: its quantity through one BOM level with
    allowances, rounded up to each component's decimals (CONTRACT.md section 3)."""
    key = work_order.pk
    return direct_requirements([(key, work_order.item_id, work_order.quantity)])[key]


def _lock_counters(work_order_id: int, item_ids: set[int]) -> dict[int, WorkOrderMaterial]:
    WorkOrderMaterial.objects.bulk_create(
        [WorkOrderMaterial(work_order_id=work_order_id, item_id=i) for i in sorted(item_ids)],
        ignore_conflicts=True,
    )
    rows = (
        WorkOrderMaterial.objects.select_for_update(no_key=True)
        .filter(work_order_id=work_order_id, item_id__in=item_ids)
        .order_by("pk")
    )
    return {r.item_id: r for r in rows}
