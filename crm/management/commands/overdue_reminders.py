import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from crm.services.credit_reminders import run_overdue_reminders
from erp.errors import DomainError
from erp.models import JobRun


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Create one open follow-up for the salesperson of each customer with overdue invoices, "
        "unless one is already open (the nightly Celery task runs the same code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")

    def handle(self, *args, as_of=None, **options):
        today = iso_date(as_of) if as_of else None
        try:
            run = run_overdue_reminders(trigger="command", today=today)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if run.status != JobRun.Status.SUCCEEDED:
            raise CommandError(f"Overdue reminders run {run.pk} failed: {run.error}")
        c = run.counts
        self.stdout.write(
            f"Overdue reminders as of {c['as_of']}: {c['customers']} customers with overdue "
            f"invoices, {c['created']} follow-ups created, {c['already_open']} already open, "
            f"{c['without_owner']} without anybody to remind."
        )
