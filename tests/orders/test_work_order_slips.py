"""Slips against a work order: CONTRACT.md section 3 with the work order's quantity through
one BOM level as the requirement; every limit and refusal, who and when, query counts."""

from decimal import Decimal

import pytest

from erp.errors import ConflictError, DomainError
from materials.errors import InsufficientStock
from materials.models import BomLine, StockMove
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import (
    PickLimitExceeded,
    ReplenishLimitExceeded,
    ReturnLimitExceeded,
    WorkOrderStateError,
)
from orders.models import MaterialSlip, OrderMaterial, WorkOrderMaterial
from orders.selectors.work_order_material import work_order_material
from orders.services.slip_actions import issue_work_order_slip_and_refresh
from orders.services.slips import SlipLineInput, issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput as L
from orders.services.work_order_slips import issue_work_order_slip
from tests.factories import BomLineFactory, ItemFactory, WorkOrderFactory
from tests.orders.warehouse_support import location, moves_count, stock
from tests.orders.work_order_support import build_work_order_floor, wo_counters

D = Decimal


@pytest.fixture
def floor(db, make_user):
    return build_work_order_floor(make_user)


def slip(kind, *lines, user, wo_no="WO-S", **kwargs):
    return issue_work_order_slip(kind=kind, wo_no=wo_no, lines=list(lines), user=user, **kwargs)


def test_pick_up_to_the_work_orders_requirement_with_allowance(floor):
    clerk, r = floor["clerk"], floor["r"]
    first = slip("pick", L("R", D("40")), user=clerk)
    assert first.number.startswith("PK-")
    assert first.work_order == floor["wo_s"] and first.order is None
    slip("pick", L("R", D("2")), user=clerk)  # exactly the limit: 100 x 0.4 x 1.05 = 42
    assert wo_counters("WO-S", r).picked == D("42")
    assert stock(r) == D("458")
    with pytest.raises(PickLimitExceeded) as refused:
        slip("pick", L("R", D("0.001")), user=clerk)
    message = str(refused.value)
    assert "Pick refused for R on work order WO-S" in message
    assert "limit is 42 kg" in message and "42 kg already picked" in message
    assert "0 kg left" in message and "0.001 kg asked" in message


def test_a_pieces_limit_is_rounded_up_once(floor):
    clerk = floor["clerk"]
    slip("pick", L("S", D("15")), user=clerk, wo_no="WO-F")  # 7 x 2 x 1.02 = 14.28 -> 15
    with pytest.raises(PickLimitExceeded, match="limit is 15 pcs"):
        slip("pick", L("S", D("1")), user=clerk, wo_no="WO-F")


def test_only_direct_components_are_picked_for_a_work_order(floor):
    """R goes into S, which has a work order of its own: WO-F may not pick it."""
    with pytest.raises(DomainError, match="R is not a direct component of F") as refused:
        slip("pick", L("R", D("1")), user=floor["clerk"], wo_no="WO-F")
    assert refused.value.status_code == 400 and refused.value.field == "lines"


def test_the_requirement_is_the_whole_quantity_not_what_is_left_to_make(floor):
    wo = floor["wo_s"]
    wo.completed_quantity = D("60")
    wo.save()
    slip("pick", L("R", D("42")), user=floor["clerk"])


def test_every_direct_component_has_its_own_limit(floor):
    """A second direct component of S, on a line without a process (no allowance)."""
    glue = ItemFactory(code="G", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=floor["s"], component=glue, quantity=D("0.0314"), process=None)
    apply_stock_changes(changes=[StockChange(glue.pk, location().pk, D("10"))], kind="receipt")
    rows = {row.item.code: row for row in work_order_material(work_order=floor["wo_s"])}
    assert rows["G"].requirement == D("3.14") and rows["R"].requirement == D("42")
    slip("pick", L("G", D("3.14")), L("R", D("42")), user=floor["clerk"])
    with pytest.raises(PickLimitExceeded, match="limit is 3.14 kg"):
        slip("pick", L("G", D("0.001")), user=floor["clerk"])


def test_a_refused_slip_writes_nothing(floor):
    """The second line of the same item passes the limit: the whole slip is refused."""
    clerk, r, s = floor["clerk"], floor["r"], floor["s"]
    before = moves_count()
    with pytest.raises(PickLimitExceeded):
        slip("pick", L("S", D("10")), L("S", D("6")), user=clerk, wo_no="WO-F")
    with pytest.raises(PickLimitExceeded):
        slip("pick", L("R", D("10")), L("R", D("32.001")), user=clerk)
    assert MaterialSlip.objects.count() == 0 and moves_count() == before
    assert stock(r) == D("500") and stock(s) == D("500")
    assert not WorkOrderMaterial.objects.filter(picked__gt=0).exists()


def test_surplus_return_gives_the_pick_allowance_back(floor):
    clerk, r = floor["clerk"], floor["r"]
    slip("pick", L("R", D("42")), user=clerk)
    slip("return", L("R", D("5"), "surplus"), user=clerk)
    assert stock(r) == D("463") and stock(r, "quarantine") == D(0)
    slip("pick", L("R", D("5")), user=clerk)
    with pytest.raises(PickLimitExceeded):
        slip("pick", L("R", D("0.001")), user=clerk)


def test_defective_return_goes_to_quarantine_and_opens_replenishment(floor):
    clerk, r = floor["clerk"], floor["r"]
    slip("pick", L("R", D("42")), user=clerk)
    with pytest.raises(ReplenishLimitExceeded, match="0 kg left"):
        slip("replenish", L("R", D("1")), user=clerk)
    slip("return", L("R", D("3.5"), "defective"), user=clerk)
    assert stock(r, "quarantine") == D("3.5") and stock(r) == D("458")
    with pytest.raises(PickLimitExceeded):  # a defective return gives no pick allowance
        slip("pick", L("R", D("0.001")), user=clerk)
    slip("replenish", L("R", D("2")), user=clerk)
    slip("replenish", L("R", D("1.5")), user=clerk)
    with pytest.raises(ReplenishLimitExceeded, match="3.5 kg already replenished") as refused:
        slip("replenish", L("R", D("0.001")), user=clerk)
    assert "work order WO-S" in str(refused.value)
    c = wo_counters("WO-S", r)
    assert (c.picked, c.returned_defective, c.replenished) == (D("42"), D("3.5"), D("3.5"))
    assert stock(r) == D("454.5")


def test_a_return_cannot_exceed_what_the_work_order_holds(floor):
    clerk = floor["clerk"]
    slip("pick", L("R", D("10")), user=clerk)
    slip("return", L("R", D("4"), "defective"), user=clerk)
    slip("replenish", L("R", D("4")), user=clerk)
    slip("return", L("R", D("2"), "surplus"), user=clerk)
    # holds 10 + 4 - 2 - 4 = 8
    with pytest.raises(ReturnLimitExceeded, match="the work order holds 8 kg"):
        slip("return", L("R", D("8.001"), "surplus"), user=clerk)
    with pytest.raises(ReturnLimitExceeded, match="holds 0 pcs"):
        slip("return", L("S", D("1"), "surplus"), user=clerk, wo_no="WO-F")
    slip("return", L("R", D("8"), "defective"), user=clerk)


def test_a_pick_never_drives_stock_negative(floor):
    clerk, r = floor["clerk"], floor["r"]
    apply_stock_changes(changes=[StockChange(r.pk, location().pk, D("-495"))], kind="adjustment")
    with pytest.raises(InsufficientStock, match="5 kg on hand, 6 kg asked"):
        slip("pick", L("R", D("6")), user=clerk)
    assert not WorkOrderMaterial.objects.filter(picked__gt=0).exists()
    assert stock(r) == D("5")


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_nothing_is_issued_against_a_closed_work_order_but_returns_are_taken(floor, status):
    clerk = floor["clerk"]
    slip("pick", L("R", D("10")), user=clerk)
    wo = floor["wo_s"]
    wo.status = status
    wo.save()
    for kind in ("pick", "replenish"):
        with pytest.raises(WorkOrderStateError, match=f"WO-S is {status}") as refused:
            slip(kind, L("R", D("1")), user=clerk)
        assert isinstance(refused.value, ConflictError)  # the API answers 409
    slip("return", L("R", D("10"), "surplus"), user=clerk)
    assert wo_counters("WO-S", floor["r"]).held == D(0)


def test_a_planned_work_order_may_be_picked_for(floor):
    wo = WorkOrderFactory(wo_no="WO-P", item=floor["s"], quantity=D("10"), status="planned")
    slip("pick", L("R", D("4.2")), user=floor["clerk"], wo_no=wo.wo_no)


@pytest.mark.parametrize(
    ("kind", "line", "message"),
    [
        ("pick", L("NOPE", D("1")), "no item NOPE"),
        ("pick", L("R", D("0")), "greater than 0"),
        ("pick", L("R", D("-1")), "greater than 0"),
        ("pick", L("R", D("NaN")), "greater than 0"),
        ("pick", L("R", "abc"), "must be a number"),
        ("pick", L("R", D("1.0005")), "3 decimals"),
        ("pick", L("S", D("1")), "S is not a direct component of S"),
        ("return", L("R", D("1")), "defective or surplus"),
        ("return", L("R", D("1"), "stolen"), "defective or surplus"),
        ("pick", L("R", D("1"), "surplus"), "only a return has a reason"),
    ],
)
def test_bad_lines_are_refused_in_the_clerks_words(floor, kind, line, message):
    with pytest.raises(DomainError, match=message) as refused:
        slip(kind, line, user=floor["clerk"])
    assert refused.value.status_code == 400


def test_unknown_work_order_warehouse_kind_and_empty_slip(floor):
    clerk = floor["clerk"]
    with pytest.raises(DomainError, match="no work order WO-9") as refused:
        slip("pick", L("R", D("1")), user=clerk, wo_no="WO-9")
    assert refused.value.field == "work_order"
    with pytest.raises(DomainError, match="no warehouse WX"):
        slip("pick", L("R", D("1")), user=clerk, warehouse_code="WX")
    with pytest.raises(DomainError, match="Kind must be"):
        slip("steal", L("R", D("1")), user=clerk)
    with pytest.raises(DomainError, match="at least one line"):
        slip("pick", user=clerk)


def test_work_order_and_order_line_limits_are_counted_apart(floor):
    """The order line's counters and the work order's are separate rows: neither eats into
    the other's limit (WO-F serves SO1, whose line 1 has an S limit of 102)."""
    clerk = floor["clerk"]
    slip("pick", L("S", D("15")), user=clerk, wo_no="WO-F")
    issue_slip(kind="pick", order_no="SO1", lines=[SlipLineInput(1, "S", D("102"))], user=clerk)
    assert OrderMaterial.objects.get(item=floor["s"]).picked == D("102")
    assert wo_counters("WO-F", floor["s"]).picked == D("15")
    other = WorkOrderFactory(wo_no="WO-S2", item=floor["s"], quantity=D("10"))
    slip("pick", L("R", D("4.2")), user=clerk, wo_no=other.wo_no)
    slip("pick", L("R", D("42")), user=clerk)


def test_the_slip_records_who_when_and_the_ledger(floor):
    clerk, r = floor["clerk"], floor["r"]
    made = slip("pick", L("R", D("1.5")), L("R", D("1")), user=clerk, note="shift A")
    made.refresh_from_db()
    assert made.created_by == clerk and made.created_at is not None and made.note == "shift A"
    (line,) = made.lines.all()  # the same item twice is one line
    assert line.order_line is None and line.item == r and line.quantity == D("2.5")
    move = StockMove.objects.get(document_type="material_slip", document_id=made.pk)
    assert move.quantity == D("-2.5") and move.created_by == clerk


def test_the_action_asks_for_the_material_status_refresh(floor, monkeypatch):
    asked: list[list[int]] = []
    monkeypatch.setattr(
        "orders.services.slip_actions.refresh_material_status",
        lambda *, order_ids: asked.append(list(order_ids)),
    )
    for wo_no, item in (("WO-F", "S"), ("WO-S", "R")):
        issue_work_order_slip_and_refresh(
            kind="pick", wo_no=wo_no, lines=[L(item, D("1"))], user=floor["clerk"]
        )
    assert asked == [[floor["order"].pk], []]


def test_the_selector_shows_each_components_picture(floor):
    clerk = floor["clerk"]
    slip("pick", L("R", D("20")), user=clerk)
    slip("return", L("R", D("2"), "defective"), user=clerk)
    slip("replenish", L("R", D("1")), user=clerk)
    slip("return", L("R", D("3"), "surplus"), user=clerk)
    (row,) = work_order_material(work_order=floor["wo_s"])
    assert row.item.code == "R" and row.requirement == D("42")
    assert (row.picked, row.returned_surplus, row.returned_defective, row.replenished) == (
        D("20"),
        D("3"),
        D("2"),
        D("1"),
    )
    assert row.pick_remaining == D("25") and row.replenish_remaining == D("1")
    assert row.held == D("16") and row.usable is None
    (row,) = work_order_material(work_order=floor["wo_s"], warehouse_code="MAIN")
    assert row.usable == D("482")  # 500 - 20 + 3 surplus - 1 replenished


def test_the_selector_keeps_an_item_issued_but_no_longer_in_the_bom(floor):
    slip("pick", L("R", D("5")), user=floor["clerk"])
    BomLine.objects.filter(parent=floor["s"]).delete()
    (row,) = work_order_material(work_order=floor["wo_s"])
    assert row.requirement == D(0) and row.picked == D("5") and row.held == D("5")


def test_the_selector_is_a_fixed_number_of_queries(floor, django_assert_max_num_queries):
    for n in range(30):
        part = ItemFactory(code=f"PART{n}", kind="raw")
        BomLineFactory(parent=floor["s"], component=part, quantity=D("1"))
    with django_assert_max_num_queries(5):
        rows = work_order_material(work_order=floor["wo_s"], warehouse_code="MAIN")
    assert len(rows) == 31


def test_a_slip_of_many_lines_is_a_bounded_number_of_queries(floor, django_assert_max_num_queries):
    parts = []
    for n in range(20):
        part = ItemFactory(code=f"PART{n}", kind="raw")
        BomLineFactory(parent=floor["s"], component=part, quantity=D("1"))
        parts.append(part)
    apply_stock_changes(
        changes=[StockChange(p.pk, location().pk, D("100")) for p in parts], kind="receipt"
    )
    lines = [L(p.code, D("1")) for p in parts]
    with django_assert_max_num_queries(30):
        made = slip("pick", *lines, user=floor["clerk"])
    assert made.lines.count() == 20
