"""The slip page with a work order chosen instead of a customer order: the look-up, each
component's limit and remaining, issuing, refusals as form errors, the printed slip and the
list; query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from orders.models import MaterialSlip
from orders.services.work_order_slips import WorkOrderSlipLineInput as L
from orders.services.work_order_slips import issue_work_order_slip
from tests.factories import BomLineFactory, ItemFactory
from tests.orders.warehouse_support import moves_count, stock
from tests.orders.work_order_support import build_work_order_floor, wo_counters

D = Decimal
CREATE = "orders:slip-create"


@pytest.fixture
def floor(db, make_user):
    return build_work_order_floor(make_user)


@pytest.fixture
def clerk(client, floor):
    client.force_login(floor["clerk"])
    return client


def key(floor, item: str) -> str:
    return f"wo-{floor[item.lower()].pk}"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_shows_the_work_orders_components(clerk, floor):
    issue_work_order_slip(kind="pick", wo_no="WO-S", lines=[L("R", D("40"))], user=floor["clerk"])
    response = clerk.get(reverse(CREATE), {"work_order": "WO-S"})
    assert response.status_code == 200
    page = text(response)
    assert 'data-testid="slip-work-order">WO-S<' in page
    assert 'data-testid="slip-row-wo-R"' in page and f'name="qty-{key(floor, "R")}"' in page
    assert 'name="work_order" value="WO-S"' in page
    (entry,) = response.context["rows"]
    assert entry["row"].requirement == D("42") and entry["row"].pick_remaining == D("2")
    assert entry["row"].usable == D("460")
    assert "direct components" in page


def test_picking_from_the_page_prints_the_slip(clerk, floor):
    response = clerk.post(
        reverse(CREATE),
        {
            "work_order": "WO-F",
            "kind": "pick",
            "warehouse": "MAIN",
            f"qty-{key(floor, 'S')}": "15",
            "note": "first batch",
        },
    )
    slip = MaterialSlip.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:slip-detail", args=[slip.number])
    assert slip.work_order == floor["wo_f"] and slip.created_by == floor["clerk"]
    assert wo_counters("WO-F", floor["s"]).picked == D("15") and stock(floor["s"]) == D("485")
    page = text(clerk.get(response["Location"]))
    assert 'data-testid="slip-work-order">WO-F<' in page and "first batch" in page
    assert "Another slip for this work order" in page and "work_order=WO-F" in page


def test_a_refusal_shows_the_limit_message_and_keeps_the_typed_quantity(clerk, floor):
    before = moves_count()
    response = clerk.post(
        reverse(CREATE),
        {"work_order": "WO-S", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 'R')}": "43"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Pick refused for R on work order WO-S" in page and "limit is 42 kg" in page
    assert 'value="43"' in page
    assert moves_count() == before and MaterialSlip.objects.count() == 0


def test_a_return_from_the_page_needs_a_reason(clerk, floor):
    issue_work_order_slip(kind="pick", wo_no="WO-S", lines=[L("R", D("10"))], user=floor["clerk"])
    k = key(floor, "R")
    data = {"work_order": "WO-S", "kind": "return", "warehouse": "MAIN", f"qty-{k}": "2"}
    response = clerk.post(reverse(CREATE), data)
    assert "Choose defective or surplus." in text(response)
    response = clerk.post(reverse(CREATE), data | {f"reason-{k}": "defective"})
    assert response.status_code == 302
    assert stock(floor["r"], "quarantine") == D("2")


def test_a_closed_work_order_refuses_picks_on_the_page(clerk, floor):
    wo = floor["wo_s"]
    wo.status = "completed"
    wo.save()
    response = clerk.post(
        reverse(CREATE),
        {"work_order": "WO-S", "kind": "pick", "warehouse": "MAIN", f"qty-{key(floor, 'R')}": "1"},
    )
    assert "Work order WO-S is completed" in text(response)
    assert MaterialSlip.objects.count() == 0


def test_unknown_work_order_and_both_named(clerk, floor):
    page = text(clerk.get(reverse(CREATE), {"work_order": "WO-404"}))
    assert "There is no work order WO-404." in page
    response = clerk.post(
        reverse(CREATE),
        {
            "order": "SO1",
            "work_order": "WO-S",
            "kind": "pick",
            "warehouse": "MAIN",
            "qty-1-1": "1",
        },
    )
    assert response.status_code == 200 and MaterialSlip.objects.count() == 0


def test_the_work_order_look_up(clerk, floor):
    url = reverse("orders:slip-work-order-search")
    page = text(clerk.get(url, {"work_order": "wo-", "kind": "return", "warehouse": "MAIN"}))
    assert "WO-S" in page and "WO-F" in page
    assert "work_order=WO-S&amp;kind=return&amp;warehouse=MAIN" in page
    page = text(clerk.get(url, {"work_order": "Frame"}))  # by item name
    assert "WO-F" in page and "WO-S" not in page
    assert "No work order matches" in text(clerk.get(url, {"work_order": "zzz"}))


def test_the_slip_list_shows_and_finds_work_order_slips(clerk, floor):
    issue_work_order_slip(kind="pick", wo_no="WO-S", lines=[L("R", D("1"))], user=floor["clerk"])
    page = text(clerk.get(reverse("orders:slip-list"), {"order": "WO-S"}))
    assert "Work order WO-S" in page
    page = text(clerk.get(reverse("orders:slip-list"), {"order": "SO1"}))
    assert "WO-S" not in page


def test_the_page_is_a_fixed_number_of_queries(clerk, floor, django_assert_max_num_queries):
    for n in range(30):
        part = ItemFactory(code=f"PART{n}", kind="raw")
        BomLineFactory(parent=floor["s"], component=part, quantity=D("1"))
    with django_assert_max_num_queries(16):
        response = clerk.get(reverse(CREATE), {"work_order": "WO-S"})
    assert len(response.context["rows"]) == 31


def test_the_slip_list_with_work_order_slips_is_a_fixed_number_of_queries(
    clerk, floor, django_assert_max_num_queries
):
    for _ in range(10):
        issue_work_order_slip(
            kind="pick", wo_no="WO-S", lines=[L("R", D("1"))], user=floor["clerk"]
        )
    with django_assert_max_num_queries(12):
        clerk.get(reverse("orders:slip-list"))


def test_the_work_order_words_are_translated():
    with translation.override("zh-hans"):
        assert translation.gettext("or a work order") == "或工单"
        assert translation.gettext("Order or work order") == "订单或工单"
        assert (
            translation.gettext("There is no work order %(work_order)s.") % {"work_order": "WO-1"}
            == "没有工单 WO-1。"
        )
