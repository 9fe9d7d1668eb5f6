import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from materials.errors import InsufficientStock
from materials.models import Location, StockBalance, StockMove
from materials.services.stock import StockChange, apply_stock_changes, set_counted_stock
from tests.factories import ItemFactory


def usable_main() -> Location:
    return Location.objects.get(warehouse__code="MAIN", kind="usable")


@pytest.mark.django_db
def test_a_move_writes_the_ledger_row_and_the_balance_together():
    item = ItemFactory(decimals=3, uom="kg")
    loc = usable_main()
    apply_stock_changes(
        changes=[StockChange(item.pk, loc.pk, Decimal("10.500"), Decimal("4"))],
        kind="receipt",
        document_number="GR-1",
    )
    apply_stock_changes(changes=[StockChange(item.pk, loc.pk, Decimal("-0.25"))], kind="pick")
    balance = StockBalance.objects.get(item=item, location=loc)
    assert balance.quantity == Decimal("10.25")
    moves = list(StockMove.objects.filter(item=item).order_by("id"))
    assert [m.quantity for m in moves] == [Decimal("10.5"), Decimal("-0.25")]
    assert [m.balance_after for m in moves] == [Decimal("10.5"), Decimal("10.25")]
    assert sum(m.quantity for m in moves) == balance.quantity


@pytest.mark.django_db
def test_stock_never_goes_negative_and_nothing_is_written_on_refusal():
    item = ItemFactory(code="BOLT")
    loc = usable_main()
    apply_stock_changes(changes=[StockChange(item.pk, loc.pk, Decimal("3"))], kind="receipt")
    other = ItemFactory(code="NUT")
    apply_stock_changes(changes=[StockChange(other.pk, loc.pk, Decimal("5"))], kind="receipt")
    with pytest.raises(InsufficientStock) as refused:
        apply_stock_changes(
            changes=[
                StockChange(other.pk, loc.pk, Decimal("-1")),
                StockChange(item.pk, loc.pk, Decimal("-4")),
            ],
            kind="pick",
        )
    assert "BOLT" in str(refused.value) and "3 pcs on hand, 4 pcs asked" in str(refused.value)
    assert StockBalance.objects.get(item=other).quantity == Decimal("5")
    assert StockMove.objects.filter(kind="pick").count() == 0


@pytest.mark.django_db
def test_receipts_average_the_unit_cost():
    item = ItemFactory()
    loc = usable_main()
    apply_stock_changes(
        changes=[StockChange(item.pk, loc.pk, Decimal("10"), Decimal("2"))], kind="receipt"
    )
    apply_stock_changes(
        changes=[StockChange(item.pk, loc.pk, Decimal("30"), Decimal("4"))], kind="receipt"
    )
    assert StockBalance.objects.get(item=item).unit_cost == Decimal("3.5")


@pytest.mark.django_db
def test_a_count_records_only_the_difference():
    item = ItemFactory()
    loc = usable_main()
    first = set_counted_stock(item=item, location=loc, quantity=Decimal("7"), unit_cost=None)
    assert first.quantity == Decimal("7")
    assert set_counted_stock(item=item, location=loc, quantity=Decimal("7"), unit_cost=None) is None
    second = set_counted_stock(item=item, location=loc, quantity=Decimal("4"), unit_cost=None)
    assert second.quantity == Decimal("-3") and second.balance_after == Decimal("4")


@pytest.mark.django_db
def test_the_database_refuses_negative_stock():
    item = ItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.create(item=item, location=usable_main(), quantity=Decimal("-1"))


@pytest.mark.django_db
def test_the_ledger_is_append_only_in_the_database():
    item = ItemFactory()
    loc = usable_main()
    (move,) = apply_stock_changes(
        changes=[StockChange(item.pk, loc.pk, Decimal("1"))], kind="receipt"
    )
    with pytest.raises(ValueError):
        move.save()
    with pytest.raises(ValueError):
        move.delete()
    assert connection.vendor == "postgresql"
    for sql in (
        "UPDATE materials_stockmove SET quantity = 5 WHERE id = %s",
        "DELETE FROM materials_stockmove WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [move.pk])
    assert StockMove.objects.get(pk=move.pk).quantity == Decimal("1")


@pytest.mark.django_db(transaction=True)
def test_two_clerks_cannot_both_take_the_last_units():
    """A real race on PostgreSQL: several threads, separate connections, one barrier."""
    item = ItemFactory(code="LAST")
    loc = usable_main()
    apply_stock_changes(changes=[StockChange(item.pk, loc.pk, Decimal("5"))], kind="receipt")
    clerks = 6
    barrier = threading.Barrier(clerks)
    outcomes: list[str] = []
    lock = threading.Lock()

    def clerk() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                apply_stock_changes(
                    changes=[StockChange(item.pk, loc.pk, Decimal("-2"))], kind="pick"
                )
            result = "ok"
        except InsufficientStock:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "ok"] + ["refused"] * (clerks - 2)
    balance = StockBalance.objects.get(item=item, location=loc)
    assert balance.quantity == Decimal("1")
    assert sum(m.quantity for m in StockMove.objects.filter(item=item)) == balance.quantity
