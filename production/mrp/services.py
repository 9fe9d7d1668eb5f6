"""Run MRP: one run at a time, every run recorded, results written in bulk; a failed run
leaves the previous results in place."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from erp.locks import exclusive_job
from production.models import MrpRun, PlannedOrder
from production.mrp.engine import plan
from production.mrp.loader import load_input

log = logging.getLogger(__name__)
BATCH = 5000


def run_mrp(*, as_of: dt.date | None = None, trigger: str = "manual", user=None) -> MrpRun:
    """Plan the whole factory as of `as_of` (default today). Refuses with ConflictError when
    another run is in progress. Returns the run, succeeded or failed."""
    as_of = as_of or timezone.localdate()
    with exclusive_job(
        "mrp", busy_message="An MRP run is already in progress; try again when it ends."
    ):
        run = MrpRun.objects.create(
            as_of=as_of,
            trigger=trigger,
            started_by=user if getattr(user, "is_authenticated", False) else None,
        )
        try:
            data = load_input(as_of=as_of)
            planned = plan(data)
            with transaction.atomic():
                PlannedOrder.objects.bulk_create(
                    (
                        PlannedOrder(
                            run=run,
                            item_id=p.item_id,
                            kind=p.kind,
                            quantity=p.quantity,
                            due_date=p.due_date,
                            release_date=p.release_date,
                            late=p.late,
                            pegging=list(p.pegging),
                        )
                        for p in planned
                    ),
                    batch_size=BATCH,
                )
                run.status = MrpRun.Status.SUCCEEDED
                run.finished_at = timezone.now()
                run.counts = {
                    "items": len(data.items),
                    "planned_orders": len(planned),
                    "purchase": sum(p.kind == "purchase" for p in planned),
                    "production": sum(p.kind == "production" for p in planned),
                    "late": sum(p.late for p in planned),
                }
                run.save(update_fields=["status", "finished_at", "counts"])
        except Exception as exc:
            log.exception("MRP run %s failed", run.pk)
            run.status = MrpRun.Status.FAILED
            run.finished_at = timezone.now()
            run.error = f"{type(exc).__name__}: {exc}"
            run.save(update_fields=["status", "finished_at", "error"])
        return run
