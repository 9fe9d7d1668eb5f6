"""Issue 14, the pick slip on the tablet: "pick all remaining" and "kit for N pcs" fill
the quantities from the pick limit's own figures (server side, Decimal, allowances and
rounding of CONTRACT.md section 3, capped at what is left); finished and cancelled rows
are hidden until asked for; the scan field; a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import selectors_slips as selectors
from orders.selectors import work_order_material as wo_selectors
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput as WL
from orders.services.work_order_slips import issue_work_order_slip
from tests.factories import SalesOrderFactory, SalesOrderLineFactory
from tests.orders.work_order_support import build_work_order_floor

D = Decimal


@pytest.fixture
def floor(db, make_user):
    return build_work_order_floor(make_user)


@pytest.fixture
def clerk(client, floor):
    client.force_login(floor["clerk"])
    return client


def rows_of(order_no: str = "SO1"):
    order = selectors.order_by_number(order_no=order_no)
    return selectors.order_material_rows(order=order)


def by_key(floor, quantities: dict) -> dict:
    """{(line, item code): quantity} from {row key: quantity}."""
    names = {f"{line}-{floor[c.lower()].pk}": (line, c) for line in (1, 2) for c in "RS"}
    return {names[k]: v for k, v in quantities.items()}


def open_page(client, **params):
    return client.get(reverse("orders:slip-create"), {"order": "SO1", **params})


def values(response) -> dict:
    return {
        (e["row"].order_line.line, e["row"].item.code): e["value"] for e in response.context["rows"]
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The computations


def test_kit_for_n_pieces_takes_the_bom_with_allowances_rounded_up(floor):
    # One F takes 2 x 1.02 = 2.04 S and 2.04 x 0.4 x 1.05 = 0.8568 kg R.
    kit = selectors.kit_quantities(rows=rows_of(), pieces=D("5"))
    assert by_key(floor, kit) == {
        (1, "S"): D("11"),  # 10.2 rounded up to whole pieces
        (1, "R"): D("4.284"),
        (2, "S"): D("11"),
        (2, "R"): D("4.284"),
    }


def test_kit_is_capped_at_what_each_row_may_still_pick(floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("40"))], user=floor["clerk"])
    # 30 F: S 61.2 -> 62, R 25.704; line 2 (10 F) allows only S 21 and R 8.568.
    kit = selectors.kit_quantities(rows=rows_of(), pieces=D("30"))
    assert by_key(floor, kit) == {
        (1, "S"): D("62"),
        (1, "R"): D("2.840"),  # 42.84 - 40 left
        (2, "S"): D("21"),
        (2, "R"): D("8.568"),
    }


def test_kit_and_pick_all_leave_out_finished_and_cancelled_rows(floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("102"))], user=floor["clerk"])
    floor["line2"].status = "cancelled"
    floor["line2"].save()
    rows = rows_of()
    assert by_key(floor, selectors.kit_quantities(rows=rows, pieces=D("1"))) == {
        (1, "R"): D("0.857")
    }
    assert by_key(floor, selectors.pick_all_quantities(rows=rows)) == {(1, "R"): D("42.840")}


def test_pick_all_is_what_the_limit_leaves(floor):
    issue_slip(
        kind="pick",
        order_no="SO1",
        lines=[L(1, "R", D("40")), L(2, "S", D("20"))],
        user=floor["clerk"],
    )
    issue_slip(
        kind="return",
        order_no="SO1",
        lines=[L(2, "S", D("5"), "surplus")],
        user=floor["clerk"],
    )
    assert by_key(floor, selectors.pick_all_quantities(rows=rows_of())) == {
        (1, "R"): D("2.840"),
        (1, "S"): D("102"),
        (2, "R"): D("8.568"),
        (2, "S"): D("6"),  # 21 - (20 - 5 back as surplus)
    }


def test_kit_of_a_work_order_takes_one_bom_level(floor):
    issue_work_order_slip(kind="pick", wo_no="WO-F", lines=[WL("S", D("10"))], user=floor["clerk"])
    rows = wo_selectors.work_order_material(work_order=floor["wo_f"])
    kit = selectors.kit_quantities(rows=rows, pieces=D("2"))
    assert kit == {f"wo-{floor['s'].pk}": D("5")}  # 4.08 -> 5, 5 of the limit 15 left
    rows = wo_selectors.work_order_material(work_order=floor["wo_s"])
    assert selectors.kit_quantities(rows=rows, pieces=D("10")) == {
        f"wo-{floor['r'].pk}": D("4.200")
    }


def test_nothing_to_kit_for_a_finished_work_order(floor):
    floor["wo_f"].status = "completed"
    floor["wo_f"].save()
    rows = wo_selectors.work_order_material(work_order=floor["wo_f"])
    assert selectors.kit_quantities(rows=rows, pieces=D("2")) == {}
    assert selectors.pick_all_quantities(rows=rows) == {}
    assert all(selectors.row_is_settled(r, "pick") for r in rows)
    assert not any(selectors.row_is_settled(r, "return") for r in rows if r.held)


# The page


def test_pick_all_remaining_fills_the_page(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("40"))], user=floor["clerk"])
    page = open_page(clerk)
    assert 'data-testid="pick-all"' in text(page) and 'data-testid="kit"' in text(page)
    response = open_page(clerk, fill="all")
    assert values(response) == {
        (1, "R"): "2.84",
        (1, "S"): "102",
        (2, "R"): "8.568",
        (2, "S"): "21",
    }


def test_kit_for_n_fills_the_page_and_keeps_n(clerk, floor):
    response = open_page(clerk, kit="5")
    assert values(response) == {
        (1, "R"): "4.284",
        (1, "S"): "11",
        (2, "R"): "4.284",
        (2, "S"): "11",
    }
    assert 'name="kit" id="id_kit" value="5"' in text(response)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Not a number."),
        ("0", "Enter a quantity greater than 0, or leave it blank."),
        ("-3", "Enter a quantity greater than 0, or leave it blank."),
    ],
)
def test_a_bad_kit_size_is_a_clear_error(clerk, floor, typed, message):
    response = open_page(clerk, kit=typed)
    assert response.status_code == 200
    assert f"Kit for N pieces: {message}" in text(response)
    assert set(values(response).values()) == {""}


def test_no_pick_all_or_kit_on_a_return_slip(clerk, floor):
    response = open_page(clerk, kind="return", fill="all", kit="3")
    page = text(response)
    assert 'data-testid="pick-all"' not in page and 'data-testid="kit"' not in page
    assert set(values(response).values()) == {""}


def test_finished_and_cancelled_rows_are_hidden_until_asked(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("102"))], user=floor["clerk"])
    floor["line2"].status = "cancelled"
    floor["line2"].save()
    response = open_page(clerk)
    hidden = {
        (e["row"].order_line.line, e["row"].item.code)
        for e in response.context["rows"]
        if e["settled"]
    }
    assert hidden == {(1, "S"), (2, "R"), (2, "S")}
    page = text(response)
    assert re.search(
        r'<tr class="slip-row-settled" data-item-code="S" hidden data-testid="slip-row-1-S"', page
    )
    assert "Show all rows (3 finished or cancelled rows hidden)" in page
    shown = open_page(clerk, all="1")
    assert not any(e["settled"] for e in shown.context["rows"])
    assert 'data-testid="hide-settled"' in text(shown)
    # A return slip hides what holds nothing: here line 1's S is held, the rest not.
    returns = open_page(clerk, kind="return")
    assert {
        (e["row"].order_line.line, e["row"].item.code)
        for e in returns.context["rows"]
        if not e["settled"]
    } == {(1, "S")}


def test_a_typed_or_refused_row_is_never_hidden(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("102"))], user=floor["clerk"])
    response = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-1-{floor['s'].pk}": "1"},
    )
    [entry] = [e for e in response.context["rows"] if e["row"].key == f"1-{floor['s'].pk}"]
    assert entry["error"] == "Over the pick limit: 0 pcs left." and not entry["settled"]


def test_the_scan_field_has_the_focus_once_an_order_is_open(clerk, floor):
    page = text(open_page(clerk))
    assert re.search(r'id="slip-scan"[^>]*autofocus', page)
    assert 'id="id_order_lookup"' in page
    assert not re.search(r'id="id_order_lookup"[^>]*autofocus', page)
    assert 'data-item-code="R"' in page and "slip-entry.js" in page and "slip-entry.css" in page


def test_the_slip_page_runs_a_fixed_number_of_queries(clerk, floor, django_assert_max_num_queries):
    """20 order lines with kit and pick all: no query per line or per row (21 today: the
    session, the menu and the BOM levels, twice with a kit)."""
    order = SalesOrderFactory(order_no="SO-BIG", status="confirmed")
    for n in range(1, 21):
        SalesOrderLineFactory(order=order, line=n, item=floor["f"], quantity=D(n))
    open_page(clerk, order="SO-BIG")  # warm the session and the content types
    for params in ({}, {"fill": "all"}, {"kit": "3"}, {"all": "1"}):
        with django_assert_max_num_queries(24):
            response = open_page(clerk, order="SO-BIG", **params)
        assert response.status_code == 200 and len(response.context["rows"]) == 40
    with django_assert_max_num_queries(24):
        response = clerk.get(reverse("orders:slip-create"), {"work_order": "WO-F", "kit": "2"})
    assert response.status_code == 200
