"""Profit and customer tiers (CONTRACT.md section 5): the manager's tier rule, manual
overrides with their reason, the log of every tier change, and the nightly snapshots the
dashboard reads."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel

# Totals of many shipments: quantity (6 places) x price (6 places) stays exact.
TOTAL_DIGITS = 40
TOTAL_PLACES = 12


def TotalField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=TOTAL_DIGITS, decimal_places=TOTAL_PLACES, **kwargs
    )


def ShareField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """A fraction such as 0.70 (70 %)."""
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=4, **kwargs)


class Tier(models.TextChoices):
    VIP = "VIP", _("VIP")
    IMPORTANT = "IMPORTANT", _("important")
    NORMAL = "NORMAL", _("normal")
    POTENTIAL = "POTENTIAL", _("potential")


class Lifecycle(models.TextChoices):
    VALUE = "value", _("value")
    POTENTIAL = "potential", _("potential")
    MIGRATING = "migrating", _("migrating")
    FROZEN = "frozen", _("frozen")


class TierSettings(AuditedModel):
    """The manager's tier rule: one row. A customer is VIP while the profit share of the
    customers ranked above it is below `vip_share`, IMPORTANT while below `important_share`."""

    vip_share = ShareField(_("VIP below share"), default=Decimal("0.70"))
    important_share = ShareField(_("important below share"), default=Decimal("0.90"))
    # Lifecycle: a contribution that fell by this fraction or more from one year to the next.
    migrating_drop = ShareField(_("migrating when profit falls by"), default=Decimal("0.30"))

    class Meta:
        verbose_name = _("tier settings")
        verbose_name_plural = _("tier settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(vip_share__gt=0)
                & Q(vip_share__lte=F("important_share"))
                & Q(important_share__lte=1),
                name="tier_settings_shares_ordered",
            ),
            models.CheckConstraint(
                condition=Q(migrating_drop__gt=0) & Q(migrating_drop__lte=1),
                name="tier_settings_drop_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"VIP < {self.vip_share}, important < {self.important_share}"


class TierOverride(AuditedModel):
    """A manager's decision that beats the rule; `created_by` / `updated_by` say who."""

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="tier_override"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("tier override")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="tier_override_reason"),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="tier_override_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.tier}"


class TierChange(models.Model):
    """Every change of a customer's tier: an override set or removed, or a nightly run that
    moved it."""

    class Source(models.TextChoices):
        OVERRIDE = "override", _("manual override")
        OVERRIDE_REMOVED = "override_removed", _("override removed")
        NIGHTLY = "nightly", _("ranking run")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="tier_changes"
    )
    old_tier = models.CharField(_("from"), max_length=10, choices=Tier.choices, blank=True)
    new_tier = models.CharField(_("to"), max_length=10, choices=Tier.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("tier change")

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.old_tier or '-'} -> {self.new_tier}"


class RankingSnapshot(models.Model):
    """One customer in one ranking run: last full year's contribution, rank and tier."""

    run = models.ForeignKey("erp.JobRun", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    year = models.PositiveSmallIntegerField()
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    revenue = TotalField(_("revenue"))
    cost = TotalField(_("cost"))
    profit = TotalField(_("profit"))
    previous_profit = TotalField(_("previous year's profit"))
    shipped = models.BooleanField(default=False)  # any shipment in `year`
    rank = models.PositiveIntegerField(_("rank"), null=True)
    rule_tier = models.CharField(max_length=10, choices=Tier.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    loss_making = models.BooleanField(default=False)
    overridden = models.BooleanField(default=False)
    share_above = ShareField(null=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=10, choices=Lifecycle.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="ranking_snapshot_unique")
        ]
        indexes = [models.Index(fields=["run", "rank"])]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.customer_id}"


class MonthlyProfitSnapshot(models.Model):
    """The whole factory's revenue, cost and profit per month (the last 24 months up to the
    run's as-of date)."""

    run = models.ForeignKey("erp.JobRun", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    revenue = TotalField(_("revenue"))
    cost = TotalField(_("cost"))
    profit = TotalField(_("profit"))

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["run", "month"], name="monthly_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.month:%Y-%m}"


class ProductProfitSnapshot(models.Model):
    """One item's row of the product profit table for the ranking run's year."""

    run = models.ForeignKey("erp.JobRun", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    item = models.ForeignKey("materials.Item", on_delete=models.CASCADE, related_name="+")
    quantity = TotalField(_("quantity"))
    revenue = TotalField(_("revenue"))
    cost = TotalField(_("cost"))
    profit = TotalField(_("profit"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="product_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.item_id}"


def RateField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """A commission rate such as 0.025 (2.5 % of revenue)."""
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=4, **kwargs)


class MarginGrade(models.TextChoices):
    HIGH = "high", _("high margin")
    MEDIUM = "medium", _("medium margin")
    LOW = "low", _("low margin")


class CommissionPolicy(AuditedModel):
    """Products graded by margin (profit / revenue): high at or above `high_margin`, medium
    at or above `medium_margin`, else low; a commission rate of revenue per grade. One row."""

    high_margin = ShareField(_("high margin from"), default=Decimal("0.30"))
    medium_margin = ShareField(_("medium margin from"), default=Decimal("0.15"))
    rate_high = RateField(_("rate for high margin"), default=Decimal("0.0300"))
    rate_medium = RateField(_("rate for medium margin"), default=Decimal("0.0200"))
    rate_low = RateField(_("rate for low margin"), default=Decimal("0.0100"))

    class Meta:
        verbose_name = _("commission policy")
        verbose_name_plural = _("commission policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_margin__gte=0)
                & Q(medium_margin__lte=F("high_margin"))
                & Q(high_margin__lte=1),
                name="commission_margins_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rate_high__gte=0, rate_high__lte=1)
                & Q(rate_medium__gte=0, rate_medium__lte=1)
                & Q(rate_low__gte=0, rate_low__lte=1),
                name="commission_rates_fractions",
            ),
        ]

    def __str__(self) -> str:
        return f"high >= {self.high_margin}, medium >= {self.medium_margin}"

    def rate(self, grade: str) -> Decimal:
        return {"high": self.rate_high, "medium": self.rate_medium}.get(grade, self.rate_low)
