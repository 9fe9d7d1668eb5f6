"""Items, BOMs, the defect-control table, machines and routings, warehouses, the stock
ledger, suppliers and purchase orders: the factory's master data and its material."""

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


class Warehouse(AuditedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="warehouse_code_not_blank")
        ]

    def __str__(self) -> str:
        return self.code


class LocationKind(models.TextChoices):
    USABLE = "usable", _("usable")
    QUARANTINE = "quarantine", _("quarantine")


class Location(models.Model):
    """A place in a warehouse. Each warehouse has one usable and one quarantine location;
    quarantine stock (returned defective material) is never issued."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="locations")
    kind = models.CharField(max_length=12, choices=LocationKind.choices)

    class Meta:
        ordering = ["warehouse", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "kind"], name="location_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id}:{self.kind}"


class StockBalance(models.Model):
    """What is in a location now. Changed only by `materials.services.stock` together
    with the ledger row that explains it, under a row lock."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    quantity = QuantityField(_("quantity"))
    unit_cost = MoneyField(_("unit cost"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="balance_item_location"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="stock_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.quantity}"


class MoveKind(models.TextChoices):
    COUNT = "count", _("stock count")
    RECEIPT = "receipt", _("goods receipt")
    FINISHED_RECEIPT = "finished_receipt", _("finished-goods receipt")
    PICK = "pick", _("pick")
    RETURN = "return", _("return")
    REPLENISH = "replenish", _("replenish")
    SHIPMENT = "shipment", _("shipment")
    ADJUSTMENT = "adjustment", _("adjustment")
    TRANSFER = "transfer", _("transfer")


class StockMove(models.Model):
    """The stock ledger: append-only. A row is never changed or deleted; a correction is a
    new row. `document` names the slip behind the move."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="moves")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(max_length=20, choices=MoveKind.choices)
    quantity = QuantityField(_("quantity"), help_text="signed: + in, - out")
    balance_after = QuantityField(_("balance after"))
    unit_cost = MoneyField(_("unit cost"))
    document_type = models.CharField(max_length=40, blank=True)
    document_id = models.BigIntegerField(null=True, blank=True)
    document_number = models.CharField(_("document"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["item", "location", "created_at"]),
            models.Index(fields=["document_type", "document_id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="move_quantity_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="move_balance_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} {self.quantity:+}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("The stock ledger is append-only: write a correcting move instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The stock ledger is append-only: write a correcting move instead.")


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


class StockAdjustment(AuditedModel):
    """A stock count that differs from the books: requested with a reason, applied only when a
    manager approves it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    number = models.CharField(_("adjustment no."), max_length=40, unique=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    counted_quantity = QuantityField(_("counted quantity"))
    book_quantity = QuantityField(_("book quantity when counted"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why a manager rejected the count, or what approving it did to a book that had moved.
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stock adjustment")
        permissions = [("approve_stockadjustment", "Can approve stock adjustments")]
        constraints = [
            models.CheckConstraint(
                condition=Q(counted_quantity__gte=0), name="adjustment_count_gte_0"
            )
        ]

    def __str__(self) -> str:
        return self.number
