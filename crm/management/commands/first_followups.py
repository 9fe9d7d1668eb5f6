import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from crm.services.followups import schedule_first_followups


class Command(BaseCommand):
    help = (
        "Schedule the first follow-up of every customer that has a tier and a salesperson and "
        "never had a follow-up, due after its tier's interval (the nightly Celery task runs "
        "the same code; safe to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")

    def handle(self, *args, as_of=None, **options):
        try:
            today = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD).") from None
        created = schedule_first_followups(today=today)
        self.stdout.write(f"{len(created)} first follow-ups scheduled.")
