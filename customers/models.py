"""The customer master: customers, their contacts (birthdays, preferences) and phone
numbers. Below orders in the dependency line; the relationship layer (crm) builds on it."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, MoneyField


def phone_digits(raw: str) -> str:
    """The digits a person would type to find a number: no spaces, dashes or country code."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and ((raw or "").strip().startswith("+") or len(digits) == 13):
        return digits[2:]
    return digits


class Customer(AuditedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )
    key_account = models.BooleanField(_("key customer"), default=False)
    # CONTRACT.md section 8: 0 = no limit; invoices fall due after payment_terms_days.
    credit_limit = MoneyField(_("credit limit"))
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes / preferences"), blank=True)

    class Meta:
        db_table = "crm_customer"  # the table kept its name when crm was split
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="customer_code_not_blank")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contact(AuditedModel):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    notes = models.TextField(_("notes / preferences"), blank=True)

    class Meta:
        db_table = "crm_contact"  # the table kept its name when crm was split
        ordering = ["customer", "name"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return self.name


class CustomerPhone(AuditedModel):
    """A customer may have several numbers; `digits` is what phone search matches."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("phone"), max_length=40)
    digits = models.CharField(max_length=40, db_index=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "crm_customerphone"  # the table kept its name when crm was split
        ordering = ["customer", "position", "id"]
        verbose_name = _("phone number")
        constraints = [models.CheckConstraint(condition=~Q(number=""), name="phone_not_blank")]

    def save(self, *args, **kwargs) -> None:
        self.digits = phone_digits(self.number)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.number
