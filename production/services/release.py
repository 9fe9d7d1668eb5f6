"""Releasing MRP planned production orders as work orders (投产).

Production ticks planned production orders (of semi or finished items) of the latest MRP run
and releases them: each becomes a released work order with the planned quantity and due
date, keeping its pegging (the customer orders and work orders it serves, through every BOM
level). It serves one customer order only: that is its `sales_order`. A planned order is
released once; all the ticked ones are released, or none."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.models import DocumentSequence
from orders.models import SalesOrder
from production.models import PlannedOrder, WorkOrder
from production.mrp.selectors import attach_pegging, latest_run
from production.services.common import require
from production.services.work_orders import WO_PREFIX

MAX_RELEASE = 500


class PlannedOrderAlreadyReleased(ConflictError):
    """A planned order became a work order before."""


def _document_numbers(*, prefix: str, count: int) -> list[str]:
    """`count` consecutive document numbers in one locked step (erp.services gives one)."""
    year = timezone.localdate().year
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(prefix=prefix, year=year)], ignore_conflicts=True
    )
    seq = DocumentSequence.objects.select_for_update().get(prefix=prefix, year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return [f"{prefix}-{year}-{n:06d}" for n in range(first, first + count)]


def _ids(planned_order_ids: Iterable) -> list[int]:
    try:
        ids = sorted({int(v) for v in planned_order_ids})
    except (TypeError, ValueError):
        raise DomainError(
            "Planned orders are given by their ids (numbers).", field="planned_orders"
        ) from None
    if not ids:
        raise DomainError("Tick the planned production orders to release.", field="planned_orders")
    if len(ids) > MAX_RELEASE:
        raise DomainError(f"At most {MAX_RELEASE} planned orders at once.", field="planned_orders")
    return ids


@transaction.atomic
def release_planned_orders(*, user, planned_order_ids: Iterable) -> list[WorkOrder]:
    """Work orders from planned production orders of the latest MRP run, in the order of
    their due dates. Refused (nothing written) if any is unknown, not a production order,
    of an older run or already released."""
    require(user, "production.add_workorder", "Only production may release work orders.")
    ids = _ids(planned_order_ids)
    # The planned orders are locked in id order: two people releasing the same one at once
    # wait for each other, and the second sees the first's work order.
    planned = {
        p.pk: p
        for p in PlannedOrder.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("item")
        .order_by("pk")
    }
    missing = [str(pk) for pk in ids if pk not in planned]
    if missing:
        raise DomainError(
            f"No planned order {', '.join(missing)} (results of an old run are removed).",
            field="planned_orders",
        )
    run = latest_run()
    for p in planned.values():
        what = f"Planned order {p.pk} ({p.item.code})"
        if p.kind != PlannedOrder.Kind.PRODUCTION:
            raise DomainError(
                f"{what} is a purchase; only planned production becomes a work order.",
                field="planned_orders",
            )
        if run is None or p.run_id != run.pk:
            raise DomainError(
                f"{what} is from an older MRP run; release from the latest results.",
                field="planned_orders",
            )
    released = list(
        WorkOrder.objects.filter(mrp_planned_order__in=ids).order_by("mrp_planned_order")
    )
    if released:
        raise PlannedOrderAlreadyReleased(
            "Already released: "
            + ", ".join(f"planned order {wo.mrp_planned_order} as {wo.wo_no}" for wo in released)
            + "."
        )

    rows = sorted(planned.values(), key=lambda p: (p.due_date, p.item.code, p.pk))
    attach_pegging(rows)
    customer_orders = _customer_orders({n for p in rows for n in p.pegging})
    numbers = _document_numbers(prefix=WO_PREFIX, count=len(rows))
    work_orders = []
    for number, p in zip(numbers, rows, strict=True):
        served = [customer_orders[n] for n in p.pegging if n in customer_orders]
        wo = WorkOrder(
            wo_no=number,
            item=p.item,
            quantity=p.quantity,
            due_date=p.due_date,
            status=WorkOrder.Status.RELEASED,
            sales_order=served[0] if len(served) == 1 else None,
            mrp_planned_order=p.pk,
            pegging=list(p.pegging),
        )
        wo.stamp(user)
        work_orders.append(wo)
    return WorkOrder.objects.bulk_create(work_orders)


def _customer_orders(numbers: set[str]) -> dict:
    """Which of these order numbers are customer orders (pegging also names work orders)."""
    if not numbers:
        return {}
    return {so.order_no: so for so in SalesOrder.objects.filter(order_no__in=numbers)}
