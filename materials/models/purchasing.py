"""Suppliers, purchase requisitions, purchase orders and goods receipts."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField

from .catalog import Item
from .stock import Warehouse


class Supplier(AuditedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="supplier_code_not_blank")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class PurchaseOrder(AuditedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    po_no = models.CharField(_("purchase order no."), max_length=40, unique=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders")
    order_date = models.DateField(_("order date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-order_date", "po_no"]
        verbose_name = _("purchase order")
        constraints = [models.CheckConstraint(condition=~Q(po_no=""), name="po_no_not_blank")]

    def __str__(self) -> str:
        return self.po_no


class PurchaseOrderLine(AuditedModel):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.PositiveIntegerField(_("line"), default=1)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="purchase_lines")
    quantity = QuantityField(_("quantity"))
    due_date = models.DateField(_("due date"))
    received_quantity = QuantityField(_("received"))
    unit_price = MoneyField(_("unit price"))

    class Meta:
        ordering = ["purchase_order", "line"]
        constraints = [
            models.UniqueConstraint(fields=["purchase_order", "line"], name="po_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0) & Q(received_quantity__lte=F("quantity")),
                name="po_line_received_0_quantity",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="po_line_price_gte_0"),
        ]
        indexes = [models.Index(fields=["item", "due_date"])]

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.received_quantity


class PurchaseRequisition(AuditedModel):
    """物料申购单: the material controller asks purchasing to buy a shortfall."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ORDERED = "ordered", _("ordered")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("requisition no."), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # The customer orders whose shortfall this covers (order numbers; kept as text so
    # materials stays below orders in the app graph).
    source = models.CharField(_("for orders"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("purchase requisition")

    def __str__(self) -> str:
        return self.number


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        PurchaseRequisition, on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="requisition_lines")
    quantity = QuantityField(_("quantity"))
    need_date = models.DateField(_("needed by"))
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purchase_line = models.ForeignKey(
        PurchaseOrderLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requisition_lines",
    )

    class Meta:
        ordering = ["requisition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="requisition_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requisition_id}: {self.quantity} {self.item_id}"


class GoodsReceipt(AuditedModel):
    """入库: purchased goods received against a purchase order line (partial receipts allowed)."""

    number = models.CharField(_("receipt no."), max_length=40, unique=True)
    purchase_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipts"
    )
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    receipt_date = models.DateField(_("receipt date"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("goods receipt")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_quantity_positive")
        ]

    def __str__(self) -> str:
        return self.number
