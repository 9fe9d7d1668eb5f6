"""Run MRP: one run at a time, every run recorded, results written in bulk; a failed run
leaves the previous results in place.

Planning is Python's work and storing is PostgreSQL's: a helper thread plans and turns each
batch of final planned orders into one insert, while this thread sends the inserts, so the
two overlap on two cores. The helper thread never touches the database. Everything is
written in one transaction with the run's outcome.

Planned-order ids are given by the run, in planning order (first + position), so that a row
can name the planned orders it serves (`pegged_to`) before they are stored. Only a run
inserts planned orders, one run at a time; the table's id sequence is moved past them.
"""

import datetime as dt
import json
import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from erp.errors import ConflictError
from erp.locks import exclusive_job
from production.models import MrpRun, PlannedOrder
from production.mrp.engine import MrpInput, Planned, gc_paused, plan
from production.mrp.loader import load_input, supplier_by_item
from production.mrp.selectors import run_in_progress

log = logging.getLogger(__name__)
BATCH = 20_000
AHEAD = 4  # batches the planning thread may prepare before the writer takes them
ANALYZE_FROM = 10_000  # planned orders written: from this many the statistics are refreshed
KEEP_RESULTS = 3  # succeeded runs whose planned orders are kept (the latest first)
BUSY = "An MRP run is already in progress; try again when it ends."


def run_mrp(*, as_of: dt.date | None = None, trigger: str = "manual", user=None) -> MrpRun:
    """Plan the whole factory as of `as_of` (default today). Refuses with ConflictError when
    another run is in progress. Returns the run, succeeded or failed."""
    as_of = as_of or timezone.localdate()
    with exclusive_job("mrp", busy_message=BUSY):
        run = MrpRun.objects.create(
            as_of=as_of,
            trigger=trigger,
            started_by=user if getattr(user, "is_authenticated", False) else None,
        )
        batches = None
        try:
            data = load_input(as_of=as_of)
            writer = _Writer(run=run, first_id=_next_id(), suppliers=supplier_by_item())
            batches = _in_background(data, writer.prepare)
            with gc_paused(), transaction.atomic():
                _commit_without_waiting_for_disk()
                for batch in batches:
                    writer.write(batch)
                writer.finish()
                run.status = MrpRun.Status.SUCCEEDED
                run.finished_at = timezone.now()
                run.counts = {"items": len(data.items), **writer.counts}
                run.shortfall_suppliers = writer.shortfall_suppliers()
                run.save(update_fields=["status", "finished_at", "counts", "shortfall_suppliers"])
        except Exception as exc:
            log.exception("MRP run %s failed", run.pk)
            run.status = MrpRun.Status.FAILED
            run.finished_at = timezone.now()
            run.error = f"{type(exc).__name__}: {exc}"
            run.save(update_fields=["status", "finished_at", "error"])
        else:
            _forget_old_results()
            _refresh_statistics(written=writer.counts["planned_orders"])
        finally:
            if batches is not None:
                batches.close()  # stops the planning thread if the writer gave up
        return run


def start_run(*, user, as_of: dt.date | None = None) -> MrpRun | None:
    """The run-now button and `POST /api/v1/mrp/runs/`: run at once when tasks run in this
    process (no broker); otherwise queue the run for a worker and return None. Refuses with
    ConflictError while a run is in progress."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return run_mrp(as_of=as_of, trigger="run now", user=user)
    if run_in_progress() is not None:
        raise ConflictError(BUSY)
    from production.tasks import run_mrp_task  # the task module imports this one

    run_mrp_task.delay_on_commit(user_id=user.pk, as_of=as_of.isoformat() if as_of else None)
    return None


# Planning in a helper thread --------------------------------------------------------------


class _Stop(Exception):
    """The writer gave up: the planning thread stops too."""


_DONE = object()


def _in_background(data: MrpInput, prepare: Callable) -> Iterator:
    """The engine's planned orders, `prepare`d batch by batch, computed in a helper thread
    that keeps at most a few batches ahead of the writer."""
    handover: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def hand_over(item) -> None:
        while True:
            try:
                handover.put(item, timeout=0.2)
                return
            except queue.Full:
                if stop.is_set():
                    raise _Stop from None

    def work() -> None:
        batch: list[Planned] = []

        def emit(orders: list[Planned]) -> None:
            if stop.is_set():
                raise _Stop
            batch.extend(orders)
            if len(batch) >= BATCH:
                hand_over(prepare(batch[:]))
                batch.clear()

        try:
            plan(data, emit=emit)
            if batch:
                hand_over(prepare(batch))
            hand_over(_DONE)
        except _Stop:
            pass
        except BaseException as exc:  # handed over to the writer, which raises it
            try:
                hand_over(exc)
            except _Stop:
                pass

    thread = threading.Thread(target=work, name="mrp-plan", daemon=True)
    thread.start()
    try:
        while (got := handover.get()) is not _DONE:
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        thread.join()


# Writing ----------------------------------------------------------------------------------


INSERT_SQL = """
INSERT INTO production_plannedorder
    (id, run_id, item_id, kind, quantity, due_date, release_date, late, direct_pegging,
     pegged_to, supplier_id, for_safety_stock)
SELECT %(first)s + n - 1, %(run)s, (r->>0)::bigint,
       CASE WHEN r->>1 = '1' THEN 'production' ELSE 'purchase' END, (r->>2)::numeric,
       %(as_of)s::date + (r->>3)::integer, %(as_of)s::date + (r->>4)::integer,
       r->>5 = '1', r->6, r->7, (r->>8)::bigint, (r->>9)::numeric
FROM jsonb_array_elements(%(rows)s::jsonb) WITH ORDINALITY AS x(r, n)
"""


@dataclass
class _Batch:
    first: int  # position of its first planned order
    size: int
    purchase: int
    late: int
    rows: object  # PostgreSQL: the JSON of the insert; otherwise the planned orders
    suppliers: Counter  # (supplier id or None, late) -> planned purchases


@dataclass
class _Writer:
    run: MrpRun
    first_id: int
    suppliers: dict[int, int]
    counts: dict[str, int] = field(
        default_factory=lambda: {"planned_orders": 0, "purchase": 0, "production": 0, "late": 0}
    )
    postgresql: bool = field(default_factory=lambda: connection.vendor == "postgresql")
    by_supplier: Counter = field(default_factory=Counter)

    def prepare(self, batch: list[Planned]) -> _Batch:
        """In the planning thread: everything but the database work."""
        purchase = sum(p.kind == "purchase" for p in batch)
        late = sum(p.late for p in batch)
        first_id, as_of, suppliers = self.first_id, self.run.as_of, self.suppliers
        by_supplier = Counter(
            (suppliers.get(p.item_id), p.late) for p in batch if p.kind == "purchase"
        )
        if not self.postgresql:
            return _Batch(batch[0].index, len(batch), purchase, late, batch, by_supplier)
        rows = [
            [
                p.item_id,
                1 if p.kind == "production" else 0,
                str(p.quantity),
                (p.due_date - as_of).days,
                (p.release_date - as_of).days,
                1 if p.late else 0,
                p.direct,
                [first_id + q.index for q in p.parents] if p.parents else (),
                suppliers.get(p.item_id) if p.kind == "purchase" else None,
                str(p.safety) if p.safety else 0,
            ]
            for p in batch
        ]
        text = json.dumps(rows, separators=(",", ":"))
        return _Batch(batch[0].index, len(batch), purchase, late, text, by_supplier)

    def write(self, batch: _Batch) -> None:
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    INSERT_SQL,
                    {
                        "first": self.first_id + batch.first,
                        "run": self.run.pk,
                        "as_of": self.run.as_of,
                        "rows": batch.rows,
                    },
                )
        else:
            self._bulk_create(batch.rows)
        self.counts["planned_orders"] += batch.size
        self.counts["purchase"] += batch.purchase
        self.counts["production"] += batch.size - batch.purchase
        self.counts["late"] += batch.late
        self.by_supplier.update(batch.suppliers)

    def shortfall_suppliers(self) -> list[list]:
        """[[supplier id or None, planned purchases, late ones], ...]"""
        rows: dict[int | None, list[int]] = {}
        for (supplier, late), n in self.by_supplier.items():
            row = rows.setdefault(supplier, [0, 0])
            row[0] += n
            if late:
                row[1] += n
        return [[supplier, lines, late] for supplier, (lines, late) in rows.items()]

    def _bulk_create(self, planned: list[Planned]) -> None:
        first_id = self.first_id
        PlannedOrder.objects.bulk_create(
            (
                PlannedOrder(
                    id=first_id + p.index,
                    run=self.run,
                    item_id=p.item_id,
                    kind=p.kind,
                    quantity=p.quantity,
                    due_date=p.due_date,
                    release_date=p.release_date,
                    late=p.late,
                    direct_pegging=list(p.direct),
                    pegged_to=[first_id + q.index for q in p.parents],
                    supplier_id=self.suppliers.get(p.item_id) if p.kind == "purchase" else None,
                    for_safety_stock=p.safety,
                )
                for p in planned
            ),
            batch_size=1000,
        )

    def finish(self) -> None:
        """Move the id sequence past the ids the run gave."""
        if self.postgresql and self.counts["planned_orders"]:
            table = PlannedOrder._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, self.first_id + self.counts["planned_orders"] - 1],
                )


def _commit_without_waiting_for_disk() -> None:
    """The results can be computed again: the commit need not wait for the write-ahead log
    to reach the disk (a crash in that instant loses the run; the previous results stay)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _next_id() -> int:
    """The first id this run gives (only a run inserts planned orders)."""
    table = PlannedOrder._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            (first,) = cursor.fetchone()
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (our table)
        (highest,) = cursor.fetchone()
        return highest + 1


def _forget_old_results() -> None:
    """Keep the planned orders of the last few succeeded runs; the runs themselves stay
    recorded. A failed run never removes anything."""
    try:
        keep = list(
            MrpRun.objects.filter(status=MrpRun.Status.SUCCEEDED)
            .order_by("-started_at", "-id")
            .values_list("pk", flat=True)[:KEEP_RESULTS]
        )
        if len(keep) == KEEP_RESULTS:
            PlannedOrder.objects.filter(run_id__lt=min(keep)).exclude(run_id__in=keep).delete()
    except Exception:  # the new results are in; old ones go next time
        log.exception("MRP: removing the planned orders of old runs failed")


def _refresh_statistics(*, written: int) -> None:
    """Let PostgreSQL know the table just grew (and lost an old run) by hundreds of thousands
    of rows: with the statistics of before, the pages' queries join row by row and sort on
    disk for seconds until autovacuum catches up (if it runs at all)."""
    if connection.vendor != "postgresql" or written < ANALYZE_FROM:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PlannedOrder._meta.db_table}")
    except Exception:  # the results are in; only reading them is slower
        log.exception("MRP: ANALYZE of the planned orders failed")
