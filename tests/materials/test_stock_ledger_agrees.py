"""The ledger and the balances agree after any sequence of slips, receipts, shipments and
approved counts: for every item and location the moves add up to the balance, the last
move's balance_after is the balance, and nothing is ever negative. Refused documents
(limits, stock) leave no trace."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from erp.errors import DomainError
from materials.models import StockBalance, StockMove
from materials.services.adjustments import adjustment_approve, adjustment_request
from orders.services.shipments import ship
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from production.services import finished_goods_receipt
from tests.orders.warehouse_support import build_floor

D = Decimal


def assert_ledger_agrees() -> None:
    sums = {
        (row["item_id"], row["location_id"]): row["total"]
        for row in StockMove.objects.values("item_id", "location_id").annotate(
            total=Sum("quantity")
        )
    }
    balances = list(StockBalance.objects.all())
    assert {(b.item_id, b.location_id) for b in balances if b.quantity} <= set(sums)
    for balance in balances:
        key = (balance.item_id, balance.location_id)
        assert balance.quantity >= 0
        assert sums.get(key, D(0)) == balance.quantity, key
        last = (
            StockMove.objects.filter(item_id=balance.item_id, location_id=balance.location_id)
            .order_by("-id")
            .first()
        )
        if last is not None:
            assert last.balance_after == balance.quantity, key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_documents_keep_ledger_and_balances_in_step(db, make_user, seed):
    rnd = random.Random(seed)
    floor = build_floor(make_user)
    clerk, boss = floor["clerk"], floor["manager"]
    floor["order"].lines.filter(line=1).update(quantity=D("400"))  # room for many picks
    items = {"R": floor["r"], "S": floor["s"]}

    def quantity(item_code: str) -> Decimal:
        if item_code == "R":
            return D(rnd.randint(1, 40000)) / 1000
        return D(rnd.randint(1, 60))

    done = refused = 0
    for _ in range(60):
        step = rnd.choice(["pick", "pick", "return", "replenish", "receipt", "ship", "count"])
        code = rnd.choice(["R", "S"])
        line = rnd.choice([1, 2])
        moves_before = StockMove.objects.count()
        try:
            if step in ("pick", "replenish"):
                issue_slip(
                    kind=step, order_no="SO1", lines=[L(line, code, quantity(code))], user=clerk
                )
            elif step == "return":
                reason = rnd.choice(["defective", "surplus"])
                issue_slip(
                    kind="return",
                    order_no="SO1",
                    lines=[L(line, code, quantity(code), reason)],
                    user=clerk,
                )
            elif step == "receipt":
                finished_goods_receipt(
                    user=clerk, quantity=D(rnd.randint(1, 30)), order_line=floor["line1"]
                )
            elif step == "ship":
                ship(user=clerk, order_no="SO1", lines=[(1, D(rnd.randint(1, 40)))])
            else:
                adjustment = adjustment_request(
                    user=clerk,
                    item=items[code],
                    warehouse_code="MAIN",
                    counted_quantity=quantity(code) * 10,
                    reason="cycle count",
                    location_kind=rnd.choice(["usable", "quarantine"]),
                )
                if rnd.random() < 0.5:
                    issue_slip(
                        kind="pick", order_no="SO1", lines=[L(1, code, quantity(code))], user=clerk
                    )
                adjustment_approve(user=boss, adjustment=adjustment)
            done += 1
        except DomainError:
            refused += 1
            if step != "count":
                assert StockMove.objects.count() == moves_before
        assert_ledger_agrees()
    assert done > 20 and refused > 0
