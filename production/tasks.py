import datetime as dt
import logging

from celery import shared_task
from django.contrib.auth import get_user_model

from erp.errors import ConflictError
from production.mrp.services import run_mrp

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300)
def nightly_mrp() -> int:
    """The nightly MRP run: the same service as `manage.py run_mrp` and the run-now button."""
    return run_mrp(trigger="nightly").pk


@shared_task(acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300)
def run_mrp_task(*, user_id: int | None = None, as_of: str | None = None) -> int | None:
    """A run asked for with the "run now" button or the API, when a worker runs tasks. A run
    already in progress makes it a no-op (that run's results are as fresh)."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        run = run_mrp(
            as_of=dt.date.fromisoformat(as_of) if as_of else None, trigger="run now", user=user
        )
    except ConflictError:
        log.info("MRP run asked for while another was in progress: skipped")
        return None
    return run.pk


@shared_task(acks_late=True, ignore_result=True, time_limit=1800)
def nightly_contact_slips() -> int:
    """Propose contact slips (联络单) for order lines behind plan, every night."""
    from django.utils import timezone

    from production.services.contact import contact_slips_propose

    return len(contact_slips_propose(user=None, as_of=timezone.localdate()))


@shared_task(acks_late=True, ignore_result=True, time_limit=600)
def escalate_portfolio_steps() -> int:
    """Move portfolio approvals that waited too long up the route (hourly)."""
    from production.services.portfolio import portfolio_escalate

    return portfolio_escalate()
