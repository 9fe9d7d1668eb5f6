"""Reads behind the manager's dashboard, all from the latest ranking run's snapshots (fast
with years of history): a fixed number of queries whatever the data."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet

from erp.models import JobRun
from reports.models import (
    Lifecycle,
    MonthlyProfitSnapshot,
    ProductProfitSnapshot,
    RankingSnapshot,
    Tier,
    TierChange,
    TierSettings,
)
from reports.profit import profit_snapshots, rankings
from reports.profit.amounts import ratio

TREND_MONTHS = 24
TOP = 10
MAP_PRODUCTS = 200


@dataclass
class Dashboard:
    run: JobRun | None  # the latest ranking run
    profit_run: JobRun | None  # the latest profit snapshot run (months, products)
    recent_runs: list[JobRun]
    settings: TierSettings
    months: list[MonthlyProfitSnapshot] = field(default_factory=list)
    top: list[RankingSnapshot] = field(default_factory=list)
    bottom: list[RankingSnapshot] = field(default_factory=list)
    tiers: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    lifecycle: list[tuple[str, str, int]] = field(default_factory=list)
    changes: list[TierChange] = field(default_factory=list)
    products: list[ProductProfitSnapshot] = field(default_factory=list)
    as_of: dt.date | None = None
    year: int | None = None
    products_year: int | None = None


def recent_runs(limit: int = 6) -> QuerySet[JobRun]:
    return (
        JobRun.objects.filter(job__in=(rankings.JOB, profit_snapshots.JOB))
        .select_related("started_by")
        .order_by("-started_at")[:limit]
    )


def _counts(run: JobRun, field_name: str, choices) -> list[tuple[str, str, int]]:
    counted = dict(
        RankingSnapshot.objects.filter(run=run)
        .values_list(field_name)
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(value, label, counted.get(value, 0)) for value, label in choices]


def dashboard() -> Dashboard:
    run = rankings.latest_ranking_run()
    profit_run = profit_snapshots.latest_profit_run()
    settings = TierSettings.objects.filter(pk=1).first() or TierSettings()
    board = Dashboard(
        run=run, profit_run=profit_run, recent_runs=list(recent_runs()), settings=settings
    )
    if profit_run is not None:
        months = MonthlyProfitSnapshot.objects.filter(run=profit_run).order_by("-month")
        board.months = list(reversed(months[:TREND_MONTHS]))
        board.products = list(
            ProductProfitSnapshot.objects.filter(run=profit_run)
            .select_related("item")
            .order_by("-revenue", "item__code")[:MAP_PRODUCTS]
        )
        board.products_year = profit_run.counts["year"]
    if run is None:
        return board
    board.as_of = dt.date.fromisoformat(run.counts["as_of"])
    board.year = run.counts["year"]
    ranked = RankingSnapshot.objects.filter(run=run, rank__isnull=False).select_related("customer")
    board.top = list(ranked.order_by("rank")[:TOP])
    top_ids = {s.pk for s in board.top}
    board.bottom = [s for s in ranked.order_by("-rank")[:TOP] if s.pk not in top_ids]
    board.tiers = _counts(run, "tier", Tier.choices)
    board.lifecycle = _counts(run, "lifecycle", Lifecycle.choices)
    board.changes = list(
        TierChange.objects.select_related("customer", "changed_by").order_by("-changed_at", "-id")[
            :TOP
        ]
    )
    return board


def margin(product: ProductProfitSnapshot) -> Decimal | None:
    return ratio(product.profit, product.revenue)
