"""Customer orders (客户订单), their lines and shipments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    # Stopped at confirmation by the credit check (CONTRACT.md section 8): a manager decides.
    CREDIT_HOLD = "credit_hold", _("awaiting credit approval")
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


class MaterialStatus(models.TextChoices):
    UNKNOWN = "unknown", _("not checked")
    COVERED = "covered", _("covered")
    PARTLY = "partly", _("partly covered")
    SHORT = "short", _("short")


class SalesOrder(AuditedModel):
    order_no = models.CharField(_("order no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    order_date = models.DateField(_("order date"))
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    customer_po = models.CharField(_("customer's PO no."), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    material_status = models.CharField(
        _("material status"),
        max_length=10,
        choices=MaterialStatus.choices,
        default=MaterialStatus.UNKNOWN,
    )
    material_checked_at = models.DateTimeField(_("material checked at"), null=True, blank=True)
    # Set by an order change notice; the production plan clears it when it re-plans.
    replan_needed = models.BooleanField(_("re-plan needed"), default=False)
    # When the order left draft and by whom: the order's history shows it.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

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
    # Set when quality changed the defect-control table while this line was open: its
    # material requirement (the pick limit) keeps the rates of that moment until quality
    # re-applies the table. Empty = today's rates.
    material_rates_at = models.DateTimeField(
        _("defect rates as of"), null=True, blank=True, editable=False
    )

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
    # One delivery (出货单) may ship several lines; each line is a Shipment row.
    delivery_no = models.CharField(_("delivery no."), max_length=40, blank=True, db_index=True)
    warehouse = models.ForeignKey(
        "materials.Warehouse", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.ForeignKey(
        SalesOrderLine, on_delete=models.PROTECT, related_name="shipments"
    )
    ship_date = models.DateField(_("ship date"))
    quantity = QuantityField(_("quantity"))
    unit_cost = MoneyField(_("unit cost"))
    # Kept by the invoicing service with each invoice line (a quantity is invoiced once).
    invoiced_quantity = QuantityField(_("invoiced"))

    class Meta:
        ordering = ["-ship_date", "number"]
        verbose_name = _("shipment")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="shipment_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(invoiced_quantity__gte=0) & Q(invoiced_quantity__lte=F("quantity")),
                name="shipment_invoiced_0_quantity",
            ),
        ]
        indexes = [
            models.Index(fields=["ship_date"]),
            models.Index(fields=["order_line", "ship_date"]),
        ]

    def __str__(self) -> str:
        return self.number


class ChangeKind(models.TextChoices):
    CANCEL = "cancel", _("cancellation")
    DUE_DATE = "due_date", _("due-date change")
    QUANTITY = "quantity", _("quantity change")
    SPECIFICATION = "specification", _("specification change")


class OrderChange(AuditedModel):
    """An order change notice (订单变更通知单): what changed, why, who and when. It is
    applied when it is recorded; `before` keeps what the order said until then."""

    number = models.CharField(_("notice no."), max_length=40, unique=True)
    order = models.ForeignKey(SalesOrder, on_delete=models.PROTECT, related_name="changes")
    order_line = models.ForeignKey(
        SalesOrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    reason = models.TextField(_("reason"))
    new_due_date = models.DateField(_("new due date"), null=True, blank=True)
    new_quantity = QuantityField(_("new quantity"), null=True, blank=True, default=None)
    new_specification = models.TextField(_("new specification"), blank=True)
    before = models.JSONField(default=dict, blank=True)
    # What applying it did besides the change itself, in words: a line closed at its
    # shipped quantity instead of cancelled, material the warehouse must take back.
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order change notice")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_quantity__isnull=True) | Q(new_quantity__gt=0),
                name="change_quantity_positive",
            )
        ]

    def __str__(self) -> str:
        return self.number


class SlipKind(models.TextChoices):
    PICK = "pick", _("pick slip")
    RETURN = "return", _("return slip")
    REPLENISH = "replenish", _("replenish slip")


class ReturnReason(models.TextChoices):
    DEFECTIVE = "defective", _("defective")
    SURPLUS = "surplus", _("surplus")


class MaterialSlip(AuditedModel):
    """A warehouse slip against a customer order or a work order (exactly one of them):
    pick (领料单), return (退料单) or replenish (补料单). Written whole or not at all."""

    number = models.CharField(_("slip no."), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SlipKind.choices)
    order = models.ForeignKey(
        SalesOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="slips"
    )
    work_order = models.ForeignKey(
        "production.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="material_slips",
    )
    warehouse = models.ForeignKey(
        "materials.Warehouse", on_delete=models.PROTECT, related_name="material_slips"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("warehouse slip")
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, work_order__isnull=True)
                | Q(order__isnull=True, work_order__isnull=False),
                name="slip_order_xor_work_order",
            )
        ]

    def __str__(self) -> str:
        return self.number


class MaterialSlipLine(models.Model):
    slip = models.ForeignKey(MaterialSlip, on_delete=models.CASCADE, related_name="lines")
    # Empty on a work order's slip: the work order is the slip's.
    order_line = models.ForeignKey(
        SalesOrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="slip_lines"
    )
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=10, choices=ReturnReason.choices, blank=True)

    class Meta:
        ordering = ["slip", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="slip_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(reason="") | Q(reason__in=ReturnReason.values),
                name="slip_line_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slip_id}: {self.quantity} {self.item_id}"


class OrderMaterial(models.Model):
    """What has been issued of one item for one order line: the counters the pick and
    replenish limits of CONTRACT.md section 3 are checked against, under a row lock."""

    order_line = models.ForeignKey(
        SalesOrderLine, on_delete=models.CASCADE, related_name="materials"
    )
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    picked = QuantityField(_("picked"))
    returned_surplus = QuantityField(_("returned surplus"))
    returned_defective = QuantityField(_("returned defective"))
    replenished = QuantityField(_("replenished"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order_line", "item"], name="order_material_unique"),
            models.CheckConstraint(
                condition=Q(picked__gte=0)
                & Q(returned_surplus__gte=0)
                & Q(returned_defective__gte=0)
                & Q(replenished__gte=0),
                name="order_material_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    picked__gte=F("returned_surplus") + F("returned_defective") - F("replenished")
                ),
                name="order_material_holds_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(replenished__lte=F("returned_defective")),
                name="order_material_replenish_le_defective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id}/{self.item_id}"

    @property
    def held(self) -> Decimal:
        """What the order line still holds of the item."""
        return self.picked + self.replenished - self.returned_surplus - self.returned_defective


class WorkOrderMaterial(models.Model):
    """What has been issued of one item for one work order: the same counters and limits as
    `OrderMaterial`, the requirement being the work order's quantity through one BOM level
    (orders.services.work_order_slips)."""

    work_order = models.ForeignKey(
        "production.WorkOrder", on_delete=models.CASCADE, related_name="materials"
    )
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    picked = QuantityField(_("picked"))
    returned_surplus = QuantityField(_("returned surplus"))
    returned_defective = QuantityField(_("returned defective"))
    replenished = QuantityField(_("replenished"))

    class Meta:
        verbose_name = _("work order material")
        constraints = [
            models.UniqueConstraint(fields=["work_order", "item"], name="wo_material_unique"),
            models.CheckConstraint(
                condition=Q(picked__gte=0)
                & Q(returned_surplus__gte=0)
                & Q(returned_defective__gte=0)
                & Q(replenished__gte=0),
                name="wo_material_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    picked__gte=F("returned_surplus") + F("returned_defective") - F("replenished")
                ),
                name="wo_material_holds_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(replenished__lte=F("returned_defective")),
                name="wo_material_replenish_le_defective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id}/{self.item_id}"

    @property
    def held(self) -> Decimal:
        """What the work order still holds of the item."""
        return self.picked + self.replenished - self.returned_surplus - self.returned_defective


class LineMaterial(models.Model):
    """One row of CONTRACT.md section 3b: what one open order line takes of one item of its
    BOM tree, due first takes first, through every level. Written whole by each refresh
    (orders.services.availability); never edited by hand."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="+")
    order_line = models.ForeignKey(SalesOrderLine, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("materials.Item", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField(default=0, help_text="parents before children")
    made = models.BooleanField(default=False)
    need = QuantityField(_("need"))
    from_stock = QuantityField(_("from stock"))
    to_make = QuantityField(_("to make"))
    on_order = QuantityField(_("on order"))
    short = QuantityField(_("short"))

    class Meta:
        indexes = [models.Index(fields=["order", "order_line", "seq"])]

    def __str__(self) -> str:
        return f"{self.order_line_id}/{self.item_id}: {self.need}"


class MaterialAvailabilityState(models.Model):
    """The last refresh of the stored availability (one row): the fingerprint of the inputs
    it was computed from, so a reader knows whether it is still true."""

    fingerprint = models.CharField(max_length=400, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)
    lines = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"material availability as of {self.computed_at}"


# Receivables live in their own module, registered with this app.
from orders.models_pricing import MarginFloor  # noqa: E402, F401
from orders.models_returns import (  # noqa: E402, F401
    ReturnRequest,
    ReturnRequestLine,
    ReturnRequestStatus,
)
from orders.receivables.models import (  # noqa: E402, F401
    Allocation,
    CreditApproval,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentReversal,
)
