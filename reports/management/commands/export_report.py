import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from erp.errors import DomainError
from reports.exports import REPORTS, Period, report_rows, to_csv, to_json, to_xlsx
from reports.kpi import rows as _kpi_rows  # noqa: F401  (on-time, turns, lead time)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Print or write a report (CONTRACT.md section 6) as json, csv or xlsx."

    def add_arguments(self, parser):
        parser.add_argument("name", help="one of: " + ", ".join(sorted(REPORTS)))
        parser.add_argument("--year", type=int)
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", help="write to this file instead of printing")

    def handle(self, *args, name, year, start, end, as_of, format, output, **options):
        if year is not None and (start or end):
            raise CommandError("Give either --year or --from/--to, not both.")
        start_date = iso_date(start) if start else None
        end_date = iso_date(end) if end else None
        if year is not None:
            if not 1 <= year <= 9999:
                raise CommandError(f"--year {year} is not a year.")
            start_date, end_date = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if start_date and end_date and end_date < start_date:
            raise CommandError("--to is before --from.")
        period = Period(start=start_date, end=end_date, as_of=iso_date(as_of) if as_of else None)
        try:
            report, rows = report_rows(name, period)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if format == "xlsx":
            if not output:
                raise CommandError("--format xlsx needs --output FILE.xlsx")
            with open(output, "wb") as fh:
                fh.write(to_xlsx(report, rows))
            return
        text = to_json(report, rows) if format == "json" else to_csv(report, rows)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
