"""`python manage.py import_workbook FILE.xlsx [--user USERNAME]`: load the factory workbook."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.workbook.errors import WorkbookInvalid
from reports.workbook.importer import import_workbook


class Command(BaseCommand):
    help = (
        "Import the factory workbook (all or nothing). On errors, every error is printed as "
        "'sheet, row N, column: message' and the command exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--user", help="username recorded as the author of the changes")

    def handle(self, *args, file: str, user: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        person = None
        if user:
            try:
                person = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user with the username {user!r}.") from exc
        try:
            report = import_workbook(source=path, user=person, trigger="cli")
        except WorkbookInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        width = max((len(name) for name in report.counts), default=5)
        self.stdout.write(f"{'sheet':<{width}}  created  updated  unchanged")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:<{width}}  {counts.created:>7}  {counts.updated:>7}  {counts.unchanged:>9}"
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name} in {report.seconds:.1f} s."))
