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
