"""Pieces every app shares: who-and-when on every record, user preferences, job runs."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUANTITY_DIGITS = 20
QUANTITY_PLACES = 6
ZERO = Decimal("0")


def QuantityField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """A quantity: exact decimal, up to 6 places (an item's `decimals` says how many it uses)."""
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(
        verbose_name, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


def MoneyField(verbose_name=None, **kwargs) -> models.DecimalField:  # noqa: N802
    """Money per unit or in total: exact decimal, up to 6 places."""
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(
        verbose_name, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **kwargs
    )


class AuditedModel(models.Model):
    """Every record a person writes keeps who and when."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def stamp(self, user) -> None:
        """Record who wrote this record and when; call before every save a person causes."""
        now = timezone.now()
        user = user if getattr(user, "is_authenticated", False) else None
        if self._state.adding:
            self.created_at = now
            self.created_by = user
        self.updated_at = now
        self.updated_by = user


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erp_profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="", blank=True
    )

    class Meta:
        verbose_name = _("user profile")
        permissions = [
            ("view_profit", "Can see profit and cost figures"),
            ("import_workbook", "Can import the factory workbook"),
            ("export_workbook", "Can export the factory workbook"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"


class JobRun(models.Model):
    """One run of a heavy job (import, MRP, rankings): who or what started it and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    job = models.CharField(_("job"), max_length=50, db_index=True)
    trigger = models.CharField(_("started by"), max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("job run")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Notification(models.Model):
    """An in-app message to one person: an order changed, a slip needs a return, ..."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return self.message[:60]


class IdempotencyKey(models.Model):
    """A POST retried with the same `Idempotency-Key` header is answered from here, once
    applied."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return self.key


class DocumentSequence(models.Model):
    """Numbers for printed documents (PK-2026-000001): one row per prefix and year, taken
    under a row lock so two clerks never get the same number."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="document_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
