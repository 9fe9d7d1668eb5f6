"""`python manage.py workbook_template FILE.xlsx`: the empty workbook with a README sheet."""

from django.core.management.base import BaseCommand

from reports.workbook.exporter import write_template


class Command(BaseCommand):
    help = "Write the empty factory workbook: every sheet's headers and a README sheet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to write")

    def handle(self, *args, file: str, **options):
        write_template(path_or_buffer=file)
        self.stdout.write(self.style.SUCCESS(f"Wrote {file}."))
