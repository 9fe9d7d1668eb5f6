"""The Stock sheet is a stock count: each usable balance becomes the counted quantity.

Same rule as `materials.services.stock.set_counted_stock` (a given unit cost becomes the
balance's cost, the ledger records the difference, no move when nothing changed), done for
all rows at once: the balances are locked in one statement and the differences go through
`apply_stock_changes`, the one writer of the ledger.
"""

from materials.models import Location, LocationKind, MoveKind, StockBalance
from materials.services.stock import StockChange, apply_stock_changes
from reports.workbook.context import ImportContext, SheetCounts, chunks

DOCUMENT = "WORKBOOK"
REASON = "stock count from the factory workbook"
CHANGES_PER_CALL = 500


def write_stock(ctx: ImportContext) -> None:
    rows = ctx.rows("Stock")
    if not rows:
        return
    counts = ctx.counts.setdefault("Stock", SheetCounts())
    items = ctx.id_map("item")
    warehouses = ctx.id_map("warehouse")
    Location.objects.bulk_create(  # a warehouse made elsewhere may lack its locations
        [
            Location(warehouse_id=warehouses[code], kind=kind)
            for code in sorted({r.v["warehouse"] for r in rows})
            for kind in LocationKind.values
        ],
        ignore_conflicts=True,
    )
    usable = dict(
        Location.objects.filter(
            kind=LocationKind.USABLE, warehouse__code__in={r.v["warehouse"] for r in rows}
        ).values_list("warehouse__code", "id")
    )
    wanted = {(items[r.v["item"]], usable[r.v["warehouse"]]): r for r in rows}
    balances = _locked_balances(wanted)
    new = []
    for (item_id, location_id), row in wanted.items():
        if (item_id, location_id) not in balances:
            cost = row.v["unit_cost"]
            if cost is None:
                cost = ctx.item_value(row.v["item"], "standard_cost") or 0
            new.append(StockBalance(item_id=item_id, location_id=location_id, unit_cost=cost))
    if new:
        StockBalance.objects.bulk_create(new, batch_size=2000)
        counts.created += len(new)
        balances.update(_locked_balances({(b.item_id, b.location_id) for b in new}))
    created = {(b.item_id, b.location_id) for b in new}
    cost_changed, changes = [], []
    for pair, row in wanted.items():
        balance = balances[pair]
        cost = row.v["unit_cost"]
        delta = row.v["quantity"] - balance.quantity
        new_cost = cost is not None and cost != balance.unit_cost
        if new_cost:
            balance.unit_cost = cost
            balance.updated_at = ctx.now
            cost_changed.append(balance)
        if delta:
            changes.append(StockChange(pair[0], pair[1], delta, None))
        if pair in created:
            continue
        if delta or new_cost:
            counts.updated += 1
        else:
            counts.unchanged += 1
    if cost_changed:
        StockBalance.objects.bulk_update(
            cost_changed, ["unit_cost", "updated_at"], batch_size=CHANGES_PER_CALL
        )
    # bulk_update writes one CASE branch per row, which PostgreSQL evaluates for every row:
    # quadratic, minutes for 10,000 balances in one statement; a few hundred per call is fast.
    for start in range(0, len(changes), CHANGES_PER_CALL):
        apply_stock_changes(
            changes=changes[start : start + CHANGES_PER_CALL],
            kind=MoveKind.COUNT,
            user=ctx.user,
            document_type="count",
            document_number=DOCUMENT,
            reason=REASON,
        )


def _locked_balances(pairs) -> dict[tuple[int, int], StockBalance]:
    """The balances of `pairs`, locked against concurrent stock changes, in key order."""
    pairs = set(pairs)
    found: dict[tuple[int, int], StockBalance] = {}
    for part in chunks(sorted({item for item, _loc in pairs})):
        query = (
            StockBalance.objects.select_for_update(no_key=True)
            .filter(item_id__in=part, location_id__in={loc for _item, loc in pairs})
            .order_by("pk")
        )
        for balance in query:
            key = (balance.item_id, balance.location_id)
            if key in pairs:
                found[key] = balance
    return found
