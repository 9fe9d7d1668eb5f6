"""Customer satisfaction surveys (客户满意度回访): a short survey of four questions scored 1 to 5
and a comment, sent after a delivery and every quarter to VIP customers, answered through
an unguessable link (no login, once, until it expires) or recorded by a salesperson on the
phone. The score of a survey is the mean of its four answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from erp.models import AuditedModel

# The questions, each scored 1 (very unhappy) to 5 (very happy): field name -> label.
SURVEY_QUESTIONS = (
    ("quality", _("Quality of the products")),
    ("delivery", _("Delivery on time and complete")),
    ("service", _("Service and communication")),
    ("overall", _("Overall satisfaction")),
)
SCORE_FIELDS = tuple(name for name, _label in SURVEY_QUESTIONS)


class SurveyTrigger(models.TextChoices):
    DELIVERY = "delivery", _("after a delivery")
    PERIODIC = "periodic", _("periodic (VIP)")
    PHONE = "phone", _("phone call")


class SurveyChannel(models.TextChoices):
    LINK = "link", _("survey link")
    PHONE = "phone", _("by phone")


def _score(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Survey(AuditedModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="surveys"
    )
    trigger = models.CharField(_("why sent"), max_length=10, choices=SurveyTrigger.choices)
    order = models.ForeignKey(
        "orders.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delivery_no = models.CharField(_("delivery no."), max_length=40, blank=True)
    # The first day of the quarter a periodic survey is for (one per customer and quarter).
    period_start = models.DateField(_("period"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    sent_on = models.DateField(_("sent on"))
    expires_on = models.DateField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    channel = models.CharField(
        _("answered"), max_length=10, choices=SurveyChannel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    respondent = models.CharField(_("answered by"), max_length=100, blank=True)
    quality = _score(_("quality"))
    delivery = _score(_("delivery"))
    service = _score(_("service"))
    overall = _score(_("overall"))
    comment = models.TextField(_("comment"), blank=True)
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("satisfaction survey")
        indexes = [
            models.Index(fields=["customer", "answered_at"]),
            models.Index(fields=["answered_at"]),
            models.Index(fields=["expires_on"]),
        ]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"survey_{name}_1_5",
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(
                    score__isnull=False,
                    quality__isnull=False,
                    delivery__isnull=False,
                    service__isnull=False,
                    overall__isnull=False,
                ),
                name="survey_answered_has_scores",
            ),
            models.UniqueConstraint(
                fields=["customer", "delivery_no"],
                condition=Q(trigger="delivery"),
                name="survey_one_per_delivery",
            ),
            models.UniqueConstraint(
                fields=["customer", "period_start"],
                condition=Q(trigger="periodic"),
                name="survey_one_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.get_trigger_display()} {self.sent_on}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def is_expired(self, today) -> bool:
        return not self.answered and self.expires_on < today

    def answers(self) -> list[tuple[str, int | None]]:
        """(question, score) in the survey's order."""
        return [(label, getattr(self, name)) for name, label in SURVEY_QUESTIONS]
