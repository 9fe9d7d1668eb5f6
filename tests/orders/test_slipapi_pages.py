"""The warehouse slip pages with the Django test client: the list, the fast slip page
(order look-up, limits and remaining per item, quantities typed in one table, refusals as
form errors in the clerk's words) and the printable slip."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import MaterialSlip, OrderMaterial
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import SalesOrderLineFactory
from tests.orders.warehouse_support import build_floor, moves_count, stock

D = Decimal


@pytest.fixture
def floor(db, make_user):
    return build_floor(make_user)


@pytest.fixture
def clerk(client, floor):
    client.force_login(floor["clerk"])
    return client


def key(floor, line: int, item: str) -> str:
    return f"{line}-{floor[item.lower()].pk}"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_slip_page_shows_each_items_limit_and_remaining(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("40"))], user=floor["clerk"])
    response = clerk.get(reverse("orders:slip-create"), {"order": "SO1"})
    assert response.status_code == 200
    page = text(response)
    assert 'data-testid="slip-row-1-R"' in page and 'data-testid="slip-row-2-S"' in page
    rows = {
        (e["row"].order_line.line, e["row"].item.code): e["row"] for e in response.context["rows"]
    }
    assert set(rows) == {(1, "R"), (1, "S"), (2, "R"), (2, "S")}
    assert rows[(1, "R")].requirement == D("42.840") and rows[(1, "R")].pick_remaining == D("2.84")
    assert rows[(2, "S")].requirement == D("21") and rows[(1, "S")].usable == D("500")
    assert f'name="qty-{key(floor, 1, "R")}"' in page
    assert "Pick slip" in page


def test_picking_from_the_page_prints_the_slip(clerk, floor):
    response = clerk.post(
        reverse("orders:slip-create"),
        {
            "order": "SO1",
            "kind": "pick",
            "warehouse": "MAIN",
            f"qty-{key(floor, 1, 'R')}": "42.84",
            f"qty-{key(floor, 1, 'S')}": "",
            f"qty-{key(floor, 2, 'S')}": "21",
            "note": "batch 1",
        },
    )
    slip = MaterialSlip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:slip-detail", args=[slip.number])
    assert stock(floor["r"]) == D("457.16") and stock(floor["s"]) == D("479")
    printed = clerk.get(response["Location"])
    page = text(printed)
    assert printed.status_code == 200
    assert "Pick slip" in page and slip.number in page and "batch 1" in page
    assert "data-print" in page and "warehouse-print.css" in page
    assert "Received by" in page and "Approved by" in page
    assert [
        (ln.order_line.line, ln.item.code, ln.quantity) for ln in printed.context["slip"].line_rows
    ] == [
        (1, "R", D("42.84")),
        (2, "S", D("21")),
    ]


def test_a_refusal_shows_the_limit_message_and_keeps_the_typed_quantities(clerk, floor):
    before = moves_count()
    response = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 1, 'R')}": "43"},
    )
    assert response.status_code == 200
    page = text(response)
    assert 'data-testid="slip-error"' in page
    assert (
        "the limit is 42.84 kg" in page
        and "0 kg already picked" in page
        and "42.84 kg left" in page
    )
    assert 'value="43"' in page
    assert MaterialSlip.objects.count() == 0 and moves_count() == before


def test_return_needs_a_reason_and_goes_to_quarantine(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("42.84"))], user=floor["clerk"])
    k = key(floor, 1, "R")
    page = text(clerk.get(reverse("orders:slip-create"), {"order": "SO1", "kind": "return"}))
    assert f'name="reason-{k}"' in page and "Return slip" in page
    no_reason = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "return", "warehouse": "MAIN", f"qty-{k}": "2"},
    )
    assert no_reason.status_code == 200 and "Choose defective or surplus." in text(no_reason)
    done = clerk.post(
        reverse("orders:slip-create"),
        {
            "order": "SO1",
            "kind": "return",
            "warehouse": "MAIN",
            f"qty-{k}": "2",
            f"reason-{k}": "defective",
        },
    )
    assert done.status_code == 302
    assert stock(floor["r"], "quarantine") == D("2")
    printed = text(clerk.get(done["Location"]))
    assert "Return slip" in printed and "defective" in printed and "Returned by" in printed
    replenish = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "replenish", "warehouse": "MAIN", f"qty-{k}": "2.5"},
    )
    assert replenish.status_code == 200
    assert "2 kg returned defective" in text(replenish) and "2.5 kg asked" in text(replenish)
    assert OrderMaterial.objects.get(item=floor["r"]).replenished == 0


@pytest.mark.parametrize("typed", ["abc", "-1", "0", "1e999", "1,5", "0.0000001", "9" * 30])
def test_a_bad_quantity_marks_its_row(clerk, floor, typed):
    response = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 1, 'R')}": typed},
    )
    assert response.status_code == 200
    assert "is-invalid" in text(response)
    assert MaterialSlip.objects.count() == 0


def test_nothing_typed_and_unknown_orders(clerk, floor):
    empty = clerk.post(
        reverse("orders:slip-create"), {"order": "SO1", "kind": "pick", "warehouse": "MAIN"}
    )
    assert "Enter a quantity on at least one row." in text(empty)
    unknown = clerk.get(reverse("orders:slip-create"), {"order": "NOPE"})
    assert unknown.status_code == 200 and "There is no customer order NOPE." in text(unknown)
    odd = clerk.get(
        reverse("orders:slip-create"), {"order": "x\x00y", "kind": "steal", "warehouse": "??"}
    )
    assert odd.status_code == 200


def test_the_order_look_up_finds_orders_by_number_or_customer(clerk, floor):
    response = clerk.get(
        reverse("orders:slip-order-search"),
        {"order": "so", "for": "slip", "kind": "return"},
        HTTP_HX_REQUEST="true",
    )
    page = text(response)
    assert response.status_code == 200 and "SO1" in page
    assert "/orders/slips/new/?order=SO1&amp;kind=return" in page
    by_customer = text(
        clerk.get(
            reverse("orders:slip-order-search"),
            {"order": floor["order"].customer.name, "for": "shipment"},
        )
    )
    assert "/orders/shipments/new/?order=SO1" in by_customer
    assert "No order matches" in text(
        clerk.get(reverse("orders:slip-order-search"), {"order": "zzz"})
    )


def test_slip_list_filters(clerk, floor):
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("1"))], user=floor["clerk"])
    issue_slip(
        kind="return", order_no="SO1", lines=[L(1, "R", D("1"), "surplus")], user=floor["clerk"]
    )
    page = clerk.get(reverse("orders:slip-list"))
    assert page.status_code == 200 and page.context["page"].paginator.count == 2
    assert (
        clerk.get(reverse("orders:slip-list"), {"kind": "return"}).context["page"].paginator.count
        == 1
    )
    assert (
        clerk.get(reverse("orders:slip-list"), {"order": "SO9"}).context["page"].paginator.count
        == 0
    )
    assert (
        clerk.get(reverse("orders:slip-list"), {"date_from": "2999-01-01"})
        .context["page"]
        .paginator.count
        == 0
    )
    assert (
        clerk.get(reverse("orders:slip-list"), {"date_from": "garbage", "page": "x"}).status_code
        == 200
    )


def test_the_slip_list_is_a_fixed_number_of_queries(clerk, floor, django_assert_max_num_queries):
    for _ in range(20):
        issue_slip(kind="pick", order_no="SO1", lines=[L(2, "S", D("1"))], user=floor["clerk"])
    with django_assert_max_num_queries(12):
        response = clerk.get(reverse("orders:slip-list"))
    assert len(response.context["page"]) == 20


def test_the_slip_page_is_a_fixed_number_of_queries(clerk, floor, django_assert_max_num_queries):
    issue_slip(
        kind="pick",
        order_no="SO1",
        lines=[L(1, "R", D("1")), L(2, "S", D("1"))],
        user=floor["clerk"],
    )
    for n in range(3, 9):
        SalesOrderLineFactory(order=floor["order"], line=n, item=floor["f"])
    # A fixed count: one query per BOM level, none per order line or item.
    with django_assert_max_num_queries(18):
        response = clerk.get(reverse("orders:slip-create"), {"order": "SO1"})
    assert len(response.context["rows"]) == 16


@pytest.mark.parametrize("role", ["sales", "purchasing", "quality", "manager"])
def test_only_the_warehouse_issues_slips(client, floor, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("orders:slip-create")).status_code == 403
    response = client.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 1, 'R')}": "1"},
    )
    assert response.status_code == 403 and MaterialSlip.objects.count() == 0


def test_production_only_requests_returns_on_the_slip_page(client, floor, make_user):
    """Production opens the page to request a return (退料申请); it never issues a slip."""
    client.force_login(make_user("production"))
    page = client.get(reverse("orders:slip-create"), {"order": "SO1", "kind": "pick"})
    assert page.status_code == 200 and page.context["request_mode"]
    client.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 1, 'R')}": "1"},
    )
    assert MaterialSlip.objects.count() == 0


def test_every_role_may_read_a_printed_slip(client, floor, make_user):
    slip = issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("1"))], user=floor["clerk"])
    client.force_login(make_user("sales"))
    assert client.get(reverse("orders:slip-detail", args=[slip.number])).status_code == 200
    assert client.get(reverse("orders:slip-detail", args=["PK-0000-000000"])).status_code == 404
    client.logout()
    assert client.get(reverse("orders:slip-list")).status_code == 302


def test_an_unknown_warehouse_is_a_form_error(clerk, floor):
    response = clerk.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "NOWHERE", f"qty-{key(floor, 1, 'R')}": "1"},
    )
    assert response.status_code == 200
    assert "Warehouse: Select a valid choice." in text(response)
    assert MaterialSlip.objects.count() == 0
