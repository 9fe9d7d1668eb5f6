"""Writes of the customer master: customers, their phone numbers and their contacts (with
birthdays, preferences and numbers). Each function is one business action, atomic,
keyword-only, and records who and when. crm.services.customers re-exports the customer
functions for the API."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.access import CREDIT_TERMS_FIELDS, CREDIT_TERMS_REFUSED, may_set_credit_terms
from customers.models import Contact, Customer, CustomerPhone, phone_digits
from erp.errors import DomainError
from erp.services import save_audited

MAX_PHONE_LENGTH = CustomerPhone._meta.get_field("number").max_length
MAX_TERMS_DAYS = 3650  # the workbook's limit too (reports/workbook/spec.py)
MAX_CREDIT_LIMIT = Decimal("1000000000000")
CONTACT_FIELDS = ("name", "title", "email", "birthday", "notes")
MAX_AGE_YEARS = 120


class CreditTermsRefused(DomainError):
    """Someone other than a manager tried to set credit terms (HTTP 403)."""

    status_code = 403


def clean_credit_terms(fields: dict[str, Any]) -> dict[str, Any]:
    """The credit limit (money >= 0, to the cent; 0 = no limit) and payment terms (whole
    days, 0 to 3650) among `fields`, checked; other fields as given."""
    cleaned = dict(fields)
    if "credit_limit" in fields:
        try:
            limit = Decimal(str(fields["credit_limit"]).strip())
        except (InvalidOperation, ValueError):
            limit = None
        if limit is None or not limit.is_finite() or isinstance(fields["credit_limit"], bool):
            raise DomainError("The credit limit must be an amount of money.", field="credit_limit")
        if limit < 0:
            raise DomainError(
                "The credit limit cannot be negative (0 means no limit).", field="credit_limit"
            )
        if limit != limit.quantize(Decimal("0.01")) or limit >= MAX_CREDIT_LIMIT:
            raise DomainError(
                "The credit limit is money: at most 2 decimal places, below 10^12.",
                field="credit_limit",
            )
        cleaned["credit_limit"] = limit
    if "payment_terms_days" in fields:
        days = fields["payment_terms_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_TERMS_DAYS:
            raise DomainError(
                f"Payment terms are whole days from 0 to {MAX_TERMS_DAYS}.",
                field="payment_terms_days",
            )
    return cleaned


def check_credit_terms_change(*, customer: Customer, user, fields: dict[str, Any]) -> None:
    """Refuse (403) a change of the credit limit or payment terms by anyone but a manager or
    administrator; sending the current values is no change. A system action (no user) may."""
    changed = [
        name
        for name in CREDIT_TERMS_FIELDS
        if name in fields and fields[name] != getattr(customer, name)
    ]
    if changed and user is not None and not may_set_credit_terms(user):
        field = changed[0]
        raise CreditTermsRefused(
            CREDIT_TERMS_REFUSED.format(fields=", ".join(changed)), field=field
        )


def _assign(customer: Customer, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        customer._meta.get_field(name)  # FieldDoesNotExist for a caller's typo
        setattr(customer, name, value)


def clean_phone_numbers(numbers: Sequence[str]) -> list[str]:
    """The numbers as given, trimmed, in order, each once (by its digits). Raises
    ValidationError under `phones` naming every bad number."""
    errors, kept, seen = [], [], set()
    for position, raw in enumerate(numbers, start=1):
        number = (raw or "").strip()
        digits = phone_digits(number)
        if not digits:
            errors.append(f"Phone {position} (“{number}”) has no digits.")
        elif len(number) > MAX_PHONE_LENGTH:
            errors.append(f"Phone {position} is longer than {MAX_PHONE_LENGTH} characters.")
        elif digits not in seen:
            seen.add(digits)
            kept.append(number)
    if errors:
        raise ValidationError({"phones": errors})
    return kept


@transaction.atomic
def customer_set_phones(
    *, customer: Customer, user: AbstractBaseUser | None, numbers: Sequence[str]
) -> list[CustomerPhone]:
    """The customer's own numbers (not a contact's) become exactly `numbers`, in that order.
    Numbers that stay keep their history."""
    wanted = clean_phone_numbers(numbers)
    existing: dict[str, CustomerPhone] = {}
    for phone in customer.phones.filter(contact__isnull=True).order_by("position", "id"):
        existing.setdefault(phone.number, phone)
    kept_ids = []
    result = []
    for position, number in enumerate(wanted):
        phone = existing.pop(number, None) or CustomerPhone(customer=customer, number=number)
        if phone.pk is None or phone.position != position:
            phone.position = position
            phone.stamp(user)
            phone.save()
        kept_ids.append(phone.pk)
        result.append(phone)
    customer.phones.filter(contact__isnull=True).exclude(pk__in=kept_ids).delete()
    return result


@transaction.atomic
def customer_create(
    *,
    user: AbstractBaseUser | None,
    code: str,
    name: str,
    phones: Sequence[str] = (),
    **fields: Any,
) -> Customer:
    customer = Customer()
    fields = clean_credit_terms(fields)
    check_credit_terms_change(customer=customer, user=user, fields=fields)
    _assign(customer, {"code": code, "name": name, **fields})
    numbers = clean_phone_numbers(phones)
    save_audited(instance=customer, user=user)
    customer_set_phones(customer=customer, user=user, numbers=numbers)
    return customer


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    user: AbstractBaseUser | None,
    phones: Sequence[str] | None = None,
    **fields: Any,
) -> Customer:
    """Change the customer's fields; `phones`, when given, replaces its own numbers. Credit
    terms only by a manager or administrator."""
    fields = clean_credit_terms(fields)
    check_credit_terms_change(customer=customer, user=user, fields=fields)
    _assign(customer, fields)
    save_audited(instance=customer, user=user)
    if phones is not None:
        customer_set_phones(customer=customer, user=user, numbers=phones)
    return customer


@transaction.atomic
def customer_set_credit_terms(
    *, customer: Customer, user: AbstractBaseUser | None, credit_limit, payment_terms_days: int
) -> Customer:
    """A manager sets the customer's credit limit (0 = no limit) and payment terms."""
    fields = clean_credit_terms(
        {"credit_limit": credit_limit, "payment_terms_days": payment_terms_days}
    )
    check_credit_terms_change(customer=customer, user=user, fields=fields)
    if all(getattr(customer, name) == value for name, value in fields.items()):
        return customer
    _assign(customer, fields)
    save_audited(instance=customer, user=user)
    return customer


@transaction.atomic
def customer_delete(*, customer: Customer, user: AbstractBaseUser | None) -> None:
    """Deletes the customer with its contacts and numbers; refused while it has orders."""
    customer.delete()


def _clean_birthday(birthday: dt.date | None, *, today: dt.date) -> dt.date | None:
    if birthday is None:
        return None
    if birthday > today:
        raise DomainError(_("A birthday cannot be in the future."), field="birthday")
    if birthday.year < today.year - MAX_AGE_YEARS:
        raise DomainError(
            _("A birthday more than %(n)s years ago is a typing mistake.") % {"n": MAX_AGE_YEARS},
            field="birthday",
        )
    return birthday


def _contact_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown contact fields: {', '.join(sorted(unknown))}.")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if "name" in cleaned and not cleaned["name"]:
        raise DomainError(_("Give the contact's name."), field="name")
    if "birthday" in cleaned:
        cleaned["birthday"] = _clean_birthday(cleaned["birthday"], today=timezone.localdate())
    return cleaned


def contact_set_phones(
    *, contact: Contact, user: AbstractBaseUser | None, numbers: Sequence[str]
) -> list[CustomerPhone]:
    """The contact's numbers become exactly `numbers`, in that order (kept rows keep their
    history). A number is the customer's, with the contact named on it."""
    wanted = clean_phone_numbers(numbers)
    existing: dict[str, CustomerPhone] = {}
    for phone in contact.phones.order_by("position", "id"):
        existing.setdefault(phone.number, phone)
    kept_ids, result = [], []
    for position, number in enumerate(wanted):
        phone = existing.pop(number, None) or CustomerPhone(
            customer_id=contact.customer_id, contact=contact, number=number
        )
        if phone.pk is None or phone.position != position:
            phone.position = position
            phone.stamp(user)
            phone.save()
        kept_ids.append(phone.pk)
        result.append(phone)
    contact.phones.exclude(pk__in=kept_ids).delete()
    return result


@transaction.atomic
def contact_create(
    *,
    user: AbstractBaseUser | None,
    customer: Customer,
    name: str,
    phones: Sequence[str] = (),
    **fields: Any,
) -> Contact:
    """A person at the customer, with title, e-mail, birthday, preferences and numbers."""
    cleaned = _contact_fields({"name": name, **fields})
    numbers = clean_phone_numbers(phones)
    contact = save_audited(instance=Contact(customer=customer), user=user, **cleaned)
    contact_set_phones(contact=contact, user=user, numbers=numbers)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    user: AbstractBaseUser | None,
    phones: Sequence[str] | None = None,
    **fields: Any,
) -> Contact:
    """Change the contact's fields; `phones`, when given, replaces its numbers."""
    cleaned = _contact_fields(fields)
    numbers = clean_phone_numbers(phones) if phones is not None else None
    save_audited(instance=contact, user=user, **cleaned)
    if numbers is not None:
        contact_set_phones(contact=contact, user=user, numbers=numbers)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, user: AbstractBaseUser | None) -> None:
    """The contact goes with its numbers; contacts logged with it keep the record (the
    interaction forgets the person)."""
    contact.delete()
