"""Small pieces the production services share: who may, who to tell, numbers in words."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from erp.errors import DomainError
from erp.numbers import plain as fmt  # noqa: F401  (the services' name for it)


def may(user, permission: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(permission))


def require(user, permission: str, refusal: str) -> None:
    """Refuse (403) a user without `permission`, saying what they may not do."""
    if not may(user, permission):
        raise PermissionDenied(refusal)


def users_with(permission: str) -> list:
    """Active users holding `permission` through a group or directly (not superusers: they
    are not the ones who do the work)."""
    app_label, codename = permission.split(".", 1)
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app_label,
            )
            | Q(
                user_permissions__codename=codename,
                user_permissions__content_type__app_label=app_label,
            )
        )
        .distinct()
        .order_by("pk")
    )


def url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def parse_quantity(value: Any, *, field: str, what: str, allow_zero: bool = True) -> Decimal:
    """A decimal quantity from a form, a JSON body or code; refused in words."""
    if isinstance(value, float):
        value = str(value)
    try:
        quantity = Decimal(value if value not in (None, "") else "0")
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{what} must be a number.", field=field) from None
    if not quantity.is_finite():
        raise DomainError(f"{what} must be a number.", field=field)
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise DomainError(
            f"{what} must be {'0 or more' if allow_zero else 'greater than 0'}.", field=field
        )
    if quantity >= Decimal(10) ** 14 or quantity != quantity.quantize(Decimal("0.000001")):
        raise DomainError(
            f"{what} has too many digits (at most 14 before and 6 after the point).",
            field=field,
        )
    return quantity


def parse_date(value: Any, *, field: str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise DomainError(f"{what} must be a date (YYYY-MM-DD).", field=field) from None
