"""Records of production's adjustments to an approved plan, of a salesperson's escalation of
a refused portfolio request with its financial case, and of the decisions on old accepted
orders never produced. Imported at the end of production/models.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel


class PlanAdjustment(AuditedModel):
    """One adjustment of an approved plan (当产量不达标时调整生产计划): the revision it made
    (in force at once), what kind, why, and what changed. created_by/at: who and when."""

    class Kind(models.TextChoices):
        MOVE = "move", _("move a quantity")
        SPLIT = "split", _("split a line")
        PUSH = "push", _("push a date")

    plan = models.OneToOneField(
        "production.ProductionPlan",
        verbose_name=_("revision made"),
        on_delete=models.CASCADE,
        related_name="adjustment",
    )
    kind = models.CharField(_("adjustment"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    summary = models.TextField(_("what changed"))
    # {"order_no", "line", "step", "item", "before": {...}, "after": [{...}], "moved": [...]}
    detail = models.JSONField(default=dict, blank=True)
    # Order lines the adjustment made finish after their due date, and the contact slips
    # (联络单) raised for them: [{"order_no", "line", "due_date", "end_date", "slip"}].
    late = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan adjustment")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.kind}"


class PortfolioCase(AuditedModel):
    """A salesperson escalates his refused portfolio request (an order he asked to include
    that stays out) to the manager with the financial case: words and figures."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the manager")
        GRANTED = "granted", _("granted: included")
        REFUSED = "refused", _("refused")

    line = models.ForeignKey(
        "production.PortfolioLine", on_delete=models.CASCADE, related_name="cases"
    )
    case = models.TextField(_("financial case"))
    # label -> amount (a decimal as text), e.g. {"order value": "120000.00"}
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        ordering = ["line", "-created_at", "-id"]
        verbose_name = _("portfolio escalation")
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(status="open"), name="portfolio_case_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.status}"


class StaleDealDecision(AuditedModel):
    """What was decided about an old accepted order line never produced: cancelled (by an
    order change notice) or kept, with the reason."""

    class Decision(models.TextChoices):
        CANCEL = "cancel", _("cancelled")
        KEEP = "keep", _("kept")

    order_line = models.ForeignKey(
        "orders.SalesOrderLine", on_delete=models.PROTECT, related_name="stale_decisions"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    order_change = models.ForeignKey(
        "orders.OrderChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision on an old order")
        indexes = [models.Index(fields=["order_line", "created_at"])]

    def __str__(self) -> str:
        return f"{self.order_line_id} {self.decision}"
