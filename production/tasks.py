from celery import shared_task

from production.mrp.services import run_mrp


@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300)
def nightly_mrp() -> int:
    """The nightly MRP run: the same service as `manage.py run_mrp` and the run-now button."""
    return run_mrp(trigger="nightly").pk
