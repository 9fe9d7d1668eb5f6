import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from crm.services.satisfaction import send_vip_surveys


class Command(BaseCommand):
    help = (
        "Send this quarter's satisfaction survey to every VIP customer that has neither this "
        "quarter's nor an open one (the monthly Celery task runs the same code; safe to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")

    def handle(self, *args, as_of=None, **options):
        try:
            today = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD).") from None
        sent = send_vip_surveys(today=today)
        self.stdout.write(f"{len(sent)} VIP satisfaction surveys sent.")
