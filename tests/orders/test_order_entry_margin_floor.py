"""The margin floor (限制低利润产品的生产与销售): a manager sets it (page and API, who and
when kept); order entry, the order page and the order API warn below it, never refuse;
salespeople are told "below the floor" without cost or margin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from erp.errors import DomainError
from orders.models import MarginFloor
from orders.pricing import below_margin_floor, floor_for, margin_floors, margin_percent
from orders.services.margin_floor import set_margin_floor
from tests.orders.order_entry_support import ORDER_DATE, build_entry, past_order

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(make_user):
    return build_entry(make_user)


def test_no_floor_nothing_is_below(entry):
    assert not below_margin_floor(entry["frame"], D("0.01"))


@pytest.mark.parametrize(
    ("price", "below"),
    [("10", False), ("9.99", True), ("12.5", False), ("0", True), ("8", True)],
)
def test_the_factory_floor(entry, price, below):
    set_margin_floor(user=entry["manager"], percent="20", reason="seed 003")
    # cost 8: at 10 the margin is exactly 20%
    assert below_margin_floor(entry["frame"], D(price)) is below


def test_an_items_own_floor_wins_and_blank_returns_to_the_factorys(entry):
    manager, frame = entry["manager"], entry["frame"]
    set_margin_floor(user=manager, percent="20")
    set_margin_floor(user=manager, item=frame, percent="0", reason="clearance")
    assert not below_margin_floor(frame, D("8.5"))  # 0 = none for this item
    set_margin_floor(user=manager, item="F100", percent="40")
    assert below_margin_floor(frame, D("12.5"))  # 36% < 40%
    assert not below_margin_floor(entry["wire"], D("2.6"))  # 23% >= the factory's 20%
    set_margin_floor(user=manager, item=frame, percent=None)
    floors = margin_floors(item_ids=[frame.pk])
    assert floor_for(frame.pk, floors) == D("20")
    assert not below_margin_floor(frame, D("12.5"), floors=floors)


def test_without_a_standard_cost_nothing_is_below(entry):
    frame = entry["frame"]
    frame.standard_cost = D(0)
    frame.save()
    set_margin_floor(user=entry["manager"], percent="50")
    assert not below_margin_floor(frame, D("0.01"))
    assert margin_percent(frame, D("10")) is None


def test_who_and_when_are_kept(entry):
    floor = set_margin_floor(user=entry["manager"], percent="12.5", reason="  low margins  ")
    floor.refresh_from_db()
    assert (floor.created_by, floor.percent, floor.reason, floor.item) == (
        entry["manager"],
        D("12.50"),
        "low margins",
        None,
    )
    assert floor.created_at is not None


@pytest.mark.parametrize(
    ("percent", "item", "field"),
    [
        ("100", None, "percent"),
        ("-1", None, "percent"),
        ("abc", None, "percent"),
        ("12.345", None, "percent"),
        ("10", "NOPE", "item"),
    ],
)
def test_refusals(entry, percent, item, field):
    with pytest.raises(DomainError) as refused:
        set_margin_floor(user=entry["manager"], percent=percent, item=item)
    assert refused.value.field == field
    assert not MarginFloor.objects.exists()


def test_only_a_manager_sets_it(entry):
    with pytest.raises(PermissionDenied):
        set_margin_floor(user=entry["sales"], percent="10")
    assert not MarginFloor.objects.exists()


def test_the_manager_page_sets_it_and_others_get_403(client, entry):
    client.force_login(entry["manager"])
    url = reverse("orders:margin-floor")
    assert client.get(url).status_code == 200
    response = client.post(url, {"item": "F100", "percent": "25", "reason": "seed"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "F100" in page and "25%" in page
    bad = client.post(url, {"item": "", "percent": "100", "reason": ""})
    assert bad.status_code == 200 and MarginFloor.objects.count() == 1
    for user in (entry["sales"], entry["warehouse"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"percent": "1"}).status_code == 403
    assert MarginFloor.objects.count() == 1


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_sets_and_lists_it_for_managers_only(entry):
    api = _api(entry["manager"])
    created = api.post("/api/v1/margin-floors/", {"item": "F100", "percent": "15"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["item"] == "F100" and created.json()["created_by"] == "boss"
    factory = api.post("/api/v1/margin-floors/", {"item": None, "percent": "10.5"}, format="json")
    assert factory.status_code == 201 and factory.json()["item"] is None
    listed = api.get("/api/v1/margin-floors/").json()
    assert [r["percent"] for r in listed["results"]] == ["10.50", "15.00"]
    bad = api.post("/api/v1/margin-floors/", {"percent": "120"}, format="json")
    assert bad.status_code == 400 and "percent" in bad.json()
    unknown = api.post("/api/v1/margin-floors/", {"item": "NOPE", "percent": "1"}, format="json")
    assert unknown.status_code == 400
    sales = _api(entry["sales"])
    assert sales.get("/api/v1/margin-floors/").status_code == 403
    assert sales.post("/api/v1/margin-floors/", {"percent": "1"}, format="json").status_code == 403
    assert MarginFloor.objects.count() == 2


def test_the_order_api_flags_lines_below_the_floor(entry):
    set_margin_floor(user=entry["manager"], percent="20")
    low = past_order(entry, price="9", confirm=False)
    fine = past_order(entry, price="12", confirm=False)
    api = _api(entry["sales"])
    for order, flag in ((low, True), (fine, False)):
        body = api.get(f"/api/v1/orders/{order.order_no}/").json()
        line = body["lines"][0]
        assert line["below_margin_floor"] is flag
        assert set(line) - {"below_margin_floor"} == {
            "line",
            "item",
            "quantity",
            "unit_price",
            "due_date",
            "specification",
            "status",
            "shipped_quantity",
            "open_quantity",
        }  # no cost, no margin
    listed = api.get("/api/v1/orders/").json()["results"]
    assert {o["order_no"]: o["lines"][0]["below_margin_floor"] for o in listed} == {
        low.order_no: True,
        fine.order_no: False,
    }


def test_the_item_lookup_warns_sales_without_figures(client, entry, admin_user):
    set_margin_floor(user=entry["manager"], percent="20")
    url = reverse("orders:order-entry-item")
    query = {"item": "F100", "customer": "C1", "order_date": ORDER_DATE.isoformat()}
    client.force_login(entry["sales"])
    low = client.get(url, {**query, "unit_price": "9"}).content.decode()
    assert 'data-testid="below-floor"' in low
    assert "Margin" not in low and "11.1" not in low and "standard" not in low.lower()
    ok = client.get(url, query).content.decode()  # the list price 12.50: 36% margin
    assert 'data-testid="below-floor"' not in ok

    client.force_login(entry["manager"])  # reads orders, enters none
    assert client.get(url, query).status_code == 403
    client.force_login(admin_user)  # enters orders and may see costs
    seen = client.get(url, {**query, "unit_price": "9"}).content.decode()
    assert 'data-testid="below-floor"' in seen
    assert "Margin 11.11%" in seen and "floor 20%" in seen


def test_the_order_page_marks_the_line_for_sales(client, entry):
    set_margin_floor(user=entry["manager"], percent="20")
    order = past_order(entry, price="9", confirm=False)
    client.force_login(entry["sales"])
    page = client.get(reverse("orders:order-detail", args=[order.order_no])).content.decode()
    assert 'data-testid="below-floor"' in page and "below the floor" in page
    assert "11.11" not in page
    zero = past_order(entry, price="0", confirm=False, on=ORDER_DATE - dt.timedelta(days=1))
    page = client.get(reverse("orders:order-detail", args=[zero.order_no])).content.decode()
    assert 'data-testid="price-zero"' in page
