"""Benchmarks against the current database: `python manage.py bench SUBCOMMAND [options]`.

Each subcommand is one entry of `SUBCOMMANDS` (name -> (add its arguments, run it)); add a
new one (`mrp`, ...) there. Work is rolled back unless `--keep` is given.
"""

import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone


class Rollback(Exception):
    pass


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def add_import_arguments(parser) -> None:
    parser.add_argument("--lines", type=int, default=50_000, help="customer order lines")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="commit instead of rolling back")


def run_import(command: BaseCommand, options: dict) -> None:
    from reports.workbook.errors import WorkbookInvalid
    from reports.workbook.importer import import_workbook
    from reports.workbook.sample import sample_sheets, write_sheets

    prefix = f"B{uuid.uuid4().hex[:6].upper()}"
    started = time.monotonic()
    sheets = sample_sheets(
        lines=options["lines"],
        items=options["items"],
        customers=options["customers"],
        prefix=prefix,
        today=timezone.localdate(),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        write_sheets(sheets, path)
        command.stdout.write(
            f"workbook {prefix}: "
            + ", ".join(f"{name} {len(rows)}" for name, rows in sheets.items())
            + f" ({path.stat().st_size / 1e6:.1f} MB, built in {time.monotonic() - started:.1f} s)"
        )
        try:
            with transaction.atomic():
                for attempt in ("first import", "re-import"):
                    counter = QueryCounter()
                    with connection.execute_wrapper(counter):
                        began = time.monotonic()
                        report = import_workbook(source=path, trigger="bench")
                        _check_deferred_constraints()
                        seconds = time.monotonic() - began
                    command.stdout.write(
                        f"{attempt}: {seconds:.2f} s, {counter.count} queries, "
                        f"{report.changed} rows written ({connection.vendor})"
                    )
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            command.stdout.write("rolled back")
        except WorkbookInvalid as exc:
            raise CommandError("; ".join(str(e) for e in exc.errors[:20])) from exc


def _check_deferred_constraints() -> None:
    """Run the foreign-key checks PostgreSQL defers to COMMIT now, so the time includes them
    although the work is rolled back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def add_mrp_arguments(parser) -> None:
    parser.add_argument("--scale", choices=["small", "mid", "large"], default="mid")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--runs", type=int, default=1, help="time this many runs")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="one more run under tracemalloc for the Python heap peak (slower)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the runs' planned orders")


def run_mrp_bench(command: BaseCommand, options: dict) -> None:
    command.stdout.write(ensure_demo_factory(scale=options["scale"]))
    for n in range(options["runs"] + (1 if options["trace_memory"] else 0)):
        traced = options["trace_memory"] and n == options["runs"]
        command.stdout.write(
            time_mrp_run(as_of=options["as_of"], trace_memory=traced, keep=options["keep"])
        )


def ensure_demo_factory(*, scale: str) -> str:
    """Import the demo factory of `scale` unless the database already holds it."""
    from materials.models import Item
    from reports.demo.generator import SCALES, build_demo_workbook
    from reports.workbook.errors import WorkbookInvalid
    from reports.workbook.importer import import_workbook

    size = SCALES[scale]
    wanted = size.finished + size.semi // size.levels * size.levels + size.raw
    have = Item.objects.filter(code__regex=r"^(FG|SF|RM)-[0-9]{5}$").count()
    if have >= wanted:
        return f"{scale} factory already loaded ({have} demo items)"
    started = time.monotonic()
    sheets = build_demo_workbook(scale=scale, today=timezone.localdate())
    sheets["Customers"]["salesperson"] = None  # no logins are created for a benchmark
    built = time.monotonic() - started
    try:
        import_workbook(source=sheets, trigger="bench")
    except WorkbookInvalid as exc:
        raise CommandError("; ".join(str(e) for e in exc.errors[:20])) from exc
    sizes = ", ".join(f"{name} {len(frame)}" for name, frame in sheets.items())
    return (
        f"{scale} factory built in {built:.1f} s and imported in "
        f"{time.monotonic() - started - built:.1f} s: {sizes}"
    )


def time_mrp_run(*, as_of: dt.date | None, trace_memory: bool, keep: bool) -> str:
    """One MRP run, end to end through the service: seconds, queries, memory."""
    import resource
    import tracemalloc

    from production.models import MrpRun
    from production.mrp.services import run_mrp

    counter = QueryCounter()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace_memory:
        tracemalloc.start()
    try:
        with transaction.atomic():
            with connection.execute_wrapper(counter):
                began = time.monotonic()
                run = run_mrp(as_of=as_of, trigger="bench")
                _check_deferred_constraints()
                seconds = time.monotonic() - began
            if run.status != MrpRun.Status.SUCCEEDED:
                raise CommandError(f"MRP run failed: {run.error}")
            counts = dict(run.counts)
            if not keep:
                raise Rollback
    except Rollback:
        _vacuum_planned_orders()  # rolled-back rows are dead rows: not to slow the next run
    finally:
        heap_peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace_memory else None
        if trace_memory:
            tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory = (
        f"Python heap peak {heap_peak:.0f} MB (tracemalloc, slower)"
        if heap_peak is not None
        else f"peak RSS {rss_peak:.0f} MB (was {rss_before:.0f} MB before the run)"
    )
    return (
        f"MRP run: {seconds:.2f} s, {counter.count} queries, {memory}; "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f" ({connection.vendor}{', kept' if keep else ', rolled back'})"
    )


def _vacuum_planned_orders() -> None:
    from production.models import PlannedOrder

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {PlannedOrder._meta.db_table}")


from orders.bench import add_material_arguments, run_material_bench  # noqa: E402
from orders.receivables.bench import add_aging_arguments, run_aging_bench  # noqa: E402
from production.mrp.bench import add_pages_arguments, run_pages_bench  # noqa: E402
from production.planning.bench import (  # noqa: E402
    add_plan_arguments,
    add_portfolio_arguments,
    run_plan_bench,
    run_portfolio_bench,
)

SUBCOMMANDS = {
    "material": (
        add_material_arguments,
        run_material_bench,
        "time the material availability of every open order (CONTRACT 3b) and its reads",
    ),
    "import": (add_import_arguments, run_import, "import a generated factory workbook"),
    "aging": (add_aging_arguments, run_aging_bench, "time the receivables aging (100k invoices)"),
    "mrp": (add_mrp_arguments, run_mrp_bench, "time an MRP run on the demo factory"),
    "plan": (add_plan_arguments, run_plan_bench, "time a finite-capacity plan proposal"),
    "portfolio": (add_portfolio_arguments, run_portfolio_bench, "time the monthly portfolio"),
    "pages": (add_pages_arguments, run_pages_bench, "time the MRP pages and API, customer 360"),
}


class Command(BaseCommand):
    help = "Time heavy operations against the current database."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True)
        for name, (add_arguments, _run, text) in SUBCOMMANDS.items():
            add_arguments(subparsers.add_parser(name, help=text))

    def handle(self, *args, subcommand: str, **options):
        if subcommand not in SUBCOMMANDS:
            raise CommandError(f"unknown benchmark {subcommand}")
        SUBCOMMANDS[subcommand][1](self, options)
