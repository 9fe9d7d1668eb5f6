"""`Idempotency-Key`: a POST retried with the same key is applied once; the retry gets the
first answer again. A key reused with a different body is a 409.

How parallel retries stay safe (10 clients sending the same key at the same instant):

1. The key is claimed in its own short transaction: a row marked "in progress"
   (`status_code` 0) is inserted unless one exists. Committed at once, so every parallel
   retry finds the row.
2. The request then runs in one transaction that first locks that row (`FOR UPDATE
   NOWAIT`) and, at its end, writes the answer into it: the change and its answer commit
   together or not at all. A retry that cannot take the lock answers 409 "still running"
   at once; one that takes it finds either the first answer (and repeats it) or a row
   still "in progress", which means the request that claimed it died or was refused
   without an answer to keep: it runs the request itself.

On SQLite `FOR UPDATE` does nothing, but every transaction there begins IMMEDIATE (see
erp/settings.py), so a retry waits for the first one and then repeats its answer.
"""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, OperationalError, transaction
from rest_framework import status
from rest_framework.response import Response

from erp.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
IN_PROGRESS = 0  # status_code of a claimed key whose request has no answer yet
REUSED = "This Idempotency-Key was already used for another request."
STILL_RUNNING = (
    "The first request with this Idempotency-Key is still running; retry in a moment to get "
    "its answer."
)


def _hash(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    return hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()


def _claim(request, key: str, digest: str) -> None:
    """Insert the key as "in progress" unless it exists (committed on its own)."""
    try:
        with transaction.atomic():
            IdempotencyKey.objects.get_or_create(
                user=request.user,
                key=key,
                defaults={
                    "method": request.method,
                    "path": request.path[:300],
                    "request_hash": digest,
                    "status_code": IN_PROGRESS,
                    "response": {},
                },
            )
    except IntegrityError:
        pass  # inserted by a parallel retry meanwhile: that is all we need


def _lock(request, key: str) -> IdempotencyKey | None | bool:
    """The key's row, locked until the end of the surrounding transaction; None when it is
    gone (the first request was refused and gave the key up); False when another request
    holds it."""
    try:
        with transaction.atomic():
            return (
                IdempotencyKey.objects.select_for_update(nowait=True)
                .filter(user=request.user, key=key)
                .first()
            )
    except OperationalError:
        return False


def _conflict(detail: str, **headers) -> Response:
    return Response({"detail": detail}, status=status.HTTP_409_CONFLICT, headers=headers)


def idempotent(view_method):
    """Decorate a DRF view's `post`/`create`. Only successful (2xx) answers are kept: a
    refused request may be corrected and retried with the same key."""

    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200:
            return Response(
                {"detail": "Idempotency-Key is longer than 200 characters."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        digest = _hash(request)
        # Twice at most: a key given up by a refused first request between our claim and
        # our lock is claimed again.
        for _attempt in range(2):
            _claim(request, key, digest)
            with transaction.atomic():
                seen = _lock(request, key)
                if seen is None:
                    continue
                if seen is False:
                    other = (
                        IdempotencyKey.objects.filter(user=request.user, key=key)
                        .values_list("request_hash", flat=True)
                        .first()
                    )
                    if other is not None and other != digest:
                        return _conflict(REUSED)
                    return _conflict(STILL_RUNNING, **{"Retry-After": "1"})
                if seen.status_code != IN_PROGRESS:
                    if seen.request_hash != digest:
                        return _conflict(REUSED)
                    return Response(seen.response, status=seen.status_code)
                # In progress and not locked by anyone: ours, or left by a request that
                # applied nothing. Run it; the answer commits with the change.
                response = view_method(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    seen.method = request.method
                    seen.path = request.path[:300]
                    seen.request_hash = digest
                    seen.status_code = response.status_code
                    seen.response = json.loads(json.dumps(response.data, default=str))
                    seen.save()
                else:
                    seen.delete()
                return response
        return _conflict(STILL_RUNNING, **{"Retry-After": "1"})

    return wrapper
