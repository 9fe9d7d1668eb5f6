"""Nightly overdue reminders: every customer with an invoice past its due date gets one open
follow-up (回访) for its salesperson, due today, naming the overdue invoices and their open
total, unless an open overdue follow-up of the customer is already waiting (idempotent).

Set-based: four queries and one bulk insert whatever the number of customers. Run nightly
by Celery beat (crm.tasks.nightly_overdue_reminders) and by `manage.py
overdue_reminders`, recorded as a JobRun ("overdue-reminders") like the other nightly jobs.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.models import FollowUp, FollowUpStatus
from erp.models import JobRun
from erp.roles import Role
from orders.receivables.models import Invoice, InvoiceStatus

JOB = "overdue-reminders"
# The purpose of every reminder starts so; an open follow-up starting so is "already waiting".
PURPOSE_PREFIX = "Overdue invoices:"
MAX_PURPOSE = FollowUp._meta.get_field("purpose").max_length
ZERO = Decimal(0)


def _purpose(numbers: list[str], total: Decimal, oldest_days: int) -> str:
    total = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    tail = f" — oldest {oldest_days} days past due, total {total}"
    shown: list[str] = []
    for n, number in enumerate(numbers):
        rest = len(numbers) - n - 1
        more = f" and {rest} more" if rest else ""
        candidate = ", ".join([*shown, number])
        if len(PURPOSE_PREFIX) + 1 + len(candidate) + len(more) + len(tail) > MAX_PURPOSE:
            break
        shown.append(number)
    hidden = len(numbers) - len(shown)
    listed = ", ".join(shown) + (f" and {hidden} more" if hidden else "")
    return f"{PURPOSE_PREFIX} {listed}{tail}"[:MAX_PURPOSE]


@transaction.atomic
def create_overdue_follow_ups(*, today: dt.date | None = None, by=None) -> dict:
    """One open follow-up per customer with overdue invoices and none waiting already. The
    owner is the customer's salesperson (an active manager when it has none). Returns counts:
    customers (with overdue invoices), created, already_open."""
    today = today or timezone.localdate()
    rows = (
        Invoice.objects.filter(due_date__lt=today, allocated_amount__lt=F("gross_amount"))
        .exclude(status=InvoiceStatus.CANCELLED)
        .order_by("customer_id", "due_date", "invoice_no")
        .values_list(
            "customer_id",
            "customer__salesperson_id",
            "customer__salesperson__is_active",
            "invoice_no",
            "due_date",
            "gross_amount",
            "allocated_amount",
        )
    )
    overdue: dict[int, dict] = {}
    for customer_id, owner_id, owner_active, number, due, gross, allocated in rows:
        entry = overdue.setdefault(
            customer_id,
            {
                "owner": owner_id if owner_active else None,
                "numbers": [],
                "total": ZERO,
                "oldest": due,
            },
        )
        entry["numbers"].append(number)
        entry["total"] += gross - allocated
    waiting = set(
        FollowUp.objects.filter(
            customer_id__in=list(overdue),
            status=FollowUpStatus.OPEN,
            purpose__startswith=PURPOSE_PREFIX,
        ).values_list("customer_id", flat=True)
    )
    todo = {pk: e for pk, e in overdue.items() if pk not in waiting}
    fallback = None
    if any(e["owner"] is None for e in todo.values()):
        fallback = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.MANAGER.value)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    new = []
    for customer_id in sorted(todo):
        entry = todo[customer_id]
        owner_id = entry["owner"] or fallback
        if owner_id is None:
            continue  # nobody to remind: no salesperson and no manager
        follow_up = FollowUp(
            customer_id=customer_id,
            owner_id=owner_id,
            due_date=today,
            purpose=_purpose(entry["numbers"], entry["total"], (today - entry["oldest"]).days),
        )
        follow_up.stamp(by)
        new.append(follow_up)
    FollowUp.objects.bulk_create(new)
    return {
        "as_of": today.isoformat(),
        "customers": len(overdue),
        "created": len(new),
        "already_open": len(waiting),
        "without_owner": len(todo) - len(new),
    }


def run_overdue_reminders(
    *, trigger: str = "manual", user=None, today: dt.date | None = None
) -> JobRun:
    """The reminders as a recorded job (one at a time); returns the run, succeeded or
    failed. Refuses with ConflictError while another run is in progress."""
    from reports.profit.runs import recorded_run

    return recorded_run(
        job=JOB,
        trigger=trigger,
        user=user,
        busy_message="The overdue reminders are already running; try again soon.",
        work=lambda run, previous: create_overdue_follow_ups(today=today, by=user),
        snapshot_models=(),
    )
