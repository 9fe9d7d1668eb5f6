"""Writes of customers and their phone numbers. Each function is one business
action, atomic, keyword-only, and records who and when."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from crm.models import Customer, CustomerPhone, phone_digits
from erp.services import save_audited

MAX_PHONE_LENGTH = CustomerPhone._meta.get_field("number").max_length


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
    """Change the customer's fields; `phones`, when given, replaces its own numbers."""
    _assign(customer, fields)
    save_audited(instance=customer, user=user)
    if phones is not None:
        customer_set_phones(customer=customer, user=user, numbers=phones)
    return customer


@transaction.atomic
def customer_delete(*, customer: Customer, user: AbstractBaseUser | None) -> None:
    """Deletes the customer with its contacts and numbers; refused while it has orders."""
    customer.delete()
