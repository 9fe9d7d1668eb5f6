"""Quotations (报价单): the prices offered to a customer, valid until a date, turned into a
customer order in one step. Statuses move only through crm.services.quotations; `expired`
is never stored: an open quotation (draft, sent, accepted) past its validity is expired."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from erp.models import AuditedModel, MoneyField, QuantityField

CENT = Decimal("0.01")
PRICE_QUANTUM = Decimal("0.000001")
HUNDRED = Decimal(100)


class QuotationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("quotation", "draft")
    SENT = "sent", pgettext_lazy("quotation", "sent")
    ACCEPTED = "accepted", pgettext_lazy("quotation", "accepted")
    CONVERTED = "converted", pgettext_lazy("quotation", "converted to an order")
    # Computed from the validity, never stored (a check constraint says so).
    EXPIRED = "expired", pgettext_lazy("quotation", "expired")
    CANCELLED = "cancelled", pgettext_lazy("quotation", "cancelled")


# Statuses in which the quotation still stands (and expires when its validity ends).
OPEN_STATUSES = (QuotationStatus.DRAFT, QuotationStatus.SENT, QuotationStatus.ACCEPTED)
# What the customer has seen: these prices are the customer's (orders.pricing reads them).
GIVEN_STATUSES = (QuotationStatus.SENT, QuotationStatus.ACCEPTED)


def net_price(unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """The unit price after the line's discount, to 6 places (half up)."""
    net = unit_price * (HUNDRED - discount_percent) / HUNDRED
    return net.quantize(PRICE_QUANTUM, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """quantity x net price, to the cent (half up), as an invoice rounds a line."""
    return (quantity * net_price(unit_price, discount_percent)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


class Quotation(AuditedModel):
    number = models.CharField(_("quotation no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="quotations",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotations",
    )
    quote_date = models.DateField(_("quotation date"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=QuotationStatus.choices, default=QuotationStatus.DRAFT
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    # 交货期: the order's lines fall due this many days after the order date.
    delivery_days = models.PositiveSmallIntegerField(_("delivery (days after order)"), default=30)
    notes = models.TextField(_("notes / terms"), blank=True)
    # Sum of the lines' amounts, kept by the service whenever the lines are written.
    total = MoneyField(_("total"))
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.TextField(_("why cancelled"), blank=True)

    class Meta:
        ordering = ["-quote_date", "-number"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        indexes = [
            models.Index(fields=["customer", "-quote_date"]),
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["salesperson", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="quotation_number_not_blank"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("quote_date")), name="quotation_valid_after_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="expired"), name="quotation_expired_not_stored"
            ),
            models.CheckConstraint(
                condition=Q(status="converted", order__isnull=False) | ~Q(status="converted"),
                name="quotation_converted_has_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_expired(self, today: dt.date) -> bool:
        return self.status in OPEN_STATUSES and self.valid_until < today

    def shown_status(self, today: dt.date) -> str:
        """The status a person sees: expired when an open quotation's validity has ended."""
        return QuotationStatus.EXPIRED if self.is_expired(today) else self.status

    def shown_status_label(self, today: dt.date) -> str:
        return QuotationStatus(self.shown_status(today)).label


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField(_("line"))
    item = models.ForeignKey(
        "materials.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = QuantityField(_("quantity"))
    unit_price = MoneyField(_("unit price"))
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["quotation", "line"]
        verbose_name = _("quotation line")
        constraints = [
            models.UniqueConstraint(fields=["quotation", "line"], name="quotation_line_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="quotation_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quotation_line_price_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lt=100),
                name="quotation_line_discount_0_100",
            ),
        ]
        indexes = [models.Index(fields=["item"])]

    def __str__(self) -> str:
        return f"{self.quotation_id}/{self.line}"

    @property
    def net_price(self) -> Decimal:
        return net_price(self.unit_price, self.discount_percent)

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.unit_price, self.discount_percent)
