"""Quality records of the shop floor and after it (品管课): in-process checks against a work
order and a process, and nonconformance reports (不合格品报告) with their disposition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField


class InProcessCheck(AuditedModel):
    """A check of a work order's output at one process (巡检): how many were inspected and
    how many were defective, and why."""

    work_order = models.ForeignKey(
        "production.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    process = models.ForeignKey(
        "materials.Process", verbose_name=_("process"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    inspected = QuantityField(_("inspected"))
    defective = QuantityField(_("defective"))
    defect_reason = models.CharField(_("defect reason"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("in-process check")
        verbose_name_plural = _("in-process checks")
        constraints = [
            models.CheckConstraint(condition=Q(inspected__gt=0), name="check_inspected_gt_0"),
            models.CheckConstraint(
                condition=Q(defective__gte=0) & Q(defective__lte=models.F("inspected")),
                name="check_defective_0_inspected",
            ),
        ]
        indexes = [models.Index(fields=["process", "date"])]

    def __str__(self) -> str:
        return f"{self.work_order_id}/{self.process_id}: {self.defective}/{self.inspected}"


class NcrSource(models.TextChoices):
    INCOMING = "incoming", _("incoming inspection")
    FINAL = "final", _("final inspection")
    IN_PROCESS = "in_process", _("in-process check")
    CUSTOMER = "customer", _("customer complaint")
    OTHER = "other", _("other")


class Disposition(models.TextChoices):
    REWORK = "rework", _("rework")
    SCRAP = "scrap", _("scrap")
    USE_AS_IS = "use_as_is", _("use as is")
    RETURN = "return", _("return to supplier")


class NcrStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Nonconformance(AuditedModel):
    """A nonconformance report (不合格品报告): what was wrong, how much, why, and what was done
    with it. Its cost (quantity x standard cost) is for managers only."""

    number = models.CharField(_("NCR no."), max_length=40, unique=True)
    source = models.CharField(_("found at"), max_length=12, choices=NcrSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=NcrStatus.choices, default=NcrStatus.OPEN
    )
    item = models.ForeignKey(
        "materials.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = QuantityField(_("quantity"))
    defect_reason = models.CharField(_("defect reason"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    cost = MoneyField(_("cost"))
    inspection_lot = models.ForeignKey(
        "materials.InspectionLot",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier = models.ForeignKey(
        "materials.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_order = models.ForeignKey(
        "production.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    process = models.ForeignKey(
        "materials.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    complaint = models.ForeignKey(
        "crm.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    disposition = models.CharField(
        _("disposition"), max_length=10, choices=Disposition.choices, blank=True
    )
    disposition_note = models.CharField(_("disposition note"), max_length=300, blank=True)
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True, editable=False)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nonconformance report")
        verbose_name_plural = _("nonconformance reports")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ncr_quantity_gt_0"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="ncr_cost_gte_0"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.number
