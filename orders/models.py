"""Customer orders (客户订单), their lines and shipments."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONFIRMED = "confirmed", _("confirmed")
    IN_PRODUCTION = "in_production", _("in production")
    PARTLY_SHIPPED = "partly_shipped", _("partly shipped")
    SHIPPED = "shipped", _("shipped")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class LineStatus(models.TextChoices):
    OPEN = "open", _("open")
    CANCELLED = "cancelled", _("cancelled")
    CLOSED = "closed", _("closed")


class SalesOrder(AuditedModel):
    order_no = models.CharField(_("order no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    order_date = models.DateField(_("order date"))
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    customer_po = models.CharField(_("customer's PO no."), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-order_date", "order_no"]
        verbose_name = _("customer order")
        verbose_name_plural = _("customer orders")
        constraints = [models.CheckConstraint(condition=~Q(order_no=""), name="order_no_not_blank")]
        indexes = [models.Index(fields=["customer", "order_date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.order_no


class SalesOrderLine(AuditedModel):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField(_("line"), default=1)
    item = models.ForeignKey(
        "materials.Item",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    quantity = QuantityField(_("quantity"))
    unit_price = MoneyField(_("unit price"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.OPEN
    )
    specification = models.TextField(_("specification notes"), blank=True)
    # Kept by the shipment service in the same transaction as each shipment.
    shipped_quantity = QuantityField(_("shipped"))

    class Meta:
        ordering = ["order", "line"]
        verbose_name = _("order line")
        constraints = [
            models.UniqueConstraint(fields=["order", "line"], name="order_line_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price_gte_0"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__gte=0) & Q(shipped_quantity__lte=F("quantity")),
                name="order_line_shipped_0_quantity",
            ),
        ]
        indexes = [models.Index(fields=["item", "due_date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line}"

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.shipped_quantity


class Shipment(AuditedModel):
    """Goods shipped (出货) against an order line; its unit cost fixes the profit."""

    number = models.CharField(_("shipment no."), max_length=40, unique=True)
    order_line = models.ForeignKey(
        SalesOrderLine, on_delete=models.PROTECT, related_name="shipments"
    )
    ship_date = models.DateField(_("ship date"))
    quantity = QuantityField(_("quantity"))
    unit_cost = MoneyField(_("unit cost"))

    class Meta:
        ordering = ["-ship_date", "number"]
        verbose_name = _("shipment")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="shipment_cost_gte_0"),
        ]
        indexes = [
            models.Index(fields=["ship_date"]),
            models.Index(fields=["order_line", "ship_date"]),
        ]

    def __str__(self) -> str:
        return self.number
