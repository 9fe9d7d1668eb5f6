"""Shortfalls into a purchase requisition (物料申购单), through the purchasing service."""

from collections.abc import Sequence

from django.db import transaction

from erp.errors import ConflictError, DomainError
from materials.models import PurchaseRequisition
from materials.services.purchasing import RequisitionLineInput, requisition_create
from production.models import PlannedOrder
from production.mrp.selectors import attach_pegging, customer_orders_of, latest_run

SOURCE_LIMIT = 500  # PurchaseRequisition.source


@transaction.atomic
def requisition_from_shortfalls(
    *, user, planned_order_ids: Sequence[int], note: str = ""
) -> PurchaseRequisition:
    """One requisition with a line per chosen planned purchase of the latest run: its
    quantity, needed by its due date, with its suggested supplier. The requisition names the
    customer orders behind the shortfalls."""
    ids = list(dict.fromkeys(planned_order_ids))
    if not ids:
        raise DomainError("Choose at least one shortfall.", field="planned_orders")
    run = latest_run()
    chosen = {
        p.pk: p
        for p in PlannedOrder.objects.filter(pk__in=ids).select_related("item", "supplier", "run")
    }
    missing = [str(pk) for pk in ids if pk not in chosen]
    if missing:
        raise DomainError(
            f"There is no planned order {', '.join(missing)}; reload the page.",
            field="planned_orders",
        )
    if run is None or any(p.run_id != run.pk for p in chosen.values()):
        raise ConflictError(
            "These shortfalls are from an older MRP run; reload the page and choose again."
        )
    made = [p for p in chosen.values() if p.kind != PlannedOrder.Kind.PURCHASE]
    if made:
        raise DomainError(
            f"{made[0].item.code} is made in-house (a planned production order), not bought.",
            field="planned_orders",
        )
    rows = [chosen[pk] for pk in ids]
    attach_pegging(rows)
    orders = customer_orders_of(numbers={n for p in rows for n in p.pegging})
    lines = [RequisitionLineInput(p.item, p.quantity, p.due_date, p.supplier) for p in rows]
    return requisition_create(user=user, lines=lines, source=_source(run, orders), note=note)


def _source(run, orders: list[str]) -> str:
    text = f"MRP {run.as_of:%Y-%m-%d}"
    if not orders:
        return text
    text += ": "
    for n, number in enumerate(orders):
        rest = len(orders) - n
        more = f" (+{rest} more)" if rest > 1 else ""
        piece = number if n == 0 else f", {number}"
        if len(text) + len(piece) + len(f" (+{rest - 1} more)") > SOURCE_LIMIT:
            return text + more
        text += piece
    return text
