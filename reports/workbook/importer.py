"""Import the factory workbook, all or nothing (CONTRACT.md section 1).

Every sheet is read and checked first, against the database and against the other sheets;
if anything is wrong, `WorkbookInvalid` lists every error and nothing is written. Otherwise
all sheets are written in one transaction, a few bulk statements per sheet.
"""

import logging
import time
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.models import JobRun
from reports.workbook import spec
from reports.workbook.check_master import check_master
from reports.workbook.check_orders import check_orders
from reports.workbook.context import ImportContext, SheetCounts
from reports.workbook.errors import WorkbookError, WorkbookInvalid
from reports.workbook.open_invoices import check_open_invoices
from reports.workbook.reader import parse_sheet, read_workbook
from reports.workbook.write_invoices import write_open_invoices
from reports.workbook.write_master import write_master
from reports.workbook.write_orders import write_orders

log = logging.getLogger(__name__)
JOB = "import_workbook"


@dataclass
class ImportReport:
    """What an import did, per sheet: rows created, updated, and already as in the workbook."""

    counts: dict[str, SheetCounts] = field(default_factory=dict)
    seconds: float = 0.0
    job_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "sheets": {name: c.as_dict() for name, c in self.counts.items()},
            "seconds": round(self.seconds, 3),
            "job": self.job_id,
        }

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())


def import_workbook(*, source, user=None, trigger: str = "") -> ImportReport:
    """Import `source`: a file path, an uploaded (binary) file, or {sheet: DataFrame}.

    Raises `WorkbookInvalid` (with every error) and writes nothing if any row is wrong.
    Each run is recorded as a `JobRun`.
    """
    started = time.monotonic()
    person = user if getattr(user, "is_authenticated", False) else None
    job = JobRun.objects.create(
        job=JOB,
        trigger=(trigger or (person.username if person else "system"))[:100],
        started_by=person,
    )
    try:
        ctx = _checked(source, person)
        with transaction.atomic():
            write_master(ctx)
            write_orders(ctx)
            write_open_invoices(ctx)
    except WorkbookInvalid as exc:
        _finish(job, JobRun.Status.FAILED, error="\n".join(str(e) for e in exc.errors[:200]))
        raise
    except DatabaseError as exc:
        log.exception("workbook import refused by the database")
        _finish(job, JobRun.Status.FAILED, error=str(exc))
        message = _("The database refused the import (nothing was written): %(reason)s") % {
            "reason": str(exc).strip().splitlines()[0] if str(exc).strip() else exc
        }
        raise WorkbookInvalid([WorkbookError("", 0, "", message)]) from exc
    except Exception as exc:
        _finish(job, JobRun.Status.FAILED, error=repr(exc))
        raise
    counts = {s.name: ctx.counts[s.name] for s in spec.SHEETS if s.name in ctx.counts}
    report = ImportReport(counts=counts, seconds=time.monotonic() - started, job_id=job.pk)
    _finish(job, JobRun.Status.SUCCEEDED, counts=report.as_dict()["sheets"])
    return report


def validate_workbook(*, source) -> list[WorkbookError]:
    """Every error of `source`, writing nothing (an empty list: the workbook would import)."""
    try:
        _checked(source, None)
    except WorkbookInvalid as exc:
        return exc.errors
    return []


def _checked(source, user) -> ImportContext:
    errors: list[WorkbookError] = []
    raw = read_workbook(source)
    sheets = {s.name: parse_sheet(raw[s.name], errors) for s in spec.SHEETS if s.name in raw}
    ctx = ImportContext(sheets, errors, user)
    check_master(ctx)
    check_orders(ctx)
    check_open_invoices(ctx)
    if errors:
        order = {s.name: i for i, s in enumerate(spec.SHEETS)}
        errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row))
        raise WorkbookInvalid(errors)
    return ctx


def _finish(job: JobRun, status: str, *, counts: dict | None = None, error: str = "") -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.counts = counts or {}
    job.error = error
    job.save(update_fields=["status", "finished_at", "counts", "error"])
