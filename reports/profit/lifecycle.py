"""Lifecycle classes (价值、潜力、迁移、冰点客户) from the trend of a customer's contribution
over the last two full calendar years. The first rule that matches decides; the same table is
shown on the dashboard, with the manager's migrating_drop filled in."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reports.models import Lifecycle, Tier


@dataclass(frozen=True)
class Trend:
    profit: Decimal  # last full year
    previous_profit: Decimal  # the year before
    shipped: bool  # any shipment in the last full year
    shipped_before: bool  # any shipment in the two years before the last full year
    rule_tier: str  # the tier by the rule, before any override


def lifecycle_class(trend: Trend, *, migrating_drop: Decimal) -> str:
    if not trend.shipped and trend.shipped_before:
        return Lifecycle.FROZEN
    if trend.previous_profit > 0 and trend.profit <= trend.previous_profit * (1 - migrating_drop):
        return Lifecycle.MIGRATING
    if trend.shipped and trend.profit > 0 and trend.rule_tier in (Tier.VIP, Tier.IMPORTANT):
        return Lifecycle.VALUE
    return Lifecycle.POTENTIAL


def lifecycle_rules(migrating_drop: Decimal) -> list[tuple[str, str]]:
    """(class label, rule) in the order they are tried, for the screen."""
    drop = f"{(migrating_drop * 100).normalize():f}%"
    return [
        (
            Lifecycle.FROZEN.label,
            _(
                "No shipment in the last full year, although it bought in the two years "
                "before (冰点)."
            ),
        ),
        (
            Lifecycle.MIGRATING.label,
            _("Profit in the last full year fell by %(drop)s or more from the year before (迁移).")
            % {"drop": drop},
        ),
        (
            Lifecycle.VALUE.label,
            _("Profitable last year and VIP or important by the tier rule (价值)."),
        ),
        (
            Lifecycle.POTENTIAL.label,
            _("Everyone else: new, growing, small or not yet buying (潜力)."),
        ),
    ]
