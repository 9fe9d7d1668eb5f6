"""Refusals of a slip collected row by row: the slip services check every row (input,
line state, BOM, limit, stock) before refusing, so the clerk and the API client see every
failing row at once. Still all or nothing: one refused row refuses the slip.

The refusal raised is the first row's own error (bad input, 400, before a limit or stock
conflict, 409) with `details` listing every failing row:
``{"row": n, "line": order line or None, "item": code, "code": kind, "message": text}``
plus ``"left"`` (what the limit or the stock still allows) for limits and stock."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from erp.errors import DomainError
from erp.numbers import plain as fmt
from materials.errors import InsufficientStock
from materials.models import Item, StockBalance
from materials.services.stock import StockChange
from orders.errors import (
    OrderStateError,
    PickLimitExceeded,
    ReplenishLimitExceeded,
    ReturnLimitExceeded,
    WorkOrderStateError,
)

# The kind of each refusal, for clients and for the page's own words.
CODES = [
    (PickLimitExceeded, "pick_limit"),
    (ReplenishLimitExceeded, "replenish_limit"),
    (ReturnLimitExceeded, "return_limit"),
    (InsufficientStock, "stock"),
    (OrderStateError, "state"),
    (WorkOrderStateError, "state"),
]


def refusal_code(error: DomainError) -> str:
    for cls, code in CODES:
        if isinstance(error, cls):
            return code
    return "input"


@dataclass
class RowProblem:
    rows: tuple[int, ...]  # 1-based positions in the request's lines
    error: DomainError
    item: str = ""
    line: int | None = None


@dataclass
class RowCheck:
    """`with refusals.row(...) as check:` collects a DomainError raised inside instead of
    letting it through; `check.refused` tells whether it did."""

    owner: "RowRefusals"
    rows: tuple[int, ...]
    item: str
    line: int | None
    refused: bool = False

    def __enter__(self) -> "RowCheck":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if isinstance(exc, DomainError):
            self.owner.problems.append(RowProblem(self.rows, exc, self.item, self.line))
            self.refused = True
            return True
        return False


@dataclass
class RowRefusals:
    problems: list[RowProblem] = field(default_factory=list)

    def row(self, rows: Iterable[int], *, item: str = "", line: int | None = None) -> RowCheck:
        return RowCheck(self, tuple(rows), item, line)

    def details(self) -> list[dict]:
        found = []
        for problem in self.problems:
            extra = problem.error.details if isinstance(problem.error.details, dict) else {}
            for n in problem.rows:
                found.append(
                    {
                        "row": n,
                        "line": problem.line,
                        "item": problem.item,
                        "code": refusal_code(problem.error),
                        "message": problem.error.message,
                        **extra,
                    }
                )
        return sorted(found, key=lambda d: d["row"])

    def raise_if_any(self) -> None:
        """Refuse the slip if any row was refused: bad input (400) first, then the first
        row's conflict (409); every failing row in `details`."""
        if not self.problems:
            return
        first = min(
            self.problems, key=lambda p: (p.error.status_code != 400, min(p.rows, default=0))
        )
        details = self.details()
        error = first.error
        if len(details) > 1:
            more = len(details) - 1
            error.message = (
                f"{error.message} ({more} more {'line' if more == 1 else 'lines'} refused, "
                "see errors.)"
            )
            error.args = (error.message,)
        error.details = details
        raise error


def left_details(left: Decimal) -> dict:
    return {"left": fmt(max(left, Decimal(0)))}


def check_stock(
    *,
    refusals: RowRefusals,
    changes: Sequence[StockChange],
    rows: Sequence[tuple[tuple[int, ...], str, int | None]],
    items: dict[int, Item],
    warehouse_code: str,
) -> None:
    """Mark every row whose item the warehouse lacks (the rows of one item together). A
    plain read: `apply_stock_changes` still refuses under its row locks if stock went
    meanwhile; this only names every short row at once."""
    taken: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for change in changes:
        if change.quantity < 0:
            taken[(change.item_id, change.location_id)] -= change.quantity
    if not taken:
        return
    balances = {
        (i, loc): qty
        for i, loc, qty in StockBalance.objects.filter(
            item_id__in={i for i, _ in taken}, location_id__in={loc for _, loc in taken}
        ).values_list("item_id", "location_id", "quantity")
    }
    for (item_id, location_id), asked in taken.items():
        on_hand = balances.get((item_id, location_id), Decimal(0))
        if asked <= on_hand:
            continue
        item = items[item_id]
        error = InsufficientStock(
            f"Not enough {item.code} in {warehouse_code} (usable): {fmt(on_hand)} {item.uom} "
            f"on hand, {fmt(asked)} {item.uom} asked.",
            details=left_details(on_hand),
        )
        for change, (row_numbers, code, line) in zip(changes, rows, strict=True):
            if change.item_id == item_id and change.location_id == location_id:
                refusals.problems.append(RowProblem(row_numbers, error, code, line))
