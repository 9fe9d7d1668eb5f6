"""Warehouses, their usable and quarantine locations, balances and the stock ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField

from .catalog import Item


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
    # 待检: received goods waiting for quality; not usable, not in MRP's on-hand.
    INSPECTION = "inspection", _("inspection hold")


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
    INSPECTION = "inspection", _("inspection decision")
    SUPPLIER_RETURN = "supplier_return", _("return to supplier")


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
    # PROTECT: the ledger keeps who made each move (SET_NULL would UPDATE an append-only
    # row); such a user is deactivated, not deleted (erp.services.records_keeping_users).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
