"""The warehouse raises purchase requests (仓库: 物料的请购): the page lists bought items
below safety stock (counting usable stock, open purchase orders and open requisitions),
suggests a lot-sized quantity, and sends the ticked lines to purchasing as a requisition."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.roles import Role
from materials.models import ItemKind, PurchaseRequisition
from materials.selectors_reorder import items_to_request, suggested_quantity
from materials.services.purchasing import RequisitionLineInput, requisition_create
from materials.services.stock import StockChange, apply_stock_changes, ensure_locations
from tests.clock import in_days, iso_in_days
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    PurchaseOrderLineFactory,
    WarehouseFactory,
)

D = Decimal
URL = reverse("materials:purchase-request")


def put(item, quantity, kind="usable"):
    location = ensure_locations(warehouse=WarehouseFactory(code="MAIN"))[kind]
    apply_stock_changes(
        changes=[StockChange(item.pk, location.pk, D(quantity), D("1"))], kind="receipt"
    )


def client_for(make_user, *roles) -> Client:
    client = Client()
    client.force_login(make_user(*roles))
    return client


@pytest.fixture
def items(db):
    low = ItemFactory(
        code="R-LOW", safety_stock=D("100"), min_order_qty=D("50"), order_multiple=D("25")
    )
    put(low, "30")
    put(low, "500", kind="quarantine")  # on hold: not usable, does not count
    covered = ItemFactory(code="R-COVERED", safety_stock=D("100"))
    put(covered, "40")
    PurchaseOrderLineFactory(item=covered, quantity=D("70"), received_quantity=D("10"))
    requested = ItemFactory(code="R-REQUESTED", safety_stock=D("10"))
    made = ItemFactory(code="S-MADE", kind=ItemKind.SEMI, safety_stock=D("10"))
    BomLineFactory(parent=made, component=low, quantity=D("1"))
    ItemFactory(code="R-NONE")  # no safety stock
    return {"low": low, "covered": covered, "requested": requested}


def test_items_below_safety_stock_count_usable_on_order_and_requested(items, make_user):
    rows = {i.code: i for i in items_to_request()}
    assert set(rows) == {"R-LOW", "R-REQUESTED"}  # made items and covered ones are not listed
    assert rows["R-LOW"].on_hand == D("30")
    assert rows["R-LOW"].shortfall == D("70")
    requisition_create(
        user=make_user(Role.WAREHOUSE.value),
        lines=[RequisitionLineInput(items["requested"], D("10"), in_days(5))],
    )
    assert [i.code for i in items_to_request()] == ["R-LOW"]


def test_suggested_quantity_is_lot_sized_and_rounded_up():
    item = ItemFactory.build(min_order_qty=D("50"), order_multiple=D("25"), decimals=0)
    assert suggested_quantity(item=item, shortfall=D("70")) == D("75")
    assert suggested_quantity(item=item, shortfall=D("10")) == D("50")
    kg = ItemFactory.build(min_order_qty=D("0"), order_multiple=D("0"), decimals=3)
    assert suggested_quantity(item=kg, shortfall=D("1.2341")) == D("1.235")


def test_warehouse_sends_ticked_items_to_purchasing(items, make_user):
    client = client_for(make_user, Role.WAREHOUSE.value)
    page = client.get(URL)
    assert page.status_code == 200
    assert "R-LOW" in page.content.decode()
    answer = client.post(
        URL,
        {
            "pick": ["R-LOW"],
            "qty_R-LOW": "75",
            "date_R-LOW": iso_in_days(7),
            "extra_item": "R-NONE",
            "extra_quantity": "5",
            "extra_date": iso_in_days(9),
            "note": "running low on the line",
        },
    )
    requisition = PurchaseRequisition.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("materials:requisition-detail", args=[requisition.number])
    lines = {line.item.code: line for line in requisition.lines.all()}
    assert lines["R-LOW"].quantity == D("75") and lines["R-LOW"].need_date == in_days(7)
    assert lines["R-NONE"].quantity == D("5")
    assert requisition.created_by.username.startswith("warehouse")
    assert requisition.note == "running low on the line"


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Tick at least one item"),
        ({"pick": ["R-LOW"], "qty_R-LOW": "abc", "date_R-LOW": "2026-01-01"}, "not a number"),
        ({"pick": ["R-LOW"], "qty_R-LOW": "5", "date_R-LOW": "soon"}, "YYYY-MM-DD"),
        ({"pick": ["R-LOW"], "qty_R-LOW": "-5", "date_R-LOW": "2026-01-01"}, "R-LOW"),
        ({"pick": ["R-LOW"], "qty_R-LOW": "1.5", "date_R-LOW": "2026-01-01"}, "R-LOW"),
        ({"extra_item": "NOPE", "extra_quantity": "1", "extra_date": "2026-01-01"}, "NOPE"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(items, make_user, data, message):
    client = client_for(make_user, Role.WAREHOUSE.value)
    answer = client.post(URL, data, follow=True)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not PurchaseRequisition.objects.exists()


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.WAREHOUSE.value, 200),
        (Role.PURCHASING.value, 200),
        (Role.SALES.value, 403),
        (Role.QUALITY.value, 403),
    ],
)
def test_who_may_raise_purchase_requests(items, make_user, role, status):
    assert client_for(make_user, role).get(URL).status_code == status


def test_page_runs_a_fixed_number_of_queries(items, make_user, django_assert_max_num_queries):
    for n in range(30):
        ItemFactory(code=f"R-MORE{n:02d}", safety_stock=D("5"))
    client = client_for(make_user, Role.WAREHOUSE.value)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_warehouse_may_raise_a_requisition_through_the_api(items, api_client_for):
    answer = api_client_for(Role.WAREHOUSE.value).post(
        "/api/v1/requisitions/",
        {"lines": [{"item": "R-LOW", "quantity": "75", "need_date": iso_in_days(7)}]},
        format="json",
    )
    assert answer.status_code == 201, answer.content
