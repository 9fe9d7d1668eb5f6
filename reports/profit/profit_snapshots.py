"""The profit snapshot run: the factory's revenue, cost and profit by month (the last 24
months up to the as-of date) and the product profit table of the tier year, for the
dashboard. A job of its own ("profit-snapshots"), next to the ranking run, so each stays a
single pass over the shipments it needs."""

import datetime as dt

from django.utils import timezone

from erp.models import JobRun
from reports.models import MonthlyProfitSnapshot, ProductProfitSnapshot
from reports.profit.ranking_totals import item_years, month_totals, without_jit
from reports.profit.runs import latest_run, recorded_run
from reports.profit.tiers import tier_year

JOB = "profit-snapshots"
BATCH = 5000


def latest_profit_run() -> JobRun | None:
    return latest_run(JOB)


def compute_profit_snapshots(
    *, as_of: dt.date | None = None, trigger: str = "manual", user=None
) -> JobRun:
    """Refuses with ConflictError while another run is in progress; returns the run."""
    as_of = as_of or timezone.localdate()
    return recorded_run(
        job=JOB,
        trigger=trigger,
        user=user,
        busy_message="A profit snapshot run is already in progress; try again soon.",
        work=lambda run, previous: _write(run, as_of),
        snapshot_models=(MonthlyProfitSnapshot, ProductProfitSnapshot),
    )


def _write(run: JobRun, as_of: dt.date) -> dict:
    year = tier_year(as_of)
    without_jit()
    months = [
        MonthlyProfitSnapshot(
            run=run, month=m.month, revenue=m.revenue, cost=m.cost, profit=m.revenue - m.cost
        )
        for m in month_totals(as_of)
    ]
    MonthlyProfitSnapshot.objects.bulk_create(months, batch_size=BATCH)
    products = [
        ProductProfitSnapshot(
            run=run,
            year=year,
            item_id=i.item_id,
            quantity=i.quantity,
            revenue=i.revenue,
            cost=i.cost,
            profit=i.revenue - i.cost,
        )
        for i in item_years(year)
    ]
    ProductProfitSnapshot.objects.bulk_create(products, batch_size=BATCH)
    return {
        "as_of": as_of.isoformat(),
        "year": year,
        "months": len(months),
        "products": len(products),
    }
