"""Writes and reads shared by every app: audited saves of master records, home counts."""

from typing import Any

from django.db import models, transaction

from erp.models import AuditedModel


@transaction.atomic
def save_audited(*, instance: AuditedModel, user, **fields: Any) -> AuditedModel:
    """Set `fields`, validate (model and database rules), stamp who and when, save."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.stamp(user)
    instance.save()
    return instance


def home_counts() -> dict[str, int]:
    from crm.models import Customer
    from materials.models import Item
    from orders.models import LineStatus, SalesOrderLine

    return {
        "items": Item.objects.count(),
        "customers": Customer.objects.count(),
        "open_order_lines": SalesOrderLine.objects.filter(status=LineStatus.OPEN)
        .filter(shipped_quantity__lt=models.F("quantity"))
        .count(),
    }


@transaction.atomic
def next_document_number(*, prefix: str, on=None) -> str:
    """The next number of a printed document, e.g. PK-2026-000042; never the same twice."""
    from django.utils import timezone

    from erp.models import DocumentSequence

    year = (on or timezone.localdate()).year
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(prefix=prefix, year=year)], ignore_conflicts=True
    )
    seq = DocumentSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{prefix}-{year}-{seq.last:06d}"


def notify(*, users, message: str, url: str = "") -> int:
    """Tell people in the app (and by e-mail where they have an address)."""
    from django.conf import settings
    from django.core.mail import send_mail

    from erp.models import Notification

    users = [u for u in users if u is not None]
    Notification.objects.bulk_create(Notification(user=u, message=message, url=url) for u in users)
    emails = sorted({u.email for u in users if u.email})
    if emails:
        transaction.on_commit(
            lambda: send_mail(
                subject=message[:80],
                message=message + (f"\n\n{url}" if url else ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=emails,
                fail_silently=True,
            )
        )
    return len(users)
