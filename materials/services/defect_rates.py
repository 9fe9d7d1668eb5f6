"""The defect-control table (各工序不良控制比例表) as quality keeps it: every change of a rate
is kept with who, when, the old and new rate and why. The change applies to requirements
computed after it; the apps above (orders) are told so that lines open at that moment keep
the rates of their time (materials.signals.defect_rate_changed)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from materials.models import DefectRateChange, Process
from materials.signals import defect_rate_changed

REASON_LIMIT = 300


def check_rate(value) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            "The defect rate is a number: a fraction such as 0.02 for 2%.", field="defect_rate"
        ) from None
    if not rate.is_finite() or not Decimal("0") <= rate < Decimal("1"):
        raise DomainError(
            "The defect rate is a fraction: at least 0 and less than 1 (0.02 for 2%).",
            field="defect_rate",
        )
    if rate != rate.quantize(Decimal("0.000001")):
        raise DomainError("The defect rate has at most 6 decimals.", field="defect_rate")
    return rate


def record_rate_change(
    *, process: Process, old_rate: Decimal, new_rate: Decimal, reason: str, user
) -> DefectRateChange:
    """The history row of a rate already written to `process` (inside its transaction), and
    the signal to the apps above. Used by every path that changes a rate."""
    change = DefectRateChange.objects.create(
        process=process,
        old_rate=old_rate,
        new_rate=new_rate,
        reason=(reason or "").strip()[:REASON_LIMIT],
        changed_at=timezone.now(),
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    defect_rate_changed.send(sender=DefectRateChange, change=change)
    return change


@transaction.atomic
def change_defect_rate(*, process: Process, rate, reason: str, user) -> DefectRateChange:
    """Quality sets a process's defect rate, saying why."""
    new_rate = check_rate(rate)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the defect rate changes.", field="reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError(f"The reason is longer than {REASON_LIMIT} characters.", field="reason")
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.defect_rate == new_rate:
        raise ConflictError(
            f"The defect rate of {process.code} is already {new_rate.normalize():f}.",
            field="defect_rate",
        )
    old_rate = process.defect_rate
    process.defect_rate = new_rate
    process.stamp(user)
    process.save(update_fields=["defect_rate", "updated_at", "updated_by"])
    return record_rate_change(
        process=process, old_rate=old_rate, new_rate=new_rate, reason=reason, user=user
    )
