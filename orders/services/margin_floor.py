"""Setting the margin floor (限制低利润产品的生产与销售): managers only; each setting is kept
with who set it and when, the newest in force (orders.pricing reads it)."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from erp.errors import DomainError
from erp.roles import can_see_costs
from materials.models import Item
from orders.models_pricing import MarginFloor
from orders.services.orders import parse_decimal

MAX_PERCENT = Decimal(100)


def may_set_margin_floor(user: AbstractBaseUser | None) -> bool:
    """The floor is a cost figure: managers and administrators set (and read) it."""
    return user is not None and can_see_costs(user)


@transaction.atomic
def set_margin_floor(
    *,
    user: AbstractBaseUser | None,
    percent: Any,
    item: Item | str | None = None,
    reason: str = "",
) -> MarginFloor:
    """Set the factory's floor (`item` None) or one item's (an Item or its code).
    `percent` None or "" removes it (an item then follows the factory's floor); 0 means
    no floor (for an item: none even if the factory has one)."""
    if not may_set_margin_floor(user):
        raise PermissionDenied("Only a manager sets the margin floor.")
    if isinstance(item, str):
        code = item.strip()
        item = Item.objects.filter(code=code).first() if code else None
        if item is None and code:
            raise DomainError(f"There is no item {code}.", field="item")
    value = None
    if percent is not None and percent != "":
        value = parse_decimal(percent)
        if value is None:
            raise DomainError("The minimum margin must be a number.", field="percent")
        if value < 0 or value >= MAX_PERCENT:
            raise DomainError(
                "The minimum margin is a percentage from 0 to below 100.", field="percent"
            )
        if value != value.quantize(Decimal("0.01")):
            raise DomainError("The minimum margin has at most 2 decimals.", field="percent")
    floor = MarginFloor(item=item, percent=value, reason=(reason or "").strip())
    floor.stamp(user)
    floor.save()
    return floor
