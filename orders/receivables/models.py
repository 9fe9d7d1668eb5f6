"""Receivables (应收账款): invoices from shipments, credit notes, payments and their
allocations (核销), and the credit approvals of orders (订单审核). CONTRACT.md section 8.

Documents are never edited once written: a wrong invoice is cancelled (only while nothing is
allocated to it) or corrected by a credit note; a wrong payment is reversed by a reversal
document. Every allocation is an append-only row; an invoice's `allocated_amount` and a
payment's or credit note's `allocated_amount` are kept in the same transaction, under a row
lock, like the stock balance and its ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField, QuantityField


def RateField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """A VAT rate as a fraction (0.13)."""
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=4, **kwargs)


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("open")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")


class Invoice(AuditedModel):
    """A sales invoice (销售发票) of one customer: shipped quantities, or an opening
    receivable imported from the workbook (sheet OpenInvoices, no lines)."""

    invoice_no = models.CharField(_("invoice no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    vat_invoice_no = models.CharField(_("VAT invoice no."), max_length=60, blank=True)
    vat_rate = RateField(_("VAT rate"))
    net_amount = MoneyField(_("net amount"))
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("gross amount"))
    # Sum of the invoice's allocation rows (payments and credit notes), kept with them.
    allocated_amount = MoneyField(_("allocated"))
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    # Imported from the OpenInvoices sheet: no lines, amount is the gross.
    opening = models.BooleanField(_("opening receivable"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    cancel_reason = models.CharField(_("cancel reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-invoice_date", "-invoice_no"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(condition=~Q(invoice_no=""), name="invoice_no_not_blank"),
            models.CheckConstraint(condition=Q(gross_amount__gte=0), name="invoice_gross_gte_0"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0) & Q(allocated_amount__lte=F("gross_amount")),
                name="invoice_allocated_0_gross",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("invoice_date")), name="invoice_due_after_date"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["invoice_date"]),
        ]

    def __str__(self) -> str:
        return self.invoice_no

    @property
    def open_amount(self):
        return self.gross_amount - self.allocated_amount


class InvoiceLine(models.Model):
    """Shipped quantity billed: quantity x the order line's unit price = net (0.01, half up)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    shipment = models.ForeignKey(
        "orders.Shipment",
        verbose_name=_("shipment"),
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    quantity = QuantityField(_("quantity"))
    unit_price = MoneyField(_("unit price"))
    net_amount = MoneyField(_("net amount"))

    class Meta:
        ordering = ["invoice", "pk"]
        verbose_name = _("invoice line")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="invoice_line_quantity_gt_0"),
            models.UniqueConstraint(
                fields=["invoice", "shipment"], name="invoice_line_shipment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.shipment_id} x {self.quantity}"


class CreditNoteReason(models.TextChoices):
    RETURN = "return", _("goods returned")
    PRICE = "price", _("price correction")
    OTHER = "other", _("other")


class CreditNote(AuditedModel):
    """A credit note (红字发票 / 贷项通知单): money the factory owes back on an invoice, for
    returned goods or a price correction. It is customer credit, allocated like a payment."""

    credit_note_no = models.CharField(_("credit note no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    date = models.DateField(_("date"))
    reason = models.CharField(
        _("reason"), max_length=10, choices=CreditNoteReason.choices, default=CreditNoteReason.OTHER
    )
    vat_invoice_no = models.CharField(_("VAT invoice no."), max_length=60, blank=True)
    vat_rate = RateField(_("VAT rate"))
    net_amount = MoneyField(_("net amount"))
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("gross amount"))
    allocated_amount = MoneyField(_("allocated"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-credit_note_no"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(condition=Q(gross_amount__gt=0), name="credit_note_gross_gt_0"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0) & Q(allocated_amount__lte=F("gross_amount")),
                name="credit_note_allocated_0_gross",
            ),
        ]
        indexes = [models.Index(fields=["customer", "date"])]

    def __str__(self) -> str:
        return self.credit_note_no

    @property
    def unallocated_amount(self):
        return self.gross_amount - self.allocated_amount


class CreditNoteLine(models.Model):
    """Returned quantity of an invoice line at its price, or a price correction (quantity x
    the price difference). Net (0.01, half up)."""

    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")
    invoice_line = models.ForeignKey(
        InvoiceLine,
        verbose_name=_("invoice line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note_lines",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = QuantityField(_("quantity"))
    unit_price = MoneyField(_("unit price"))
    net_amount = MoneyField(_("net amount"))

    class Meta:
        ordering = ["credit_note", "pk"]
        verbose_name = _("credit note line")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="credit_line_quantity_gt_0"),
            models.CheckConstraint(condition=Q(net_amount__gt=0), name="credit_line_net_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_note_id}: {self.net_amount}"


class PaymentStatus(models.TextChoices):
    POSTED = "posted", _("posted")
    REVERSED = "reversed", _("reversed")


class Payment(AuditedModel):
    """Money received from a customer (收款). What is not allocated to invoices is the
    customer's unallocated credit, used by the next invoice."""

    payment_no = models.CharField(_("payment no."), max_length=40, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    allocated_amount = MoneyField(_("allocated"))
    method = models.CharField(_("method"), max_length=40, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.POSTED
    )

    class Meta:
        ordering = ["-date", "-payment_no"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0) & Q(allocated_amount__lte=F("amount")),
                name="payment_allocated_0_amount",
            ),
        ]
        indexes = [models.Index(fields=["customer", "date"])]

    def __str__(self) -> str:
        return self.payment_no

    @property
    def unallocated_amount(self):
        return self.amount - self.allocated_amount


class PaymentReversal(AuditedModel):
    """Reverses a posted payment (a bounced transfer, a wrong customer): its allocations are
    undone by negative allocation rows, the payment is marked reversed. Never an edit."""

    reversal_no = models.CharField(_("reversal no."), max_length=40, unique=True)
    payment = models.OneToOneField(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="reversal"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-date", "-reversal_no"]
        verbose_name = _("payment reversal")
        verbose_name_plural = _("payment reversals")

    def __str__(self) -> str:
        return self.reversal_no


class Allocation(AuditedModel):
    """One append-only allocation row (核销): an amount of a payment or a credit note set
    against an invoice. A reversal writes the same row negated (with `reversal`)."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="allocations"
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    credit_note = models.ForeignKey(
        CreditNote,
        verbose_name=_("credit note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    reversal = models.ForeignKey(
        PaymentReversal,
        verbose_name=_("reversal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    # PROTECT: allocations are append-only on PostgreSQL (SET_NULL would UPDATE them when
    # a user is deleted); a user named here is deactivated instead.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(payment__isnull=False) & Q(credit_note__isnull=True))
                | (Q(payment__isnull=True) & Q(credit_note__isnull=False)),
                name="allocation_payment_xor_credit_note",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="allocation_amount_not_0"),
            models.CheckConstraint(
                condition=Q(amount__gt=0, reversal__isnull=True)
                | Q(amount__lt=0, reversal__isnull=False),
                name="allocation_negative_only_reversal",
            ),
        ]
        indexes = [models.Index(fields=["invoice", "date"])]

    def __str__(self) -> str:
        return f"{self.invoice_id} <- {self.amount}"


class CreditDecision(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class CreditApproval(AuditedModel):
    """An order stopped at confirmation by the credit check (订单审核), with the figures the
    manager decides on. Created by the confirmation; decided once."""

    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        on_delete=models.CASCADE,
        related_name="credit_approvals",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="credit_approvals",
    )
    order_value = MoneyField(_("order value incl. VAT"))
    exposure = MoneyField(_("exposure before the order"))
    credit_limit = MoneyField(_("credit limit"))
    overdue_days = models.IntegerField(_("days overdue (oldest invoice)"), default=0)
    over_limit = models.BooleanField(_("over the credit limit"), default=False)
    overdue = models.BooleanField(_("overdue too long"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=CreditDecision.choices, default=CreditDecision.PENDING
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
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("credit approval")
        verbose_name_plural = _("credit approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(decision="pending"),
                name="credit_approval_one_pending_per_order",
            )
        ]
        indexes = [models.Index(fields=["decision", "created_at"])]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.decision}"
