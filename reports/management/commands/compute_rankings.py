import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from erp.errors import DomainError
from erp.models import JobRun
from reports.profit.profit_snapshots import compute_profit_snapshots
from reports.profit.rankings import compute_rankings


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recompute customer rankings, tiers and lifecycle classes, and the dashboard's monthly "
        "profit and product table (the nightly Celery tasks run the same code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")

    def handle(self, *args, as_of=None, **options):
        as_of_date = iso_date(as_of) if as_of else None
        try:
            run = compute_rankings(as_of=as_of_date, trigger="command")
            self._check(run, "Ranking")
            counts = run.counts
            tiers = ", ".join(f"{k} {v}" for k, v in sorted(counts["tiers"].items()))
            self.stdout.write(
                f"Ranking run {run.pk} as of {counts['as_of']} (year {counts['year']}): "
                f"{counts['customers']} customers, {counts['ranked']} ranked; {tiers}; "
                f"{counts['tier_changes']} tier changes; {counts['seconds']} s"
            )
            snapshot = compute_profit_snapshots(as_of=as_of_date, trigger="command")
            self._check(snapshot, "Profit snapshot")
            counts = snapshot.counts
            self.stdout.write(
                f"Profit snapshot run {snapshot.pk}: {counts['months']} months, "
                f"{counts['products']} products of {counts['year']}; {counts['seconds']} s"
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _check(self, run: JobRun, what: str) -> None:
        if run.status != JobRun.Status.SUCCEEDED:
            raise CommandError(f"{what} run {run.pk} failed: {run.error}")
