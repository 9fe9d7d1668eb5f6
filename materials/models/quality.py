"""Quality control (品管课: 执行检验) of what comes into the warehouse: goods of an item marked
"inspect on receipt" land on inspection hold (待检: not usable, not in MRP's on-hand) until
quality accepts them (to usable), rejects them (to quarantine) or accepts part; rejected
purchased goods go back to the supplier with a return document (退货单)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, QuantityField

from .catalog import Item
from .purchasing import GoodsReceipt, PurchaseOrderLine, Supplier
from .stock import Warehouse


class InspectionKind(models.TextChoices):
    INCOMING = "incoming", _("incoming inspection")  # 来料检验 (IQC)
    FINAL = "final", _("final inspection")  # 成品检验 (FQC)


class InspectionStatus(models.TextChoices):
    ON_HOLD = "on_hold", _("on inspection hold")
    DONE = "done", _("inspected")
    CANCELLED = "cancelled", _("cancelled")


class InspectionLot(AuditedModel):
    """What one receipt put on inspection hold, and what quality decided of it so far."""

    number = models.CharField(_("inspection no."), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.ON_HOLD,
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity received"))
    accepted = QuantityField(_("accepted"))
    rejected = QuantityField(_("rejected"))
    goods_receipt = models.OneToOneField(
        GoodsReceipt,
        verbose_name=_("goods receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A finished-goods receipt (production, above this app) named by type, id and number.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    source_number = models.CharField(_("receipt no."), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inspection lot")
        verbose_name_plural = _("inspection lots")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inspection_quantity_gt_0"),
            models.CheckConstraint(
                condition=Q(accepted__gte=0)
                & Q(rejected__gte=0)
                & Q(quantity__gte=F("accepted") + F("rejected")),
                name="inspection_decided_le_quantity",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def on_hold(self):
        return self.quantity - self.accepted - self.rejected


class InspectionDecision(AuditedModel):
    """One decision of quality on a lot (append-only): how much was sampled, accepted,
    rejected and why."""

    lot = models.ForeignKey(InspectionLot, on_delete=models.PROTECT, related_name="decisions")
    sample_size = QuantityField(_("sample size"))
    defective_in_sample = QuantityField(_("defective in sample"))
    accepted = QuantityField(_("accepted"))
    rejected = QuantityField(_("rejected"))
    defect_reason = models.CharField(_("defect reason"), max_length=100, blank=True)
    notes = models.CharField(_("result / notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["lot", "created_at", "pk"]
        verbose_name = _("inspection decision")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted__gte=0) & Q(rejected__gte=0) & Q(sample_size__gte=0),
                name="inspection_decision_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(accepted__gt=0) | Q(rejected__gt=0),
                name="inspection_decision_decides_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}: +{self.accepted} / -{self.rejected}"


class SupplierReturn(AuditedModel):
    """Rejected purchased goods back to the supplier (退货单): out of quarantine; the
    purchase order line expects them again (its received quantity goes down)."""

    number = models.CharField(_("return no."), max_length=40, unique=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="returns")
    purchase_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="supplier_returns"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    lot = models.ForeignKey(
        InspectionLot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_returns",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("return to supplier")
        verbose_name_plural = _("returns to supplier")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplier_return_qty_gt_0"),
        ]

    def __str__(self) -> str:
        return self.number
