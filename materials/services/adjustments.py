"""Stock-count adjustments: the warehouse counts, finds the books wrong and asks with a
reason; a manager approves (the count becomes the balance) or rejects with a reason.
Nothing moves in stock until a manager approves."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.numbers import plain as fmt
from erp.services import next_document_number, notify
from materials.models import Item, Location, LocationKind, StockAdjustment, StockBalance
from materials.quantities import unit_refusal
from materials.services.stock import StockChange, apply_stock_changes

ADJUSTMENT_PREFIX = "ADJ"
APPROVE_PERMISSION = "materials.approve_stockadjustment"
ZERO = Decimal("0")
MAX_REASON = StockAdjustment._meta.get_field("reason").max_length


def may_approve(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(APPROVE_PERMISSION))


@transaction.atomic
def adjustment_request(
    *,
    user,
    item: Item,
    warehouse_code: str,
    counted_quantity,
    reason: str,
    location_kind: str = LocationKind.USABLE,
) -> StockAdjustment:
    """Ask to set the stock of `item` in a warehouse's usable (or quarantine) location to
    what was counted. Records the book quantity at the time of the count."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the count differs from the books.", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason has at most {MAX_REASON} characters.", field="reason")
    counted = _counted(item, counted_quantity)
    if location_kind not in LocationKind.values:
        raise DomainError("The location is usable or quarantine.", field="location")
    location = (
        Location.objects.select_related("warehouse")
        .filter(warehouse__code=warehouse_code, warehouse__is_active=True, kind=location_kind)
        .first()
    )
    if location is None:
        raise DomainError(f"There is no warehouse {warehouse_code}.", field="warehouse")
    book = (
        StockBalance.objects.filter(item=item, location=location)
        .values_list("quantity", flat=True)
        .first()
    )
    adjustment = StockAdjustment(
        number=next_document_number(prefix=ADJUSTMENT_PREFIX),
        item=item,
        location=location,
        counted_quantity=counted,
        book_quantity=book if book is not None else ZERO,
        reason=reason,
    )
    adjustment.stamp(user)
    adjustment.save()
    approvers = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="approve_stockadjustment")
            | Q(user_permissions__codename="approve_stockadjustment")
        )
        .distinct()
    )
    notify(
        users=list(approvers),
        message=(
            f"Stock adjustment {adjustment.number} waits for approval: {item.code} in "
            f"{location.warehouse.code} counted {fmt(counted)} {item.uom}, books say "
            f"{fmt(adjustment.book_quantity)}."
        ),
        url=_list_url(),
    )
    return adjustment


@transaction.atomic
def adjustment_approve(*, user, adjustment: StockAdjustment) -> StockAdjustment:
    """A manager approves: the counted quantity becomes the balance. If the books moved
    since the count, the count still wins; `decision_note` says what it changed."""
    if not may_approve(user):
        raise PermissionDenied("Only a manager may approve a stock adjustment.")
    adjustment = _lock_requested(adjustment)
    item, location = adjustment.item, adjustment.location
    StockBalance.objects.bulk_create(
        [StockBalance(item=item, location=location)], ignore_conflicts=True
    )
    balance = StockBalance.objects.select_for_update(no_key=True).get(item=item, location=location)
    book_now = balance.quantity
    delta = adjustment.counted_quantity - book_now
    if delta:
        apply_stock_changes(
            changes=[StockChange(item.pk, location.pk, delta, None)],
            kind="adjustment",
            user=user,
            document_type="stock_adjustment",
            document_id=adjustment.pk,
            document_number=adjustment.number,
            reason=adjustment.reason[:200],
        )
    uom = item.uom
    note = (
        f"The count {fmt(adjustment.counted_quantity)} {uom} is now the balance "
        f"({'+' if delta > 0 else ''}{fmt(delta)} {uom})."
    )
    if book_now != adjustment.book_quantity:
        note = (
            f"The books moved from {fmt(adjustment.book_quantity)} to {fmt(book_now)} {uom} "
            f"since the count. " + note
        )
    _decide(adjustment, StockAdjustment.Status.APPROVED, user, note)
    notify(
        users=[adjustment.created_by],
        message=f"Stock adjustment {adjustment.number} approved. {note}",
        url=_list_url(),
    )
    return adjustment


@transaction.atomic
def adjustment_reject(*, user, adjustment: StockAdjustment, reason: str) -> StockAdjustment:
    """A manager rejects the count with a reason; the stock stays as it is."""
    if not may_approve(user):
        raise PermissionDenied("Only a manager may reject a stock adjustment.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the adjustment is rejected.", field="reason")
    if len(reason) > 300:
        raise DomainError("The reason has at most 300 characters.", field="reason")
    adjustment = _lock_requested(adjustment)
    _decide(adjustment, StockAdjustment.Status.REJECTED, user, reason)
    notify(
        users=[adjustment.created_by],
        message=f"Stock adjustment {adjustment.number} rejected: {reason}",
        url=_list_url(),
    )
    return adjustment


def _counted(item: Item, value) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        counted = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(
            "The counted quantity must be a number.", field="counted_quantity"
        ) from None
    if not counted.is_finite() or counted < 0:
        raise DomainError("The counted quantity must be 0 or more.", field="counted_quantity")
    if refusal := unit_refusal(item, counted):
        raise DomainError(refusal, field="counted_quantity")
    if counted >= Decimal(10) ** 14:
        raise DomainError("The counted quantity is too large.", field="counted_quantity")
    return counted


def _lock_requested(adjustment: StockAdjustment) -> StockAdjustment:
    locked = (
        StockAdjustment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("item", "location__warehouse", "created_by", "decided_by")
        .get(pk=adjustment.pk)
    )
    if locked.status != StockAdjustment.Status.REQUESTED:
        who = locked.decided_by.username if locked.decided_by else "someone"
        raise ConflictError(
            f"Stock adjustment {locked.number} was already {locked.get_status_display()} by {who}."
        )
    return locked


def _decide(adjustment: StockAdjustment, status: str, user, note: str) -> None:
    adjustment.status = status
    adjustment.decided_by = user
    adjustment.decided_at = timezone.now()
    adjustment.decision_note = note[:300]
    adjustment.stamp(user)
    adjustment.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
            "updated_by",
        ]
    )


def _list_url() -> str:
    return reverse("materials:adjustment-list")
