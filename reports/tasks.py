from celery import shared_task

from reports.profit.profit_snapshots import compute_profit_snapshots
from reports.profit.rankings import compute_rankings


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def nightly_rankings() -> int:
    """Rankings, tiers and lifecycle classes into the snapshot tables: the same service as
    `manage.py compute_rankings` and the dashboard's recompute button."""
    return compute_rankings(trigger="nightly").pk


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def nightly_profit_snapshots() -> int:
    """The dashboard's monthly profit trend and product profit table."""
    return compute_profit_snapshots(trigger="nightly").pk


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def rankings_on_demand(user_id: int | None = None) -> list[int]:
    """Both runs, for a manager who pressed "Recompute now" on the dashboard."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return [
        compute_rankings(trigger="dashboard", user=user).pk,
        compute_profit_snapshots(trigger="dashboard", user=user).pk,
    ]
