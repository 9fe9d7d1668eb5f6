"""Stock through REST (`/api/v1/stock/` as CONTRACT.md section 7 says, the ledger at
`/api/v1/stock-moves/`) and the stock pages: balances per item and warehouse, the ledger
with the document behind each move, fixed query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from materials.models import Location, StockBalance
from orders.services.shipments import ship
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from production.services import finished_goods_receipt
from tests.factories import ItemFactory, WarehouseFactory
from tests.orders.warehouse_support import build_floor, put_stock

D = Decimal


@pytest.fixture
def floor(db, make_user):
    data = build_floor(make_user)
    clerk = data["clerk"]
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "R", D("10"))], user=clerk)
    issue_slip(kind="return", order_no="SO1", lines=[L(1, "R", D("2.5"), "defective")], user=clerk)
    WarehouseFactory(code="W2", name="Second")
    put_stock(data["r"], "7", D("3"), warehouse="W2")
    return data


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_stock_shape_per_item_and_warehouse(floor):
    response = api(floor["sales"]).get("/api/v1/stock/", {"item": "R"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = body["results"]
    assert [{k: r[k] for k in ("item", "warehouse", "usable", "quarantine")} for r in rows] == [
        {"item": "R", "warehouse": "MAIN", "usable": "490.000000", "quarantine": "2.500000"},
        {"item": "R", "warehouse": "W2", "usable": "7.000000", "quarantine": "0.000000"},
    ]
    assert rows[0]["uom"] == "kg"


def test_stock_filters(floor):
    client = api(floor["clerk"])
    everything = client.get("/api/v1/stock/").json()["results"]
    assert [(r["item"], r["warehouse"]) for r in everything] == [
        ("F", "MAIN"),
        ("R", "MAIN"),
        ("R", "W2"),
        ("S", "MAIN"),
    ]
    assert [
        r["item"] for r in client.get("/api/v1/stock/", {"warehouse": "W2"}).json()["results"]
    ] == ["R"]
    assert client.get("/api/v1/stock/", {"item": "NOPE"}).json()["count"] == 0
    assert client.get("/api/v1/stock/", {"search": "stee"}).json()["count"] == 2
    issue_slip(kind="pick", order_no="SO1", lines=[L(2, "S", D("21"))], user=floor["clerk"])
    ItemFactory(code="Z")
    put_stock(ItemFactory(code="Y"), "0.000001")
    assert client.get("/api/v1/stock/", {"item": "Y", "nonzero": "true"}).json()["count"] == 1
    assert client.get("/api/v1/stock/", {"item": "x\x00"}).status_code in (200, 400)


def test_stock_is_a_fixed_number_of_queries(floor, django_assert_max_num_queries):
    for n in range(30):
        put_stock(ItemFactory(code=f"B{n:02d}"), str(n + 1))
    client = api(floor["clerk"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/stock/", {"page_size": 100})
    assert response.json()["count"] == 34


def test_the_ledger_endpoint(floor, django_assert_max_num_queries):
    client = api(floor["clerk"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/stock-moves/", {"item": "R"})
    moves = response.json()["results"]
    assert [(m["kind"], m["warehouse"], m["location"], m["quantity"]) for m in moves] == [
        ("receipt", "W2", "usable", "7.000000"),
        ("return", "MAIN", "quarantine", "2.500000"),
        ("pick", "MAIN", "usable", "-10.000000"),
        ("receipt", "MAIN", "usable", "500.000000"),
    ]
    pick = moves[2]
    assert pick["document_type"] == "material_slip" and pick["document_number"].startswith("PK-")
    assert pick["balance_after"] == "490.000000" and pick["created_by"] == "clerk"
    assert "unit_cost" not in pick
    assert "unit_cost" in api(floor["manager"]).get("/api/v1/stock-moves/").json()["results"][0]
    assert client.get("/api/v1/stock-moves/", {"location": "quarantine"}).json()["count"] == 1
    assert client.get("/api/v1/stock-moves/", {"kind": "pick", "item": "R"}).json()["count"] == 1
    assert (
        client.get("/api/v1/stock-moves/", {"document_number": pick["document_number"]}).json()[
            "count"
        ]
        == 1
    )
    assert client.get("/api/v1/stock-moves/", {"kind": "theft"}).status_code == 400
    assert client.get(f"/api/v1/stock-moves/{pick['id']}/").json() == pick


def test_reading_stock_needs_a_role(floor, make_user):
    assert APIClient().get("/api/v1/stock/").status_code == 401
    assert api(make_user()).get("/api/v1/stock/").status_code == 403
    assert api(floor["clerk"]).post("/api/v1/stock/", {}, format="json").status_code in (403, 405)


def test_the_stock_page_hides_zero_balances_unless_asked(client, floor):
    put_stock(ItemFactory(code="ZERO"), "1")
    issue_slip(kind="pick", order_no="SO1", lines=[L(2, "S", D("21"))], user=floor["clerk"])
    StockBalance.objects.create(
        item=ItemFactory(code="EMPTY"),
        location=Location.objects.get(warehouse__code="MAIN", kind="usable"),
    )
    client.force_login(floor["sales"])
    page = client.get(reverse("materials:stock-list"))
    assert page.status_code == 200
    html = text(page)
    assert (
        'data-testid="stock-row-R-MAIN"' in html
        and 'data-testid="stock-row-EMPTY-MAIN"' not in html
    )
    row = re.search(r'data-testid="stock-row-R-MAIN">(.*?)</tr>', html).group(1)
    assert ">490<" in row and ">2.5<" in row
    assert 'data-testid="stock-row-EMPTY-MAIN"' in text(
        client.get(reverse("materials:stock-list"), {"all": "1"})
    )
    assert (
        client.get(reverse("materials:stock-list"), {"q": "stee"}).context["page"].paginator.count
        == 2
    )
    assert (
        client.get(reverse("materials:stock-list"), {"warehouse": "W2"})
        .context["page"]
        .paginator.count
        == 1
    )
    partial = client.get(reverse("materials:stock-list"), {"q": "R"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_the_stock_page_is_a_fixed_number_of_queries(client, floor, django_assert_max_num_queries):
    for n in range(40):
        put_stock(ItemFactory(code=f"B{n:02d}"), "1")
    client.force_login(floor["clerk"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("materials:stock-list"))
    assert len(response.context["page"]) == 44


def test_the_item_ledger_page_links_each_document(client, floor, django_assert_max_num_queries):
    shipments = ship(user=floor["clerk"], order_no="SO1", lines=[(1, D("3"))])
    receipt = finished_goods_receipt(
        user=floor["clerk"], quantity=D("2"), order_line=floor["line1"]
    )
    client.force_login(floor["clerk"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("materials:stock-ledger", args=["F"]))
    html = text(response)
    assert reverse("orders:delivery-detail", args=[shipments[0].delivery_no]) in html
    assert reverse("production:fg-receipt-detail", args=[receipt.number]) in html
    moves = list(response.context["page"])
    assert [m.usable_after for m in moves] == [D("99"), D("97"), D("100")]
    r_page = client.get(reverse("materials:stock-ledger", args=["R"]), {"warehouse": "MAIN"})
    slip_links = re.findall(r'href="(/orders/slips/[^"]+/)"', text(r_page))
    assert len(slip_links) == 2 and all(client.get(u).status_code == 200 for u in slip_links)
    assert [(m.usable_after, m.quarantine_after) for m in r_page.context["page"]] == [
        (D("490"), D("2.5")),
        (D("490"), D("0")),
        (D("500"), D("0")),
    ]
    everywhere = client.get(reverse("materials:stock-ledger", args=["R"]))
    assert [m.usable_after for m in everywhere.context["page"]][0] == D("497")
    assert client.get(reverse("materials:stock-ledger", args=["NOPE"])).status_code == 404


def test_the_ledger_page_stays_at_a_fixed_number_of_queries(
    client, floor, django_assert_max_num_queries
):
    for _ in range(20):
        put_stock(floor["s"], "1")
    client.force_login(floor["clerk"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("materials:stock-ledger", args=["S"]))
    assert len(response.context["page"]) == 21
