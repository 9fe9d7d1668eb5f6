"""Items, machines, processes (the defect-control table), BOMs and routings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField


class ItemKind(models.TextChoices):
    RAW = "raw", _("raw material")
    SEMI = "semi", _("semi-finished")
    FINISHED = "finished", _("finished product")


class Item(AuditedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    uom = models.CharField(_("unit"), max_length=20, default="pcs")
    decimals = models.PositiveSmallIntegerField(_("decimals of the unit"), default=0)
    standard_cost = MoneyField(_("standard cost"))
    list_price = MoneyField(_("list price"))
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    safety_stock = QuantityField(_("safety stock"))
    min_order_qty = QuantityField(_("minimum order quantity"))
    order_multiple = QuantityField(_("order multiple"))
    # Quality inspects it when it comes in (goods receipt or finished-goods receipt): the
    # goods wait on inspection hold until accepted.
    inspect_on_receipt = models.BooleanField(_("inspect on receipt"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="item_code_not_blank"),
            models.CheckConstraint(condition=Q(decimals__lte=6), name="item_decimals_0_6"),
            models.CheckConstraint(
                condition=Q(standard_cost__gte=0) & Q(list_price__gte=0),
                name="item_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(safety_stock__gte=0)
                & Q(min_order_qty__gte=0)
                & Q(order_multiple__gte=0),
                name="item_planning_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def quantum(self) -> Decimal:
        """The smallest quantity of this item's unit: 1, 0.1, 0.001 ..."""
        return Decimal(1).scaleb(-self.decimals)


class WorkCenter(AuditedModel):
    """A machine (机台) or group of machines where a process runs."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    hours_per_day = QuantityField(_("hours per day"), default=Decimal("8"))
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), default=6)

    class Meta:
        ordering = ["code"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="workcenter_code_not_blank"),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0) & Q(hours_per_day__lte=24),
                name="workcenter_hours_0_24",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1) & Q(days_per_week__lte=7),
                name="workcenter_days_1_7",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Process(AuditedModel):
    """A production step (工序) and its row of the defect-control table (不良控制比例)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    defect_rate = models.DecimalField(
        _("defect rate"), max_digits=7, decimal_places=6, default=Decimal("0")
    )
    work_center = models.ForeignKey(
        WorkCenter,
        verbose_name=_("machine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="process_code_not_blank"),
            models.CheckConstraint(
                condition=Q(defect_rate__gte=0) & Q(defect_rate__lt=1),
                name="process_defect_rate_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class BomLine(AuditedModel):
    """`quantity` of `component` per one unit of `parent`, consumed at `process`."""

    parent = models.ForeignKey(
        Item, verbose_name=_("parent"), on_delete=models.CASCADE, related_name="bom_lines"
    )
    component = models.ForeignKey(
        Item, verbose_name=_("component"), on_delete=models.PROTECT, related_name="used_in"
    )
    quantity = QuantityField(_("quantity per parent"))
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bom_lines",
    )

    class Meta:
        ordering = ["parent", "component"]
        verbose_name = _("BOM line")
        verbose_name_plural = _("BOM lines")
        constraints = [
            models.UniqueConstraint(fields=["parent", "component"], name="bom_parent_component"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bom_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(parent=F("component")), name="bom_not_own_component"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} <- {self.quantity} x {self.component_id}"


class Routing(AuditedModel):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="routings")
    seq = models.PositiveIntegerField(_("step"))
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="routings")
    work_center = models.ForeignKey(WorkCenter, on_delete=models.PROTECT, related_name="routings")
    minutes_per_unit = QuantityField(_("minutes per unit"))
    setup_minutes = QuantityField(_("setup minutes"))

    class Meta:
        ordering = ["item", "seq"]
        verbose_name = _("routing step")
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="routing_item_seq"),
            models.CheckConstraint(
                condition=Q(minutes_per_unit__gte=0) & Q(setup_minutes__gte=0),
                name="routing_minutes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.seq}"


class DefectRateChange(models.Model):
    """One change of a row of the defect-control table (不良控制比例表): who, when, the old
    and new rate and why. Requirements computed after it use the new rate; order lines open
    at that moment keep the rates of their time (`SalesOrderLine.material_rates_at`) until
    quality re-applies the table to them."""

    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="rate_changes"
    )
    old_rate = models.DecimalField(_("old rate"), max_digits=7, decimal_places=6)
    new_rate = models.DecimalField(_("new rate"), max_digits=7, decimal_places=6)
    reason = models.CharField(_("reason"), max_length=300)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when quality re-applied the table to the order lines open at the time.
    reapplied_at = models.DateTimeField(_("re-applied at"), null=True, blank=True)
    reapplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("defect rate change")
        verbose_name_plural = _("defect rate changes")
        indexes = [models.Index(fields=["process", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.old_rate} -> {self.new_rate}"
