"""Reads of the margin-floor page and API (managers only): the floors in force and the
settings history, newest first."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from materials.models import Item
from orders.models_pricing import MarginFloor
from orders.pricing import margin_floors

HISTORY_LIMIT = 50


@dataclass
class FloorsInForce:
    factory: Decimal | None
    items: list[tuple[Item, Decimal]]


def floors_in_force() -> FloorsInForce:
    """The factory's floor and each item's own floor in force (items sorted by code).
    Two queries."""
    floors = margin_floors()
    own = {pk: pct for pk, pct in floors.items() if pk is not None and pct is not None}
    items = Item.objects.filter(pk__in=own).only("code", "name").order_by("code")
    return FloorsInForce(factory=floors.get(None), items=[(i, own[i.pk]) for i in items])


def floor_history(*, limit: int = HISTORY_LIMIT) -> QuerySet[MarginFloor]:
    return MarginFloor.objects.select_related("item", "created_by").order_by("-created_at", "-id")[
        :limit
    ]
