"""Writes of the tier rule: the manager's thresholds and manual overrides. Every change of a
customer's tier is logged in TierChange with who, when and why."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Customer
from erp.errors import DomainError
from reports.models import Tier, TierChange, TierOverride, TierSettings
from reports.profit.tiers import tier_of

MAX_REASON = 2000


def _share(value, field: str) -> Decimal:
    try:
        share = Decimal(str(value))
    except ArithmeticError:
        raise DomainError(_("Enter a fraction such as 0.70."), field=field) from None
    if not share.is_finite() or not (0 < share <= 1):
        raise DomainError(_("Enter a fraction above 0 and at most 1, such as 0.70."), field=field)
    if share != share.quantize(Decimal("0.0001")):
        raise DomainError(_("Use at most 4 decimal places (0.7125 is 71.25%)."), field=field)
    return share


@transaction.atomic
def tier_settings_update(
    *,
    user,
    vip_share: Decimal | str,
    important_share: Decimal | str,
    migrating_drop: Decimal | str | None = None,
) -> TierSettings:
    """Change the tier thresholds (fractions of the year's profit, e.g. 0.70 and 0.90)."""
    vip = _share(vip_share, "vip_share")
    important = _share(important_share, "important_share")
    if vip > important:
        raise DomainError(
            _("The VIP share (%(vip)s) cannot be above the important share (%(important)s).")
            % {"vip": vip, "important": important},
            field="vip_share",
        )
    settings = TierSettings.objects.select_for_update().filter(pk=1).first()
    settings = settings or TierSettings(pk=1)
    settings.vip_share, settings.important_share = vip, important
    if migrating_drop is not None:
        settings.migrating_drop = _share(migrating_drop, "migrating_drop")
    settings.stamp(user)
    settings.save()
    return settings


def _clean_tier(tier: str) -> str:
    if tier not in Tier.values:
        raise DomainError(
            _("Unknown tier %(tier)s; choose one of %(tiers)s.")
            % {"tier": tier, "tiers": ", ".join(Tier.values)},
            field="tier",
        )
    return tier


@transaction.atomic
def tier_override_set(*, customer: Customer, user, tier: str, reason: str) -> TierOverride:
    """Fix the customer's tier by hand; the reason and who set it are kept."""
    tier = _clean_tier(tier)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for overriding the tier."), field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("The reason is longer than %(n)s characters.") % {"n": MAX_REASON}, field="reason"
        )
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    before = tier_of(customer=customer).tier
    override = TierOverride.objects.filter(customer=customer).first()
    override = override or TierOverride(customer=customer)
    override.tier, override.reason = tier, reason
    override.stamp(user)
    override.save()
    TierChange.objects.create(
        customer=customer,
        old_tier=before,
        new_tier=tier,
        source=TierChange.Source.OVERRIDE,
        reason=reason,
        changed_by=_person(user),
    )
    return override


@transaction.atomic
def tier_override_remove(*, customer: Customer, user, reason: str = "") -> None:
    """Give the customer back to the rule; refused when there is no override."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    override = TierOverride.objects.filter(customer=customer).first()
    if override is None:
        raise DomainError(_("This customer's tier is not overridden."))
    override.delete()
    after = tier_of(customer=customer).tier
    TierChange.objects.create(
        customer=customer,
        old_tier=override.tier,
        new_tier=after,
        source=TierChange.Source.OVERRIDE_REMOVED,
        reason=(reason or "").strip()[:MAX_REASON],
        changed_by=_person(user),
    )


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None
