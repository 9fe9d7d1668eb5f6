"""Work orders: what the shop floor makes, and for which customer order."""

from decimal import Decimal

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
