"""The ranking run: rank, tier and lifecycle class of every customer as of a date, written
into RankingSnapshot for the dashboard, and every tier move since the previous run logged.
One run at a time, recorded as a JobRun ("rankings"). Nightly from Celery beat, on demand
from the dashboard and from `manage.py compute_rankings`.

Set-based: one aggregate over three years of shipments (ranking_totals.customer_years), the
rule in memory, one bulk insert."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from customers.models import Customer
from erp.models import JobRun
from reports.models import RankingSnapshot, Tier, TierChange, TierOverride, TierSettings
from reports.profit.lifecycle import Trend, lifecycle_class
from reports.profit.ranking_totals import NO_SHIPMENTS, customer_years, without_jit
from reports.profit.runs import latest_run, recorded_run
from reports.profit.selectors import CustomerProfit
from reports.profit.tiers import RuleTier, TierRule, rule_tiers, tier_year

JOB = "rankings"
BATCH = 5000
SHARE_QUANTUM = Decimal("0.0001")


def latest_ranking_run() -> JobRun | None:
    return latest_run(JOB)


def compute_rankings(*, as_of: dt.date | None = None, trigger: str = "manual", user=None) -> JobRun:
    """Rank and tier every customer as of `as_of` (default today). Refuses with
    ConflictError while another run is in progress; returns the run, succeeded or failed."""
    as_of = as_of or timezone.localdate()
    return recorded_run(
        job=JOB,
        trigger=trigger,
        user=user,
        busy_message="A ranking run is already in progress; try again soon.",
        work=lambda run, previous: _write_snapshots(run, as_of=as_of, previous=previous),
        snapshot_models=(RankingSnapshot,),
    )


def _write_snapshots(run: JobRun, *, as_of: dt.date, previous: JobRun | None) -> dict:
    year = tier_year(as_of)
    settings = TierSettings.objects.filter(pk=1).first() or TierSettings()
    rule = TierRule(settings.vip_share, settings.important_share)
    without_jit()
    money = {row.customer_id: row for row in customer_years(year)}
    codes = dict(Customer.objects.values_list("id", "code"))
    ranked = sorted(
        (
            CustomerProfit(cid, codes[cid], "", r.revenue, r.cost, r.profit, 0)
            for cid, r in money.items()
            if r.shipped
        ),
        key=lambda p: (-p.profit, -p.revenue, p.code),  # as selectors.ranking_order()
    )
    ranks = {row.customer_id: rank for rank, row in enumerate(ranked, start=1)}
    by_rule = rule_tiers(ranked, rule)
    overrides = dict(TierOverride.objects.values_list("customer_id", "tier"))
    snapshots = []
    for cid in codes:
        row = money.get(cid, NO_SHIPMENTS)
        rule_tier = by_rule.get(cid, RuleTier(Tier.POTENTIAL, False, None))
        trend = Trend(
            profit=row.profit,
            previous_profit=row.previous_profit,
            shipped=row.shipped,
            shipped_before=row.shipped_before,
            rule_tier=rule_tier.tier,
        )
        share = rule_tier.share_above
        snapshots.append(
            RankingSnapshot(
                run=run,
                as_of=as_of,
                year=year,
                customer_id=cid,
                revenue=row.revenue,
                cost=row.cost,
                profit=trend.profit,
                previous_profit=trend.previous_profit,
                shipped=trend.shipped,
                rank=ranks.get(cid),
                rule_tier=rule_tier.tier,
                tier=overrides.get(cid, rule_tier.tier),
                loss_making=rule_tier.loss_making,
                overridden=cid in overrides,
                share_above=None if share is None else share.quantize(SHARE_QUANTUM, ROUND_HALF_UP),
                lifecycle=lifecycle_class(trend, migrating_drop=settings.migrating_drop),
            )
        )
    RankingSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
    moved = _log_tier_moves(run, previous, snapshots)
    return {
        "as_of": as_of.isoformat(),
        "year": year,
        "customers": len(snapshots),
        "ranked": len(ranked),
        "tiers": _tally(s.tier for s in snapshots),
        "lifecycle": _tally(s.lifecycle for s in snapshots),
        "tier_changes": moved,
    }


def _log_tier_moves(run: JobRun, previous: JobRun | None, snapshots: list) -> int:
    """A TierChange for every customer whose tier differs from the previous run's."""
    if previous is None:
        return 0
    before = dict(RankingSnapshot.objects.filter(run=previous).values_list("customer_id", "tier"))
    now = timezone.now()
    changes = [
        TierChange(
            customer_id=s.customer_id,
            old_tier=before[s.customer_id],
            new_tier=s.tier,
            source=TierChange.Source.NIGHTLY,
            reason=f"Ranking run {run.pk} as of {s.as_of:%Y-%m-%d} ({s.year})",
            changed_at=now,
        )
        for s in snapshots
        if s.customer_id in before and before[s.customer_id] != s.tier
    ]
    TierChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(changes)


def _tally(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
