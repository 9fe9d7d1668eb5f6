"""Follow-up visits and calls (回访): schedule one, mark it done (and schedule the next at
the customer's tier frequency), or cancel it."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crm.models import FollowUp, FollowUpFrequency, FollowUpStatus, Interaction
from customers.models import Customer
from customers.selectors import current_tier_code
from erp.errors import ConflictError, DomainError

# Days between follow-ups by tier when no FollowUpFrequency row says otherwise.
DEFAULT_FOLLOW_UP_DAYS = {"VIP": 14, "IMPORTANT": 30, "NORMAL": 60, "POTENTIAL": 90}
FALLBACK_DAYS = 60
MAX_PURPOSE = FollowUp._meta.get_field("purpose").max_length


def follow_up_days(tier: str | None) -> int:
    """How many days after today the next follow-up of a customer of `tier` falls due."""
    saved = FollowUpFrequency.objects.filter(tier=tier or "").values_list("every_days", flat=True)
    return next(iter(saved), None) or DEFAULT_FOLLOW_UP_DAYS.get(tier or "", FALLBACK_DAYS)


def _clean_purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Say what the follow-up is for."), field="purpose")
    if len(purpose) > MAX_PURPOSE:
        raise DomainError(
            _("The purpose is longer than %(n)s characters.") % {"n": MAX_PURPOSE},
            field="purpose",
        )
    return purpose


@transaction.atomic
def followup_schedule(
    *,
    user,
    customer: Customer,
    purpose: str,
    owner=None,
    due_date: dt.date | None = None,
    tier: str | None = None,
) -> FollowUp:
    """Schedule a follow-up; by default for the customer's salesperson (else the user), due
    after the tier's frequency."""
    owner = owner or customer.salesperson or (user if user.is_authenticated else None)
    if owner is None:
        raise DomainError(_("Choose who follows the customer up."), field="owner")
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=follow_up_days(tier))
    if due_date < today:
        raise DomainError(_("A follow-up cannot be due in the past."), field="due_date")
    followup = FollowUp(
        customer=customer, owner=owner, due_date=due_date, purpose=_clean_purpose(purpose)
    )
    followup.stamp(user)
    followup.save()
    return followup


def _open_locked(followup: FollowUp) -> FollowUp:
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if locked.status != FollowUpStatus.OPEN:
        raise ConflictError(
            _("This follow-up is already %(status)s.")
            % {"status": FollowUpStatus(locked.status).label}
        )
    return locked


@transaction.atomic
def followup_complete(
    *,
    followup: FollowUp,
    user,
    outcome: str,
    interaction: Interaction | None = None,
    schedule_next: bool = True,
    next_due_date: dt.date | None = None,
    tier: str | None = None,
) -> tuple[FollowUp, FollowUp | None]:
    """Mark the follow-up done with its outcome; schedule the next one (same owner, tier
    frequency unless a date is given). Returns (done, next or None)."""
    followup = _open_locked(followup)
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("Write down what came out of it."), field="outcome")
    if interaction is not None and interaction.customer_id != followup.customer_id:
        raise DomainError(_("That contact was with another customer."), field="interaction")
    followup.status = FollowUpStatus.DONE
    followup.done_at = timezone.now()
    followup.outcome = outcome
    followup.interaction = interaction
    followup.stamp(user)
    followup.save()
    following = None
    if schedule_next:
        following = followup_schedule(
            user=user,
            customer=followup.customer,
            purpose=followup.purpose,
            owner=followup.owner,
            due_date=next_due_date,
            tier=tier,
        )
    return followup, following


@transaction.atomic
def followup_cancel(*, followup: FollowUp, user, reason: str) -> FollowUp:
    followup = _open_locked(followup)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the follow-up is cancelled."), field="outcome")
    followup.status = FollowUpStatus.CANCELLED
    followup.outcome = reason
    followup.stamp(user)
    followup.save()
    return followup


FIRST_PURPOSE = gettext_noop("First follow-up (tier %(tier)s)")


@transaction.atomic
def schedule_first_followups(
    *, today: dt.date | None = None, user=None, customer_ids: Iterable[int] | None = None
) -> list[FollowUp]:
    """The first follow-up of every active customer that has a tier (customers.selectors)
    and an active salesperson but has never had a follow-up (open, done or cancelled), for
    its salesperson, due after the tier's interval. Safe to run again: a customer with any
    follow-up gets none (the candidates are locked while this runs)."""
    today = today or timezone.localdate()
    candidates = (
        Customer.objects.filter(is_active=True, salesperson__is_active=True)
        .exclude(Exists(FollowUp.objects.filter(customer=OuterRef("pk"))))
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if customer_ids is not None:
        candidates = candidates.filter(pk__in=list(customer_ids))
    every = dict(FollowUpFrequency.objects.values_list("tier", "every_days"))
    created = []
    for customer in candidates.only("pk", "salesperson_id"):
        tier = current_tier_code(customer_id=customer.pk)
        if not tier:
            continue
        days = every.get(tier) or DEFAULT_FOLLOW_UP_DAYS.get(tier, FALLBACK_DAYS)
        followup = FollowUp(
            customer_id=customer.pk,
            owner_id=customer.salesperson_id,
            due_date=today + dt.timedelta(days=days),
            purpose=_(FIRST_PURPOSE) % {"tier": tier},
        )
        followup.stamp(user)
        created.append(followup)
    return FollowUp.objects.bulk_create(created)
