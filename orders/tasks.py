"""Background jobs of the orders app: they call a service, nothing else."""

from celery import shared_task

from orders.availability.store import refresh_material_availability


@shared_task(acks_late=True, ignore_result=True, time_limit=900, soft_time_limit=840)
def refresh_material_availability_task() -> int:
    """After slips, receipts, shipments or order changes (queued once, idempotent: it
    recomputes from what is committed and does nothing if nothing changed)."""
    return refresh_material_availability().lines


@shared_task(acks_late=True, ignore_result=True, time_limit=900, soft_time_limit=840)
def refresh_material_status_of_items(item_ids: list[int] | None = None) -> int:
    """Kept for messages queued by an earlier version: the same refresh."""
    return refresh_material_availability().lines


@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300)
def nightly_material_status() -> int:
    """Every draft and open order's material (for the nightly beat schedule)."""
    return refresh_material_availability().lines
