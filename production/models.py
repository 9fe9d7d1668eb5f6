"""Work orders: what the shop floor makes, and for which customer order."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, QuantityField


class WorkOrder(AuditedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RELEASED = "released", _("released")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    wo_no = models.CharField(_("work order no."), max_length=40, unique=True)
    item = models.ForeignKey(
        "materials.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    completed_quantity = QuantityField(_("completed"))
    sales_order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RELEASED)

    class Meta:
        ordering = ["due_date", "wo_no"]
        verbose_name = _("work order")
        constraints = [
            models.CheckConstraint(condition=~Q(wo_no=""), name="wo_no_not_blank"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wo_quantity_positive"),
            models.CheckConstraint(
                condition=Q(completed_quantity__gte=0) & Q(completed_quantity__lte=F("quantity")),
                name="wo_completed_0_quantity",
            ),
        ]
        indexes = [models.Index(fields=["item", "due_date"])]

    def __str__(self) -> str:
        return self.wo_no

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.completed_quantity


class FinishedGoodsReceipt(AuditedModel):
    """成品入库: finished goods into the warehouse, against a work order or an order line."""

    number = models.CharField(_("receipt no."), max_length=40, unique=True)
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    order_line = models.ForeignKey(
        "orders.SalesOrderLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finished_receipts",
    )
    warehouse = models.ForeignKey("materials.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("finished-goods receipt")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="fg_receipt_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(work_order__isnull=False) | Q(order_line__isnull=False),
                name="fg_receipt_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MrpRun(models.Model):
    """One MRP run: who or what started it, as of which date, how it ended. Pages and
    reports show the latest succeeded run until the next one succeeds."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    as_of = models.DateField(_("as of"))
    trigger = models.CharField(_("started by"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("MRP run")

    def __str__(self) -> str:
        return f"MRP {self.as_of} {self.status}"


class PlannedOrder(models.Model):
    """A planned order of an MRP run: buy (a shortfall) or make."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase")
        PRODUCTION = "production", _("production")

    run = models.ForeignKey(MrpRun, on_delete=models.CASCADE, related_name="planned_orders")
    item = models.ForeignKey("materials.Item", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    release_date = models.DateField(_("release date"))
    late = models.BooleanField(_("late"), default=False)
    pegging = models.JSONField(_("for orders"), default=list, blank=True)

    class Meta:
        ordering = ["run", "due_date", "item"]
        verbose_name = _("planned order")
        indexes = [models.Index(fields=["run", "kind", "release_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="planned_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} {self.quantity} {self.due_date}"
