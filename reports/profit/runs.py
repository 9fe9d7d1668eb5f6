"""How the nightly profit jobs run: one at a time per job, each run recorded as a JobRun
(start, end, counts, error), the snapshots written in one transaction so that a failed run
leaves the previous ones in place, and only the last RUNS_KEPT runs' snapshots kept."""

import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from erp.locks import exclusive_job
from erp.models import JobRun

log = logging.getLogger(__name__)
RUNS_KEPT = 30  # snapshots of older runs are deleted; their JobRun rows stay


def latest_run(job: str) -> JobRun | None:
    return (
        JobRun.objects.filter(job=job, status=JobRun.Status.SUCCEEDED)
        .order_by("-started_at", "-id")
        .first()
    )


def recorded_run(
    *,
    job: str,
    trigger: str,
    user,
    busy_message: str,
    work: Callable[[JobRun, JobRun | None], dict],
    snapshot_models: tuple[type[Model], ...],
) -> JobRun:
    """Run `work(run, previous_successful_run) -> counts` under the job's lock. Refuses with
    ConflictError while the job runs elsewhere; returns the run, succeeded or failed."""
    with exclusive_job(job, busy_message=busy_message):
        previous = latest_run(job)
        run = JobRun.objects.create(
            job=job,
            trigger=trigger,
            started_by=user if getattr(user, "is_authenticated", False) else None,
        )
        started = time.monotonic()
        try:
            with transaction.atomic():
                counts = work(run, previous)
                run.status = JobRun.Status.SUCCEEDED
                run.finished_at = timezone.now()
                run.counts = {**counts, "seconds": round(time.monotonic() - started, 3)}
                run.save(update_fields=["status", "finished_at", "counts"])
            _forget_old_runs(job, snapshot_models)
        except Exception as exc:
            log.exception("%s run %s failed", job, run.pk)
            run.status = JobRun.Status.FAILED
            run.finished_at = timezone.now()
            run.error = f"{type(exc).__name__}: {exc}"
            run.save(update_fields=["status", "finished_at", "error"])
        return run


def _forget_old_runs(job: str, snapshot_models: tuple[type[Model], ...]) -> None:
    kept = list(
        JobRun.objects.filter(job=job, status=JobRun.Status.SUCCEEDED)
        .order_by("-started_at", "-id")
        .values_list("id", flat=True)[:RUNS_KEPT]
    )
    for model in snapshot_models:
        model.objects.filter(run__job=job).exclude(run_id__in=kept).delete()
