"""`python manage.py export_workbook FILE.xlsx`: write the factory in the workbook format."""

from django.core.management.base import BaseCommand

from reports.workbook.exporter import export_workbook


class Command(BaseCommand):
    help = "Export the whole factory as the workbook the import reads (a round trip)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to write")

    def handle(self, *args, file: str, **options):
        export_workbook(path_or_buffer=file)
        self.stdout.write(self.style.SUCCESS(f"Wrote {file}."))
