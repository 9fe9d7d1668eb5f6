"""Customers, their contacts and phone numbers; every contact with them (interactions and
quoted prices), scheduled follow-ups, holidays to greet them on, and complaints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Contact, Customer
from erp.models import AuditedModel, MoneyField, QuantityField


class InteractionKind(models.TextChoices):
    CALL = "call", _("phone call")
    VISIT = "visit", _("visit")
    EMAIL = "email", _("e-mail")
    MESSAGE = "message", _("message")
    QUOTE = "quote", _("quote")


class ContactReason(models.TextChoices):
    """Why the customer and we spoke (接触分析): stored as a code, shown in the reader's
    language, so every contact can be counted, not only complaints."""

    ORDER_ENQUIRY = "order_enquiry", _("order enquiry")
    DELIVERY = "delivery", _("delivery")
    QUALITY = "quality", _("quality")
    PAYMENT = "payment", _("payment")
    QUOTATION = "quotation", _("quotation")
    COURTESY = "courtesy", _("courtesy / birthday")
    COMPLAINT = "complaint", _("complaint")
    SURVEY = "survey", _("satisfaction survey")
    OTHER = "other", _("other")


class Interaction(AuditedModel):
    """One contact with the customer, logged so the next person says the same thing. A quote
    keeps the prices given in its lines."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="interactions")
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ContactReason.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("what was said"), blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        indexes = [
            models.Index(fields=["customer", "-occurred_at"]),
            models.Index(fields=["occurred_at", "reason"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="interaction_subject_not_blank"),
            models.CheckConstraint(
                condition=Q(reason__in=ContactReason.values), name="interaction_reason_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


class QuoteLine(models.Model):
    """A price given to the customer in a quote: the next person quotes the same."""

    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="quote_lines"
    )
    item = models.ForeignKey(
        "materials.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    unit_price = MoneyField(_("unit price"))
    quantity = QuantityField(_("quantity"), null=True, blank=True, default=None)

    class Meta:
        ordering = ["interaction", "id"]
        verbose_name = _("quoted price")
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_price_gte_0"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="quote_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.unit_price}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class FollowUp(AuditedModel):
    """A scheduled follow-up visit or call (回访) with its owner and due date."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="follow_ups")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due date"))
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up")
        indexes = [models.Index(fields=["owner", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(condition=~Q(purpose=""), name="followup_purpose_not_blank"),
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False) | ~Q(status="done"),
                name="followup_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.due_date}"


class FollowUpFrequency(models.Model):
    """How often a customer of a tier is followed up (days); tiers without a row use
    crm.services.followups.DEFAULT_FOLLOW_UP_DAYS."""

    tier = models.CharField(
        _("tier"),
        max_length=10,
        unique=True,
        choices=[(t, t) for t in ("VIP", "IMPORTANT", "NORMAL", "POTENTIAL")],
    )
    every_days = models.PositiveSmallIntegerField(_("every (days)"))

    class Meta:
        verbose_name = _("follow-up frequency")
        constraints = [
            models.CheckConstraint(condition=Q(every_days__gt=0), name="followup_days_positive")
        ]

    def __str__(self) -> str:
        return f"{self.tier}: {self.every_days}"


class Holiday(models.Model):
    """A day the salespeople greet their customers on (春节, 中秋节 ...)."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        constraints = [
            models.UniqueConstraint(fields=["date", "name"], name="holiday_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="holiday_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("open")
    INVESTIGATING = "investigating", _("investigating")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class ComplaintSeverity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class ComplaintCategory(models.TextChoices):
    QUALITY = "quality", _("quality")
    DELIVERY = "delivery", _("delivery time")
    QUANTITY = "quantity", _("quantity")
    PACKAGING = "packaging", _("packaging")
    SERVICE = "service", _("service")
    BILLING = "billing", _("billing")
    OTHER = "other", _("other")


class Complaint(AuditedModel):
    """An after-sales case, tracked from the call to the customer's satisfaction score."""

    number = models.CharField(_("complaint no."), max_length=40, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints")
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    # A billing query (category billing) names the invoice it is about.
    invoice = models.ForeignKey(
        "orders.Invoice",
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    item = models.ForeignKey(
        "materials.Item",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=ComplaintSeverity.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    description = models.TextField(_("what the customer says"))
    root_cause = models.TextField(_("root cause"), blank=True)
    action = models.TextField(_("action taken"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("complaint")
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["status", "opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="complaint_description_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def resolution_time(self):
        """From the call to the resolution (None while unresolved)."""
        return self.resolved_at - self.opened_at if self.resolved_at else None

    @property
    def resolution_hours(self) -> float | None:
        time = self.resolution_time
        return None if time is None else round(time.total_seconds() / 3600, 1)


from crm.models_quotations import Quotation, QuotationLine  # noqa: E402, F401
from crm.models_satisfaction import Survey, SurveyChannel, SurveyTrigger  # noqa: E402, F401
