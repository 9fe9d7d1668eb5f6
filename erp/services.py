"""Writes and reads shared by every app: audited saves of master records, document numbers,
notifications, users. The core imports no app above it (the home page's figures come from
the panels the apps register in erp.workqueue)."""

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


def records_keeping_users(*, user_ids) -> dict[int, list[tuple[str, int]]]:
    """Per user id: the records that name the user and must keep naming them (a foreign key
    with on_delete=PROTECT, e.g. the stock ledger's `created_by`), as (what, how many).
    Such a user cannot be deleted; they are deactivated instead. One query per relation."""
    from django.contrib.auth import get_user_model

    user_ids = list(user_ids)
    found: dict[int, list[tuple[str, int]]] = {}
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue  # not a relation pointing at the user
        if getattr(relation, "on_delete", None) not in (models.PROTECT, models.RESTRICT):
            continue
        model, column = relation.related_model, relation.field.name
        counts = (
            model._base_manager.filter(**{f"{column}__in": user_ids})
            .values_list(column)
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        for user_id, n in counts:
            label = model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural
            found.setdefault(user_id, []).append((str(label), n))
    return found


def user_delete_refusal(*, user, records: list[tuple[str, int]]) -> str:
    """Why `user` cannot be deleted, and what to do instead."""
    from django.utils.translation import gettext as _

    what = ", ".join(f"{n} {label}" for label, n in records)
    return _(
        "%(user)s cannot be deleted: %(what)s name this user, and those records keep who "
        "did what. Deactivate the user instead (untick “Active”, or the action “Deactivate "
        "selected users”): they can no longer log in and their history stays."
    ) % {"user": user.get_username(), "what": what}


@transaction.atomic
def users_deactivate(*, users) -> int:
    """Deactivate `users` (no login any more; every record naming them stays)."""
    from django.contrib.auth import get_user_model

    ids = [u.pk for u in users]
    return get_user_model().objects.filter(pk__in=ids, is_active=True).update(is_active=False)
