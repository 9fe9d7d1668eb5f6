"""What a change of the defect-control table does to customer orders: the lines open at
that moment keep the rates of their time (their pick limits do not move under the
warehouse's feet); quality may re-apply today's table to them, after seeing the effect
(orders.selectors.defect_rates.reapply_effect)."""

from django.db import transaction
from django.utils import timezone

from materials.models import DefectRateChange
from orders.selectors.line_requirements import open_order_lines


def keep_rates_of_open_lines(sender, *, change: DefectRateChange, **kwargs) -> int:
    """Receiver of materials.signals.defect_rate_changed (connected in OrdersConfig.ready):
    open lines on today's rates keep those of the moment before the change. One UPDATE."""
    return (
        open_order_lines()
        .filter(material_rates_at__isnull=True)
        .update(material_rates_at=change.changed_at)
    )


@transaction.atomic
def reapply_defect_rates(*, user) -> int:
    """Quality re-applies today's defect-control table to every open order line that kept
    older rates; the changes not yet re-applied are marked. Returns the lines moved."""
    moved = (
        open_order_lines().filter(material_rates_at__isnull=False).update(material_rates_at=None)
    )
    DefectRateChange.objects.filter(reapplied_at__isnull=True).update(
        reapplied_at=timezone.now(),
        reapplied_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return moved
