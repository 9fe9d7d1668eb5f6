"""Reads of a work order's material (工单领料): per item, the requirement (the work order's
quantity through one BOM level with allowances, see orders.services.work_order_slips) and
what was picked, returned and replenished against it. No writes."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from erp.models import ZERO
from materials.models import Item
from materials.requirements import direct_requirements
from orders.models import WorkOrderMaterial
from orders.selectors_slips import usable_stock
from orders.slip_limits import pick_left, replenish_left
from production.models import WorkOrder

WORK_ORDER_SEARCH_LIMIT = 10
# A finished or cancelled work order takes nothing more; what it still holds may come back.
TAKES_NOTHING = {WorkOrder.Status.COMPLETED, WorkOrder.Status.CANCELLED}


@dataclass
class WorkOrderMaterialRow:
    """One component of one work order: its pick limit and what happened against it."""

    work_order: WorkOrder
    item: Item
    requirement: Decimal
    picked: Decimal = ZERO
    returned_surplus: Decimal = ZERO
    returned_defective: Decimal = ZERO
    replenished: Decimal = ZERO
    usable: Decimal | None = None  # usable stock in the warehouse asked for, if any
    order_line = None  # the slip page's rows of a customer order have one; these do not

    @property
    def key(self) -> str:
        return f"wo-{self.item.pk}"

    @property
    def held(self) -> Decimal:
        return self.picked + self.replenished - self.returned_surplus - self.returned_defective

    @property
    def pick_remaining(self) -> Decimal:
        return max(pick_left(self, self.requirement), ZERO)

    @property
    def replenish_remaining(self) -> Decimal:
        return max(replenish_left(self), ZERO)

    @property
    def takes_material(self) -> bool:
        """The work order may still be issued to (not completed or cancelled)."""
        return self.work_order.status not in TAKES_NOTHING


def work_order_material(
    *, work_order: WorkOrder, warehouse_code: str | None = None
) -> list[WorkOrderMaterialRow]:
    """Every direct component of the work order's item (and any item still issued to the
    work order though no longer in its BOM), by item code: requirement, picked,
    returned_surplus, returned_defective, replenished, pick_remaining (and held,
    replenish_remaining). With `warehouse_code`, also the usable stock there.
    Four queries (five with a warehouse), whatever the size of the BOM."""
    key = work_order.pk
    requirement = direct_requirements([(key, work_order.item_id, work_order.quantity)])[key]
    counters = {c.item_id: c for c in WorkOrderMaterial.objects.filter(work_order_id=key)}
    item_ids = set(requirement) | set(counters)
    items = Item.objects.filter(pk__in=item_ids).order_by("code")
    usable = (
        usable_stock(item_ids=item_ids, warehouse_code=warehouse_code) if warehouse_code else {}
    )
    rows = []
    for item in items:
        row = WorkOrderMaterialRow(
            work_order=work_order,
            item=item,
            requirement=requirement.get(item.pk, ZERO),
            usable=usable.get(item.pk, ZERO) if warehouse_code else None,
        )
        counter = counters.get(item.pk)
        if counter is not None:
            row.picked = counter.picked
            row.returned_surplus = counter.returned_surplus
            row.returned_defective = counter.returned_defective
            row.replenished = counter.replenished
        rows.append(row)
    return rows


def work_order_by_number(*, wo_no: str) -> WorkOrder | None:
    return (
        WorkOrder.objects.select_related("item", "sales_order__customer")
        .filter(wo_no=wo_no)
        .first()
    )


def work_order_search(*, text: str, limit: int = WORK_ORDER_SEARCH_LIMIT) -> list[WorkOrder]:
    """Work orders whose number or item (code or name) contains `text`, latest due first."""
    text = text.replace("\x00", "").strip()
    if not text:
        return []
    return list(
        WorkOrder.objects.select_related("item")
        .filter(
            Q(wo_no__icontains=text) | Q(item__code__icontains=text) | Q(item__name__icontains=text)
        )
        .order_by("-due_date", "wo_no")[:limit]
    )
