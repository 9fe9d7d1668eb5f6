"""Every stock change: a ledger row and the balance it changes, in one transaction, under a
row lock taken in primary-key order (no deadlocks), never below zero."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from erp.models import ZERO
from erp.numbers import plain as _fmt
from materials.errors import InsufficientStock
from materials.models import Item, Location, LocationKind, StockBalance, StockMove, Warehouse

COST_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class StockChange:
    item_id: int
    location_id: int
    quantity: Decimal  # signed: + in, - out
    unit_cost: Decimal | None = None  # cost of what comes in; None keeps the balance's cost


def ensure_locations(*, warehouse: Warehouse) -> dict[str, Location]:
    """Each warehouse has a usable and a quarantine location."""
    found = {loc.kind: loc for loc in warehouse.locations.all()}
    for kind in LocationKind.values:
        if kind not in found:
            found[kind] = Location.objects.get_or_create(warehouse=warehouse, kind=kind)[0]
    return found


def location_of(*, warehouse_code: str, kind: str = LocationKind.USABLE) -> Location:
    return Location.objects.select_related("warehouse").get(
        warehouse__code=warehouse_code, kind=kind
    )


def _average_cost(
    old_qty: Decimal, old_cost: Decimal, add_qty: Decimal, add_cost: Decimal
) -> Decimal:
    total = old_qty + add_qty
    if total <= 0:
        return add_cost
    return ((old_qty * old_cost + add_qty * add_cost) / total).quantize(COST_PLACES)


def apply_stock_changes(
    *,
    changes: Sequence[StockChange],
    kind: str,
    user=None,
    document_type: str = "",
    document_id: int | None = None,
    document_number: str = "",
    reason: str = "",
) -> list[StockMove]:
    """Apply signed changes to balances and append the ledger rows that explain them.

    Runs inside the caller's transaction (one is opened if there is none). Refuses with
    `InsufficientStock`, changing nothing, if any balance would go below zero.
    """
    changes = [c for c in changes if c.quantity != 0]
    if not changes:
        return []
    with transaction.atomic():
        pairs = sorted({(c.item_id, c.location_id) for c in changes})
        StockBalance.objects.bulk_create(
            [StockBalance(item_id=i, location_id=loc) for i, loc in pairs],
            ignore_conflicts=True,
        )
        balances = {
            (b.item_id, b.location_id): b
            for b in StockBalance.objects.select_for_update(no_key=True)
            .filter(item_id__in={i for i, _ in pairs}, location_id__in={loc for _, loc in pairs})
            .order_by("pk")
        }
        moves = []
        for change in changes:
            balance = balances[(change.item_id, change.location_id)]
            new_qty = balance.quantity + change.quantity
            if new_qty < 0:
                _refuse(balance, change)
            if change.quantity > 0 and change.unit_cost is not None:
                balance.unit_cost = _average_cost(
                    balance.quantity, balance.unit_cost, change.quantity, change.unit_cost
                )
            balance.quantity = new_qty
            moves.append(
                StockMove(
                    item_id=change.item_id,
                    location_id=change.location_id,
                    kind=kind,
                    quantity=change.quantity,
                    balance_after=new_qty,
                    unit_cost=change.unit_cost
                    if change.unit_cost is not None
                    else balance.unit_cost,
                    document_type=document_type,
                    document_id=document_id,
                    document_number=document_number,
                    reason=reason,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
            )
        # Small batches: one CASE statement per batch; PostgreSQL plans a huge one slowly.
        StockBalance.objects.bulk_update(
            balances.values(), ["quantity", "unit_cost", "updated_at"], batch_size=200
        )
        return StockMove.objects.bulk_create(moves, batch_size=2000)


def _refuse(balance: StockBalance, change: StockChange) -> None:
    item = Item.objects.only("code", "uom").get(pk=change.item_id)
    location = Location.objects.select_related("warehouse").get(pk=change.location_id)
    raise InsufficientStock(
        f"Not enough {item.code} in {location.warehouse.code} ({location.get_kind_display()}): "
        f"{_fmt(balance.quantity)} {item.uom} on hand, {_fmt(-change.quantity)} {item.uom} asked."
    )


def set_counted_stock(
    *,
    item: Item,
    location: Location,
    quantity: Decimal,
    unit_cost: Decimal | None,
    user=None,
    document_number: str = "",
    reason: str = "",
) -> StockMove | None:
    """A count: the balance becomes `quantity`; the ledger records the difference."""
    with transaction.atomic():
        StockBalance.objects.get_or_create(item=item, location=location)
        balance = StockBalance.objects.select_for_update(no_key=True).get(
            item=item, location=location
        )
        delta = quantity - balance.quantity
        if unit_cost is not None and delta == 0 and balance.unit_cost != unit_cost:
            balance.unit_cost = unit_cost
            balance.save(update_fields=["unit_cost", "updated_at"])
        if delta == 0:
            return None
        if unit_cost is not None:
            balance.unit_cost = unit_cost
            balance.save(update_fields=["unit_cost", "updated_at"])
        moves = apply_stock_changes(
            changes=[StockChange(item.pk, location.pk, delta, None)],
            kind="count",
            user=user,
            document_type="count",
            document_number=document_number,
            reason=reason,
        )
        return moves[0]


def usable_total(*, item_id: int) -> Decimal:
    from django.db.models import Sum

    total = StockBalance.objects.filter(
        item_id=item_id, location__kind=LocationKind.USABLE
    ).aggregate(s=Sum("quantity"))["s"]
    return total or ZERO
