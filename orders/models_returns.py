"""Return requests (退料申请): the shop floor asks to give material back; the warehouse
confirms what arrived (a return slip is issued) or rejects the request with a reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, QuantityField


class ReturnRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for the warehouse")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class ReturnRequest(AuditedModel):
    number = models.CharField(_("request no."), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    work_order = models.ForeignKey(
        "production.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    warehouse = models.ForeignKey(
        "materials.Warehouse", on_delete=models.PROTECT, related_name="return_requests"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReturnRequestStatus.choices,
        default=ReturnRequestStatus.REQUESTED,
    )
    slip = models.OneToOneField(
        "orders.MaterialSlip",
        verbose_name=_("return slip"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_request",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, work_order__isnull=True)
                | Q(order__isnull=True, work_order__isnull=False),
                name="return_request_order_xor_work_order",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.number


class ReturnRequestLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    # Empty on a work order's request, as on its slips.
    order_line = models.ForeignKey(
        "orders.SalesOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey("materials.Item", on_delete=models.PROTECT, related_name="+")
    quantity = QuantityField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=10)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_request_line_quantity_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.item_id} x {self.quantity}"
