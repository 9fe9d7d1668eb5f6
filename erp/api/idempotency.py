"""`Idempotency-Key`: a POST retried with the same key is applied once; the retry gets the
first answer again. A key reused with a different body is a 409."""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.response import Response

from erp.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _hash(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = repr(request.data)
    return hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()


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
        with transaction.atomic():
            seen = (
                IdempotencyKey.objects.select_for_update()
                .filter(user=request.user, key=key)
                .first()
            )
            if seen is not None:
                if seen.request_hash != digest:
                    return Response(
                        {"detail": "This Idempotency-Key was already used for another request."},
                        status=status.HTTP_409_CONFLICT,
                    )
                return Response(seen.response, status=seen.status_code)
            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                try:
                    with transaction.atomic():
                        IdempotencyKey.objects.create(
                            user=request.user,
                            key=key,
                            method=request.method,
                            path=request.path[:300],
                            request_hash=digest,
                            status_code=response.status_code,
                            response=json.loads(json.dumps(response.data, default=str)),
                        )
                except IntegrityError:
                    # The same key raced in from a parallel retry: undo this one.
                    transaction.set_rollback(True)
                    seen = IdempotencyKey.objects.get(user=request.user, key=key)
                    return Response(seen.response, status=seen.status_code)
            return response

    return wrapper
