"""Background jobs of the orders app: they call a service, nothing else."""

from celery import shared_task

from orders.services.material_status import (
    refresh_open_orders_material_status,
    refresh_orders_using_items,
)


@shared_task(acks_late=True, ignore_result=True, time_limit=600, soft_time_limit=540)
def refresh_material_status_of_items(item_ids: list[int]) -> int:
    """After a slip, a receipt or an order change: the material status of every order whose
    BOM uses one of the items (idempotent: it recomputes from what is committed)."""
    return refresh_orders_using_items(item_ids=item_ids)


@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300)
def nightly_material_status() -> int:
    """Every draft and open order's material status (for the nightly beat schedule)."""
    return refresh_open_orders_material_status()
