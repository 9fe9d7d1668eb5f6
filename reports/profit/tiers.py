"""Customer tiers as of a date (CONTRACT.md section 5), from the last full calendar year
before it. Read-only: the rule's thresholds and the overrides are written by
reports.profit.services.

Customers with positive profit in the year, in ranking order, are VIP while the profit share
of the customers ranked above them is below `vip_share`, IMPORTANT while it is below
`important_share`, else NORMAL. Customers with shipments but profit <= 0 are NORMAL and
loss-making; customers without a shipment in the year are POTENTIAL. A manual override beats
the rule. Shares are compared exactly (no rounding): above < share x total."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from reports.models import Tier, TierOverride, TierSettings
from reports.profit.amounts import ZERO
from reports.profit.selectors import CustomerProfit, by_code, customer_profit


@dataclass(frozen=True)
class TierRule:
    vip_share: Decimal
    important_share: Decimal


@dataclass(frozen=True)
class RuleTier:
    tier: str
    loss_making: bool
    share_above: Decimal | None  # profit share of the customers ranked above (positive only)


@dataclass(frozen=True)
class CustomerTier:
    customer_id: int
    code: str
    name: str
    year: int
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    shipped: bool
    rank: int | None
    share_above: Decimal | None
    rule_tier: str
    tier: str
    loss_making: bool
    overridden: bool
    override_reason: str = ""
    override_by: str = ""
    override_at: dt.datetime | None = None

    def why(self, rule: TierRule) -> str:
        """The reason for the tier in a salesperson's words."""
        if self.overridden:
            return _("Set by %(who)s: %(reason)s") % {
                "who": self.override_by or _("a manager"),
                "reason": self.override_reason,
            }
        if not self.shipped:
            return _("No shipment in %(year)s.") % {"year": self.year}
        if self.loss_making:
            return _("Shipments in %(year)s earned no profit (loss-making).") % {"year": self.year}
        limit = rule.vip_share if self.tier == Tier.VIP else rule.important_share
        comparison = _("below") if self.tier != Tier.NORMAL else _("at or above")
        return _(
            "Ranked %(rank)s by profit in %(year)s; the customers above it earn %(share)s "
            "of the profit (%(comparison)s %(limit)s)."
        ) % {
            "rank": self.rank,
            "year": self.year,
            "share": percent_text(self.share_above or ZERO),
            "comparison": comparison,
            "limit": percent_text(limit),
        }


def percent_text(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))}%"


def tier_year(as_of: dt.date) -> int:
    """The last full calendar year before `as_of`."""
    return as_of.year - 1


def current_rule() -> TierRule:
    """The manager's thresholds, or the defaults (70 %, 90 %) while none are saved."""
    saved = TierSettings.objects.filter(pk=1).first() or TierSettings()
    return TierRule(vip_share=saved.vip_share, important_share=saved.important_share)


def rule_tiers(ranked: Sequence[CustomerProfit], rule: TierRule) -> dict[int, RuleTier]:
    """customer id -> tier by the rule, for the customers of one year's ranking."""
    positive = [row for row in ranked if row.profit > 0]
    total_profit = sum((row.profit for row in positive), ZERO)
    result: dict[int, RuleTier] = {}
    above = ZERO
    for row in positive:
        if above < rule.vip_share * total_profit:
            tier = Tier.VIP
        elif above < rule.important_share * total_profit:
            tier = Tier.IMPORTANT
        else:
            tier = Tier.NORMAL
        result[row.customer_id] = RuleTier(tier, False, above / total_profit)
        above += row.profit
    for row in ranked:
        if row.profit <= 0:
            result[row.customer_id] = RuleTier(Tier.NORMAL, True, None)
    return result


def customer_tiers(
    *, as_of: dt.date | None = None, rule: TierRule | None = None
) -> list[CustomerTier]:
    """Every customer's tier as of `as_of` (default today), by customer code. Four queries
    whatever the number of customers."""
    year, ranked, by_rule = _year_ranking(as_of, rule)
    overrides = {o.customer_id: o for o in _overrides()}
    customers = Customer.objects.order_by(by_code()).values_list("id", "code", "name")
    return [
        _tier_row(year, cid, code, name, ranked.get(cid), by_rule.get(cid), overrides.get(cid))
        for cid, code, name in customers
    ]


def tier_of(
    *, customer: Customer, as_of: dt.date | None = None, rule: TierRule | None = None
) -> CustomerTier:
    """One customer's tier (its rank still needs the whole year's ranking)."""
    year, ranked, by_rule = _year_ranking(as_of, rule)
    override = _overrides().filter(customer=customer).first()
    cid = customer.pk
    return _tier_row(
        year, cid, customer.code, customer.name, ranked.get(cid), by_rule.get(cid), override
    )


def _year_ranking(
    as_of: dt.date | None, rule: TierRule | None
) -> tuple[int, dict[int, CustomerProfit], dict[int, RuleTier]]:
    year = tier_year(as_of or timezone.localdate())
    ranked = customer_profit(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    by_rule = rule_tiers(ranked, rule or current_rule())
    return year, {row.customer_id: row for row in ranked}, by_rule


def _overrides():
    return TierOverride.objects.select_related("updated_by", "created_by")


def _tier_row(
    year: int,
    customer_id: int,
    code: str,
    name: str,
    money: CustomerProfit | None,
    by_rule: RuleTier | None,
    override: TierOverride | None,
) -> CustomerTier:
    by_rule = by_rule or RuleTier(Tier.POTENTIAL, False, None)
    who = override and (override.updated_by or override.created_by)
    return CustomerTier(
        customer_id=customer_id,
        code=code,
        name=name,
        year=year,
        revenue=money.revenue if money else ZERO,
        cost=money.cost if money else ZERO,
        profit=money.profit if money else ZERO,
        shipped=money is not None,
        rank=money.rank if money else None,
        share_above=by_rule.share_above,
        rule_tier=by_rule.tier,
        tier=override.tier if override else by_rule.tier,
        loss_making=by_rule.loss_making,
        overridden=override is not None,
        override_reason=override.reason if override else "",
        override_by=(who.get_full_name() or who.username) if who else "",
        override_at=override.updated_at if override else None,
    )


@dataclass(frozen=True)
class TierNow:
    """A customer's tier as the latest ranking run left it, with today's override (if any):
    what the customer 360 page shows without recomputing the year's ranking."""

    tier: str
    rule_tier: str | None
    year: int | None
    rank: int | None
    ranked: int | None
    share_above: Decimal | None
    loss_making: bool
    shipped: bool
    lifecycle: str | None
    override_reason: str
    override_by: str

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    def why(self, *, with_figures: bool) -> str:
        """The reason in words; profit figures (shares, loss-making) only `with_figures`."""
        if self.overridden:
            return _("Set by %(who)s: %(reason)s") % {
                "who": self.override_by or _("a manager"),
                "reason": self.override_reason,
            }
        if self.year is None:
            return _("Not ranked yet (the ranking runs every night).")
        if not self.shipped:
            return _("No shipment in %(year)s.") % {"year": self.year}
        if self.loss_making and with_figures:
            return _("Shipments in %(year)s earned no profit (loss-making).") % {"year": self.year}
        text = _("Ranked %(rank)s of %(ranked)s by profit contribution in %(year)s.") % {
            "rank": self.rank,
            "ranked": self.ranked,
            "year": self.year,
        }
        if with_figures and self.share_above is not None:
            text += " " + _("The customers above it earn %(share)s of the profit.") % {
                "share": percent_text(self.share_above)
            }
        return text


def current_tier(*, customer_id: int) -> TierNow | None:
    """From the latest successful ranking run and the live override; None when neither."""
    from reports.models import RankingSnapshot
    from reports.profit.runs import latest_run

    run = latest_run("rankings")
    snapshot = (
        RankingSnapshot.objects.filter(run=run, customer_id=customer_id).first() if run else None
    )
    override = _overrides().filter(customer_id=customer_id).first()
    if snapshot is None and override is None:
        return None
    who = override and (override.updated_by or override.created_by)
    return TierNow(
        tier=override.tier if override else snapshot.tier,
        rule_tier=snapshot.rule_tier if snapshot else None,
        year=snapshot.year if snapshot else None,
        rank=snapshot.rank if snapshot else None,
        ranked=run.counts.get("ranked") if snapshot else None,
        share_above=snapshot.share_above if snapshot else None,
        loss_making=snapshot.loss_making if snapshot else False,
        shipped=snapshot.shipped if snapshot else False,
        lifecycle=snapshot.lifecycle if snapshot else None,
        override_reason=override.reason if override else "",
        override_by=(who.get_full_name() or who.username) if who else "",
    )
