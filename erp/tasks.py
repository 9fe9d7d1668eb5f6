from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from erp.health import HEARTBEAT_KEY


@shared_task(ignore_result=True)
def record_heartbeat() -> str:
    """Celery beat and a worker are alive: /healthz shows when this last ran."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
