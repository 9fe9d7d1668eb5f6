import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from erp.errors import DomainError
from production.models import MrpRun
from production.mrp.services import run_mrp


class Command(BaseCommand):
    help = "Run MRP now (the nightly Celery task runs the same code)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, as_of=None, **options):
        try:
            run = run_mrp(as_of=as_of, trigger="command")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if run.status != MrpRun.Status.SUCCEEDED:
            raise CommandError(f"MRP run {run.pk} failed: {run.error}")
        counts = run.counts
        self.stdout.write(
            f"MRP run {run.pk} as of {run.as_of}: {counts['planned_orders']} planned orders "
            f"({counts['purchase']} purchase, {counts['production']} production, {counts['late']} late)"
        )
