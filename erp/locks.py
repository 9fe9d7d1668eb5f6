"""One at a time: a job that must never run twice at once (MRP, rankings)."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection

from erp.errors import ConflictError


@contextmanager
def exclusive_job(name: str, *, busy_message: str) -> Iterator[None]:
    """Hold a lock named `name` for the duration, or refuse with ConflictError at once.

    PostgreSQL: a session advisory lock (released even if the process dies). Otherwise (the
    embedded SQLite of a trial install): a cache entry.
    """
    key = zlib.crc32(name.encode()) & 0x7FFFFFFF
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (acquired,) = cursor.fetchone()
        if not acquired:
            raise ConflictError(busy_message)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    else:
        cache_key = f"erp:lock:{name}"
        if not cache.add(cache_key, "1", timeout=6 * 3600):
            raise ConflictError(busy_message)
        try:
            yield
        finally:
            cache.delete(cache_key)
