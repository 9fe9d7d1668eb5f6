"""The ranking run (nightly task, command, on demand): snapshots of rankings, tiers and
lifecycle classes equal to the live rule, recorded as a JobRun, one at a time, tier moves
logged."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from erp.errors import ConflictError
from erp.locks import exclusive_job
from erp.models import JobRun
from reports import tasks
from reports.models import (
    MonthlyProfitSnapshot,
    ProductProfitSnapshot,
    RankingSnapshot,
    TierChange,
)
from reports.profit import profit_snapshots, rankings, runs, services
from reports.profit.tiers import customer_tiers
from tests.crm.profit_data import customer, earn, ship

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 2, 1)


@pytest.fixture
def history():
    # A: VIP, value. B: steady. C: fell from 100 to 15 (migrating). L: loss-making.
    # F: bought in 2023 only (frozen). N: never bought (potential).
    earn("A", "60", on="2025-03-01")
    earn("B", "25", on="2025-04-01")
    earn("B", "25", on="2024-04-01")
    earn("C", "15", on="2025-05-01")
    earn("C", "100", on="2024-05-01")  # fell from 100 to 15: migrating
    earn("L", "-5", on="2025-06-01")
    earn("F", "40", on="2023-06-01")  # nothing since: frozen
    customer("N")  # never bought


def snapshot(run):
    return {
        s.customer.code: s
        for s in RankingSnapshot.objects.filter(run=run).select_related("customer")
    }


def test_snapshots_match_the_live_rule(history):
    run = rankings.compute_rankings(as_of=AS_OF)
    assert run.status == JobRun.Status.SUCCEEDED and run.job == "rankings"
    snap = snapshot(run)
    live = {row.code: row for row in customer_tiers(as_of=AS_OF)}
    assert set(snap) == set(live)
    for code, row in live.items():
        s = snap[code]
        assert (s.tier, s.loss_making, s.overridden, s.rank, s.profit) == (
            row.tier,
            row.loss_making,
            row.overridden,
            row.rank,
            row.profit,
        ), code
    assert snap["A"].share_above == Decimal("0") and snap["B"].share_above == Decimal("0.6")
    assert run.counts["ranked"] == 4 and run.counts["customers"] == 6
    assert run.counts["tiers"] == {"VIP": 2, "IMPORTANT": 1, "NORMAL": 1, "POTENTIAL": 2}


def test_lifecycle_classes(history):
    snap = snapshot(rankings.compute_rankings(as_of=AS_OF))
    assert {c: s.lifecycle for c, s in snap.items()} == {
        "A": "value",
        "B": "value",
        "C": "migrating",
        "L": "potential",
        "F": "frozen",
        "N": "potential",
    }
    assert snap["C"].previous_profit == Decimal("100")


def test_monthly_and_product_snapshots(history):
    earn("LATE", "7", on="2026-02-02")  # after the as-of date
    run = profit_snapshots.compute_profit_snapshots(as_of=AS_OF)
    assert run.job == "profit-snapshots" and run.status == JobRun.Status.SUCCEEDED
    months = list(MonthlyProfitSnapshot.objects.filter(run=run))
    # The 24 months up to February 2026: from March 2024 (F's June 2023 is too old).
    assert [m.month for m in months][0] == dt.date(2024, 4, 1)
    assert sum(m.profit for m in months) == Decimal("220")  # 25 + 100 + 60 + 25 + 15 - 5
    assert run.counts == {
        "as_of": "2026-02-01",
        "year": 2025,
        "months": 6,
        "products": 4,
        "seconds": run.counts["seconds"],
    }
    products = {p.item.code: p for p in ProductProfitSnapshot.objects.filter(run=run)}
    assert set(products) == {"P-A", "P-B", "P-C", "P-L"}  # 2025 only
    assert products["P-L"].profit == Decimal("-5")
    assert products["P-L"].quantity == Decimal("1")


def test_tier_moves_between_runs_are_logged(history, make_user):
    rankings.compute_rankings(as_of=AS_OF)
    assert not TierChange.objects.exists()  # the first run has nothing to compare with
    services.tier_settings_update(user=make_user("manager"), vip_share="0.5", important_share="0.9")
    TierChange.objects.all().delete()
    run = rankings.compute_rankings(as_of=AS_OF)
    (moved,) = TierChange.objects.all()
    assert (moved.customer.code, moved.old_tier, moved.new_tier, moved.source) == (
        "B",
        "VIP",
        "IMPORTANT",
        "nightly",
    )
    assert run.counts["tier_changes"] == 1


@pytest.mark.django_db(transaction=True)
def test_one_run_at_a_time():
    """While one run holds the lock (another connection), a second is refused at once."""
    holding, release = threading.Event(), threading.Event()

    def hold():
        with exclusive_job("rankings", busy_message="busy"):
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        with pytest.raises(ConflictError, match="already in progress"):
            rankings.compute_rankings(as_of=AS_OF)
        with pytest.raises(CommandError, match="already in progress"):
            call_command("compute_rankings")
    finally:
        release.set()
        thread.join()
    assert not JobRun.objects.exists()
    assert rankings.compute_rankings(as_of=AS_OF).status == JobRun.Status.SUCCEEDED


def test_a_failed_run_is_recorded_and_keeps_the_previous_snapshots(history, monkeypatch):
    good = rankings.compute_rankings(as_of=AS_OF)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rankings, "_log_tier_moves", broken)
    failed = rankings.compute_rankings(as_of=AS_OF)
    assert failed.status == JobRun.Status.FAILED and "disk full" in failed.error
    assert not RankingSnapshot.objects.filter(run=failed).exists()
    assert rankings.latest_ranking_run() == good


def test_the_nightly_tasks_call_the_services(monkeypatch):
    calls = []
    monkeypatch.setattr(
        tasks, "compute_rankings", lambda **kw: calls.append(("rankings", kw)) or JobRun(pk=7)
    )
    monkeypatch.setattr(
        tasks,
        "compute_profit_snapshots",
        lambda **kw: calls.append(("profit", kw)) or JobRun(pk=8),
    )
    assert tasks.nightly_rankings.delay().result == 7
    assert tasks.nightly_profit_snapshots.delay().result == 8
    assert calls == [("rankings", {"trigger": "nightly"}), ("profit", {"trigger": "nightly"})]


def test_the_nightly_tasks_run_for_real(history):
    for task in (tasks.nightly_rankings, tasks.nightly_profit_snapshots):
        run = JobRun.objects.get(pk=task())
        assert run.trigger == "nightly" and run.status == JobRun.Status.SUCCEEDED


def test_old_snapshots_are_forgotten(history, monkeypatch):
    monkeypatch.setattr(runs, "RUNS_KEPT", 2)
    done = [rankings.compute_rankings(as_of=AS_OF) for _ in range(3)]
    assert not RankingSnapshot.objects.filter(run=done[0]).exists()
    assert RankingSnapshot.objects.filter(run=done[2]).count() == 6
    assert JobRun.objects.filter(job="rankings").count() == 3


def test_the_command(history, capsys):
    call_command("compute_rankings", "--as-of", "2026-02-01")
    out = capsys.readouterr().out
    assert "6 customers, 4 ranked" in out and "VIP 2" in out
    assert "4 products of 2025" in out
    with pytest.raises(CommandError, match="not a date"):
        call_command("compute_rankings", "--as-of", "tomorrow")


def test_query_count_does_not_grow_with_customers(django_assert_max_num_queries):
    for n in range(40):
        ship(f"C{n:02d}", f"I{n % 5}", "1", price="10", cost=str(n % 13), on="2025-03-03")
        customer(f"P{n:02d}")
    with django_assert_max_num_queries(20):
        run = rankings.compute_rankings(as_of=AS_OF)
    assert run.counts["customers"] == 80
