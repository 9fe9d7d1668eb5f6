"""The order's material status (covered / partly / short), stored on SalesOrder so the order
list shows it without recomputing. Called after every slip, receipt and order change.

One order's picture depends on the others: what they still have to take is claimed from
the same stock. So a refresh stores the given orders at once (in the caller's transaction)
and, once that transaction commits, every other order sharing one of their items."""

from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from erp.services import notify
from orders.models import MaterialStatus, SalesOrder
from orders.selectors.material import (
    TAKING_STATES,
    material_by_order,
    order_status,
    orders_using_items,
)


@transaction.atomic
def _store(order_ids: set[int]) -> set[int]:
    """Compute and store the status of these orders; return the items involved.

    The order rows are locked first, in primary-key order, so two refreshes never deadlock
    and the later one computes from what the earlier one saw committed."""
    if not order_ids:
        return set()
    orders = list(
        SalesOrder.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer__salesperson")
        .filter(pk__in=order_ids)
        .order_by("pk")
    )
    rows = material_by_order(orders=orders)
    by_status: dict[str, list[int]] = defaultdict(list)
    changed = []
    for order in orders:
        status = order_status(rows[order.pk])
        by_status[status].append(order.pk)
        if status != order.material_status:
            changed.append((order, order.material_status, status))
    now = timezone.now()
    for status, ids in by_status.items():  # one UPDATE per status, not one per order
        SalesOrder.objects.filter(pk__in=ids).update(
            material_status=status, material_checked_at=now
        )
    _tell_salespeople(changed)
    return {row.item.pk for order_rows in rows.values() for row in order_rows}


def _tell_salespeople(changed: list[tuple[SalesOrder, str, str]]) -> None:
    """Sales follow-up hears at once (DOMAIN.md 525) when an order's material status
    changes; a first check that finds it covered is no news."""
    for order, before, after in changed:
        person = order.customer.salesperson
        if person is None or not person.is_active:
            continue
        if before == MaterialStatus.UNKNOWN and after == MaterialStatus.COVERED:
            continue
        notify(
            users=[person],
            message=f"Order {order.order_no}: material is now {MaterialStatus(after).label} "
            f"(was {MaterialStatus(before).label}).",
            url=reverse("orders:order-material", args=[order.order_no]),
        )


def refresh_material_status(*, order_ids: Iterable[int], related: bool = True) -> None:
    """Recompute and store SalesOrder.material_status (+ material_checked_at) of these orders
    now, in the caller's transaction; with `related`, once it commits, also of every order
    still taking material that shares an item with them (what they claim from stock has
    changed): a background task when a Celery broker is configured, else right away."""
    item_ids = _store(set(order_ids))
    if related and item_ids:
        # robust: the caller's work is committed; a failure here is logged, not raised.
        transaction.on_commit(partial(_refresh_later, item_ids), robust=True)


def _refresh_later(item_ids: Iterable[int]) -> None:
    from orders.tasks import refresh_material_status_of_items

    refresh_material_status_of_items.delay(sorted(item_ids))


def refresh_orders_using_items(*, item_ids: Iterable[int]) -> int:
    """Refresh every order still taking material whose BOM uses one of `item_ids` (after a
    goods receipt, a stock count ...). Returns how many orders were refreshed."""
    order_ids = set(orders_using_items(item_ids=item_ids))
    _store(order_ids)
    return len(order_ids)


def refresh_open_orders_material_status() -> int:
    """Refresh every draft and open order (nightly, or after a bulk import)."""
    order_ids = set(
        SalesOrder.objects.filter(status__in=TAKING_STATES).values_list("pk", flat=True)
    )
    _store(order_ids)
    return len(order_ids)


def refresh_after_stock_received(sender, *, item_ids: Iterable[int], **kwargs) -> None:
    """Receiver of materials.signals.stock_received (connected in OrdersConfig.ready), sent
    after a goods receipt commits: the orders using the items may be covered now."""
    _refresh_later(item_ids)
