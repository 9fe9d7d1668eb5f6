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
        today=dt.date.today(),
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


SUBCOMMANDS = {
    "import": (add_import_arguments, run_import, "import a generated factory workbook"),
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
