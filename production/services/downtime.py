"""Planned machine downtime (maintenance, holidays): production records it; the machine's
capacity drops on those days for the load view and for the next plan proposals."""

from typing import Any

from django.db import transaction

from erp.errors import DomainError
from materials.models import WorkCenter
from production.models import Downtime
from production.services.common import parse_date, parse_quantity, require

MAX_REASON = Downtime._meta.get_field("reason").max_length
MAX_DAYS = 366


def _clean(
    *, work_center: WorkCenter | None, start_date: Any, end_date: Any, hours_per_day: Any, reason
) -> dict:
    if work_center is None:
        raise DomainError("Choose the machine.", field="work_center")
    start = parse_date(start_date, field="start_date", what="The first day")
    end = parse_date(end_date or start, field="end_date", what="The last day")
    if end < start:
        raise DomainError(f"The last day {end} is before the first day {start}.", field="end_date")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(f"A downtime lasts at most {MAX_DAYS} days.", field="end_date")
    hours = None
    if hours_per_day not in (None, ""):
        hours = parse_quantity(
            hours_per_day, field="hours_per_day", what="The hours lost per day", allow_zero=False
        )
        if hours > 24:
            raise DomainError("A day has 24 hours.", field="hours_per_day")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the machine stops.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    return {
        "work_center": work_center,
        "start_date": start,
        "end_date": end,
        "hours_per_day": hours,
        "reason": reason,
    }


@transaction.atomic
def downtime_create(
    *,
    user,
    work_center: WorkCenter | None,
    start_date: Any,
    end_date: Any = None,
    hours_per_day: Any = None,
    reason: str = "",
) -> Downtime:
    require(user, "production.add_downtime", "Only production may plan machine downtime.")
    downtime = Downtime(
        **_clean(
            work_center=work_center,
            start_date=start_date,
            end_date=end_date,
            hours_per_day=hours_per_day,
            reason=reason,
        )
    )
    downtime.stamp(user)
    downtime.save()
    return downtime


@transaction.atomic
def downtime_update(*, user, downtime: Downtime, **changes: Any) -> Downtime:
    require(user, "production.change_downtime", "Only production may change machine downtime.")
    fields = {
        "work_center": downtime.work_center,
        "start_date": downtime.start_date,
        "end_date": downtime.end_date,
        "hours_per_day": downtime.hours_per_day,
        "reason": downtime.reason,
    }
    fields.update(changes)
    for name, value in _clean(**fields).items():
        setattr(downtime, name, value)
    downtime.stamp(user)
    downtime.save()
    return downtime


@transaction.atomic
def downtime_delete(*, user, downtime: Downtime) -> None:
    require(user, "production.delete_downtime", "Only production may remove machine downtime.")
    downtime.delete()
