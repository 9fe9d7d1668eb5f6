"""The material controller's list: orders short of material or partly covered, as stored by
the last refresh of CONTRACT.md section 3b (orders.availability)."""

from collections.abc import Iterable

from django.db.models import F, Min, Q, QuerySet

from orders.models import LineStatus, MaterialStatus, SalesOrder
from orders.states import TAKING_STATES

# Orders whose lines ask for material: confirmed ones take it, a draft (or an order awaiting
# credit approval) asks what it would get.


def orders_needing_material(*, statuses: Iterable[str] = ()) -> QuerySet[SalesOrder]:
    """Orders still taking material whose stored status is one of `statuses` (default: short
    or partly covered), the earliest open due date first: the material controller's list."""
    statuses = list(statuses) or [MaterialStatus.SHORT, MaterialStatus.PARTLY]
    return (
        SalesOrder.objects.filter(status__in=TAKING_STATES, material_status__in=statuses)
        .select_related("customer")
        .annotate(first_due=Min("lines__due_date", filter=Q(lines__status=LineStatus.OPEN)))
        .order_by(F("first_due").asc(nulls_last=True), "order_no")
    )
