"""Issue 14: a refused slip names EVERY failing row, not only the first: the services
collect input, line, BOM, limit and stock refusals row by row and still refuse the slip
whole (nothing written); the API lists the rows in `errors`; the slip page marks each row
with its own message, also when other rows are not numbers."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from erp.errors import DomainError
from materials.errors import InsufficientStock
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import PickLimitExceeded
from orders.models import MaterialSlip, OrderMaterial, WorkOrderMaterial
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from orders.services.work_order_slips import WorkOrderSlipLineInput as WL
from orders.services.work_order_slips import issue_work_order_slip
from tests.orders.warehouse_support import location, moves_count, stock
from tests.orders.work_order_support import build_work_order_floor

D = Decimal
URL = "/api/v1/slips/"


@pytest.fixture
def floor(db, make_user):
    return build_work_order_floor(make_user)


@pytest.fixture
def clerk(client, floor):
    client.force_login(floor["clerk"])
    return client


@pytest.fixture
def clerk_api(floor):
    client = APIClient()
    client.force_authenticate(floor["clerk"])
    return client


def nothing_written(moves_before: int) -> bool:
    return (
        not MaterialSlip.objects.exists()
        and moves_count() == moves_before
        and not OrderMaterial.objects.exclude(picked=0).exists()
        and not WorkOrderMaterial.objects.exclude(picked=0).exists()
    )


def key(floor, line: int, item: str) -> str:
    return f"{line}-{floor[item.lower()].pk}"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The services


def test_two_rows_over_the_limit_are_both_named_and_nothing_is_written(floor):
    before = moves_count()
    with pytest.raises(PickLimitExceeded) as refused:
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(1, "R", D("50")), L(1, "S", D("200")), L(2, "S", D("5"))],
            user=floor["clerk"],
        )
    details = refused.value.details
    assert [(d["row"], d["line"], d["item"], d["code"], d["left"]) for d in details] == [
        (1, 1, "R", "pick_limit", "42.84"),
        (2, 1, "S", "pick_limit", "102"),
    ]
    assert "limit is 42.84 kg" in details[0]["message"]
    assert "limit is 102 pcs" in details[1]["message"]
    # The refusal itself is the first row's, saying more rows were refused.
    assert refused.value.message.startswith("Pick refused for R on order SO1 line 1")
    assert "1 more line refused" in refused.value.message
    assert nothing_written(before)


def test_one_failing_row_refuses_as_before(floor):
    with pytest.raises(PickLimitExceeded) as refused:
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(1, "R", D("43")), L(1, "S", D("2"))],
            user=floor["clerk"],
        )
    assert "more line" not in refused.value.message
    assert [d["row"] for d in refused.value.details] == [1]


def test_bad_input_comes_before_a_limit_and_every_row_is_listed(floor):
    before = moves_count()
    with pytest.raises(DomainError) as refused:
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(1, "R", D("50")), L(9, "R", D("1")), L(1, "NOPE", D("1")), L(2, "S", D("0"))],
            user=floor["clerk"],
        )
    error = refused.value
    assert error.status_code == 400 and not isinstance(error, PickLimitExceeded)
    assert error.message.startswith("Line 2: order SO1 has no line 9.")
    codes = [(d["row"], d["code"]) for d in error.details]
    assert codes == [(1, "pick_limit"), (2, "input"), (3, "input"), (4, "input")]
    assert "there is no item NOPE" in error.details[2]["message"]
    assert "greater than 0" in error.details[3]["message"]
    assert nothing_written(before)


def test_rows_short_of_stock_are_all_named(floor):
    # S: 500 in stock; take 495 so that only 5 remain for two rows asking 3 each.
    apply_stock_changes(
        changes=[StockChange(floor["s"].pk, location().pk, D("-495"))], kind="adjustment"
    )
    before = moves_count()
    with pytest.raises(InsufficientStock) as refused:
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(1, "S", D("3")), L(1, "R", D("1")), L(2, "S", D("3"))],
            user=floor["clerk"],
        )
    details = refused.value.details
    assert [(d["row"], d["item"], d["code"], d["left"]) for d in details] == [
        (1, "S", "stock", "5"),
        (3, "S", "stock", "5"),
    ]
    assert "Not enough S in MAIN (usable): 5 pcs on hand, 6 pcs asked." == details[0]["message"]
    assert nothing_written(before) and stock(floor["s"]) == D("5")


def test_a_cancelled_line_and_a_limit_on_the_same_slip(floor):
    floor["line2"].status = "cancelled"
    floor["line2"].save()
    with pytest.raises(DomainError) as refused:
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(2, "S", D("1")), L(1, "S", D("103"))],
            user=floor["clerk"],
        )
    assert [(d["row"], d["code"]) for d in refused.value.details] == [
        (1, "state"),
        (2, "pick_limit"),
    ]
    assert refused.value.status_code == 400


def test_a_dry_run_checks_without_writing(floor):
    before = moves_count()
    answer = issue_slip(
        kind="pick",
        order_no="SO1",
        lines=[L(1, "R", D("1"))],
        user=floor["clerk"],
        dry_run=True,
    )
    assert answer is None and nothing_written(before)
    assert not OrderMaterial.objects.exists()
    with pytest.raises(PickLimitExceeded):
        issue_slip(
            kind="pick",
            order_no="SO1",
            lines=[L(1, "R", D("43"))],
            user=floor["clerk"],
            dry_run=True,
        )


def test_work_order_rows_are_all_named(floor):
    before = moves_count()
    with pytest.raises(DomainError) as refused:
        issue_work_order_slip(
            kind="pick",
            wo_no="WO-F",
            lines=[WL("S", D("16")), WL("R", D("1")), WL("F", D("-1"))],
            user=floor["clerk"],
        )
    error = refused.value
    assert error.status_code == 400
    assert [(d["row"], d["item"], d["code"]) for d in error.details] == [
        (1, "S", "pick_limit"),
        (2, "R", "input"),
        (3, "F", "input"),
    ]
    assert error.details[0]["left"] == "15" and error.details[0]["line"] is None
    assert "not a direct component" in error.details[1]["message"]
    assert nothing_written(before)


# The API


def test_api_lists_every_failing_row(clerk_api, floor):
    before = moves_count()
    response = clerk_api.post(
        URL,
        {
            "kind": "pick",
            "order_no": "SO1",
            "lines": [
                {"line": 1, "item": "R", "quantity": "50"},
                {"line": 2, "item": "R", "quantity": "1"},
                {"line": 2, "item": "S", "quantity": "22"},
            ],
        },
        format="json",
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"].startswith("Pick refused for R on order SO1 line 1")
    assert [(e["row"], e["line"], e["item"], e["code"], e["left"]) for e in body["errors"]] == [
        (1, 1, "R", "pick_limit", "42.84"),
        (3, 2, "S", "pick_limit", "21"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert nothing_written(before)


def test_api_bad_input_is_400_with_every_row(clerk_api, floor):
    response = clerk_api.post(
        URL,
        {
            "kind": "pick",
            "order_no": "SO1",
            "lines": [
                {"line": 1, "item": "R", "quantity": "50"},
                {"line": 7, "item": "R", "quantity": "1"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["lines"] == [body["detail"]]
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(1, "pick_limit"), (2, "input")]


def test_api_work_order_rows(clerk_api, floor):
    response = clerk_api.post(
        URL,
        {
            "kind": "pick",
            "work_order": "WO-S",
            "lines": [{"item": "R", "quantity": "42.5"}],
        },
        format="json",
    )
    assert response.status_code == 409
    assert [(e["row"], e["item"], e["left"]) for e in response.json()["errors"]] == [(1, "R", "42")]


# The page


def post_slip(client, floor, values: dict, **extra):
    data = {"order": "SO1", "kind": "pick", "warehouse": "MAIN", **extra}
    data.update({f"qty-{key(floor, line, item)}": v for (line, item), v in values.items()})
    return client.post(reverse("orders:slip-create"), data)


def row_errors(response) -> dict:
    return {
        (e["row"].order_line.line, e["row"].item.code): e["error"]
        for e in response.context["rows"]
        if e["error"]
    }


def test_the_page_marks_every_row_over_the_limit(clerk, floor):
    before = moves_count()
    response = post_slip(clerk, floor, {(1, "R"): "50", (1, "S"): "103", (2, "S"): "1"})
    assert response.status_code == 200
    assert row_errors(response) == {
        (1, "R"): "Over the pick limit: 42.84 kg left.",
        (1, "S"): "Over the pick limit: 102 pcs left.",
    }
    page = text(response)
    assert page.count('data-testid="row-error"') == 2
    assert "2 rows refused: nothing was issued." in page
    assert "limit is 42.84 kg" in page and "limit is 102 pcs" in page
    # What was typed stays, so the clerk corrects only the marked rows.
    values = {e["row"].key: e["value"] for e in response.context["rows"]}
    assert values[key(floor, 2, "S")] == "1"
    assert nothing_written(before)

    fixed = post_slip(clerk, floor, {(1, "R"): "42.84", (1, "S"): "102", (2, "S"): "1"})
    assert fixed.status_code == 302
    assert MaterialSlip.objects.get().lines.count() == 3


def test_the_page_checks_the_other_rows_when_one_is_not_a_number(clerk, floor):
    before = moves_count()
    response = post_slip(clerk, floor, {(1, "R"): "abc", (1, "S"): "103", (2, "R"): "8"})
    assert response.status_code == 200
    assert row_errors(response) == {
        (1, "R"): "Not a number.",
        (1, "S"): "Over the pick limit: 102 pcs left.",
    }
    assert nothing_written(before)
    assert not OrderMaterial.objects.exists()  # the dry run left nothing behind


def test_the_page_marks_rows_short_of_stock(clerk, floor):
    apply_stock_changes(
        changes=[StockChange(floor["r"].pk, location().pk, D("-495"))], kind="adjustment"
    )
    response = post_slip(clerk, floor, {(1, "R"): "4", (2, "R"): "4"})
    assert row_errors(response) == {
        (1, "R"): "Not enough usable stock: 5 kg on hand.",
        (2, "R"): "Not enough usable stock: 5 kg on hand.",
    }


def test_the_work_order_page_marks_every_row(clerk, floor):
    response = clerk.post(
        reverse("orders:slip-create"),
        {
            "work_order": "WO-F",
            "kind": "pick",
            "warehouse": "MAIN",
            f"qty-wo-{floor['s'].pk}": "16",
        },
    )
    assert response.status_code == 200
    [entry] = [e for e in response.context["rows"] if e["error"]]
    assert entry["error"] == "Over the pick limit: 15 pcs left."


def test_the_return_page_marks_every_row_holding_too_little(clerk, floor):
    issue_slip(
        kind="pick",
        order_no="SO1",
        lines=[L(1, "R", D("10")), L(1, "S", D("5"))],
        user=floor["clerk"],
    )
    data = {
        "order": "SO1",
        "kind": "return",
        "warehouse": "MAIN",
        f"qty-{key(floor, 1, 'R')}": "11",
        f"reason-{key(floor, 1, 'R')}": "surplus",
        f"qty-{key(floor, 1, 'S')}": "6",
        f"reason-{key(floor, 1, 'S')}": "defective",
    }
    response = clerk.post(reverse("orders:slip-create"), data)
    assert row_errors(response) == {
        (1, "R"): "More than is held: 10 kg held.",
        (1, "S"): "More than is held: 5 pcs held.",
    }
    assert MaterialSlip.objects.count() == 1
