"""API errors as CONTRACT.md section 7 says: 400 with field messages, 401/403, 404, 409 for a
conflict, never a 500 for anything a client can send."""

import logging
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from erp.errors import DomainError

log = logging.getLogger(__name__)

# The scheme a client should answer a 401 with (TokenAuthentication's keyword).
AUTHENTICATE_HEADER = "Token"


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field:
            body[exc.field] = [exc.message]
        if exc.details is not None:
            body["errors"] = exc.details
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                _field_key(field): [str(m) for e in errs for m in e.messages]
                for field, errs in exc.error_dict.items()
            }
        else:
            body = {"detail": " ".join(exc.messages)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError | RestrictedError):
        objects = (
            exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        )
        return Response({"detail": in_use_message(objects)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        log.warning("integrity error answered as 409: %s", exc)
        return Response(
            {"detail": "The change conflicts with existing data (a duplicate or a broken rule)."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        # A value the validation let through but the database refuses (out of range, too long).
        log.warning("data error answered as 400: %s", exc)
        return Response(
            {"detail": "A value is out of range or too long for the database."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, OperationalError):
        # The database is busy beyond its wait (SQLite's "database is locked" after the busy
        # timeout) or unreachable: not the client's fault, and a retry may pass.
        log.warning("database unavailable, answered as 503: %s", exc)
        return Response(
            {"detail": "The database is busy; retry in a moment (with an Idempotency-Key)."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "2"},
        )
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF answers 403 when the first authentication class (session) has no
        # WWW-Authenticate scheme; a client without credentials must get 401.
        exc.status_code = status.HTTP_401_UNAUTHORIZED
        if not getattr(exc, "auth_header", None):
            exc.auth_header = AUTHENTICATE_HEADER
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


def _field_key(field: str) -> str:
    return api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field


def in_use_message(objects) -> str:
    """'This record is still used by 3 BOM lines and 1 sales order line; ...'"""
    counts = Counter(type(obj) for obj in objects)
    parts = [
        f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
        for model, n in sorted(counts.items(), key=lambda pair: pair[0]._meta.label)
    ]
    used_by = " and ".join(", ".join(parts).rsplit(", ", 1)) if parts else "other records"
    return f"This record is still used by {used_by} and cannot be deleted."


def not_found(request, exception=None):
    """handler404: a URL under /api/ that matches no route (`/api/v1/slips/abc/` where an id
    is a number) answers JSON like every other API 404, not the site's HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
