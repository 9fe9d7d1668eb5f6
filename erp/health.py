"""Is the product alive? Database and broker, for load balancers and docker healthchecks."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return False, f"{type(exc).__name__}: {exc}"


def check_broker() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if not url:
        return True, "none (tasks run eagerly)"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return True, "redis"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"


HEARTBEAT_KEY = "erp:beat:last"


def health() -> dict:
    db_ok, db_info = check_database()
    broker_ok, broker_info = check_broker()
    return {
        "status": "ok" if db_ok and broker_ok else "fail",
        "database": {"ok": db_ok, "info": db_info},
        "broker": {"ok": broker_ok, "info": broker_info},
        "beat_last_seen": cache.get(HEARTBEAT_KEY),
    }
