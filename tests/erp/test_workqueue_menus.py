"""Menus complete for each role (every entry answers 200 to the roles it is shown to), and
the supplier pages the menus lead to."""

from decimal import Decimal

import pytest
from django.urls import reverse

from erp.navigation import menu_for
from erp.roles import Role
from materials.models import InspectionKind, InspectionLot, PurchaseOrder, Warehouse
from tests.clock import in_days
from tests.factories import (
    ItemFactory,
    PurchaseOrderLineFactory,
    SupplierFactory,
    UserFactory,
)


def menu_urls(user) -> set[str]:
    return {e["url"] for s in menu_for(user) for e in s["entries"]}


@pytest.fixture
def people(db):
    return {r: UserFactory(username=r, roles=[r]) for r in Role.values}


@pytest.mark.parametrize(
    "role,pages",
    [
        (
            "warehouse",
            [
                "orders:shipment-create",
                "materials:receipt-list",
                "materials:adjustment-list",
                "materials:supplier-list",
            ],
        ),
        ("production", ["production:shortfall-list", "production:mrp-production"]),
        ("purchasing", ["materials:supplier-list", "production:shortfall-list"]),
        (
            "quality",
            [
                "materials:process-list",
                "materials:supplier-list",
                "materials:supplier-quality",
                "production:check-list",
            ],
        ),
        ("manager", ["materials:supplier-list", "orders:credit-approval-list"]),
    ],
)
def test_each_role_finds_its_pages_in_the_menu(people, role, pages):
    urls = menu_urls(people[role])
    for name in pages:
        assert reverse(name) in urls, name


@pytest.mark.parametrize("role", Role.values)
def test_every_menu_entry_opens_for_the_role_it_is_shown_to(client, people, role):
    client.force_login(people[role])
    for url in sorted(menu_urls(people[role])):
        assert client.get(url).status_code == 200, url


def test_sales_has_no_supplier_pages_in_its_menu(people):
    assert reverse("materials:supplier-list") not in menu_urls(people["sales"])


# --- supplier pages -------------------------------------------------------------------------


@pytest.fixture
def suppliers(db):
    steel = SupplierFactory(code="STEEL", name="Steel Works", phone="021 5555")
    SupplierFactory(code="PAINT", name="Paint Co")
    PurchaseOrderLineFactory(
        purchase_order__po_no="PO-LATE",
        purchase_order__supplier=steel,
        line=1,
        due_date=in_days(-2),
        unit_price=Decimal("12.50"),
    )
    PurchaseOrderLineFactory(
        purchase_order__po_no="PO-DONE",
        purchase_order__supplier=steel,
        purchase_order__status=PurchaseOrder.Status.CLOSED,
        line=1,
        due_date=in_days(-20),
        quantity=Decimal(4),
        received_quantity=Decimal(4),
    )
    InspectionLot.objects.create(
        number="IL-S",
        kind=InspectionKind.INCOMING,
        status="done",
        item=ItemFactory(code="ROD"),
        warehouse=Warehouse.objects.get(code="MAIN"),
        quantity=Decimal(10),
        accepted=Decimal(9),
        rejected=Decimal(1),
        supplier=steel,
    )
    return steel


def test_supplier_list_with_open_orders_and_late_lines(client, people, suppliers):
    client.force_login(people["purchasing"])
    page = client.get(reverse("materials:supplier-list"))
    rows = {s.code: s for s in page.context["page"]}
    assert list(rows) == ["PAINT", "STEEL"]
    assert (rows["STEEL"].open_orders, rows["STEEL"].late_lines) == (1, 1)
    assert (rows["PAINT"].open_orders, rows["PAINT"].late_lines) == (0, 0)
    found = client.get(reverse("materials:supplier-list"), {"q": "5555"}).context["page"]
    assert [s.code for s in found] == ["STEEL"]
    assert client.get(reverse("materials:supplier-list"), {"q": "a\x00b"}).status_code == 200


def test_supplier_list_queries_do_not_grow(
    client, people, suppliers, django_assert_max_num_queries
):
    for n in range(20):
        PurchaseOrderLineFactory(purchase_order__supplier=SupplierFactory(code=f"S{n:02d}"))
    client.force_login(people["purchasing"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("materials:supplier-list")).status_code == 200


def test_supplier_detail_orders_and_quality(client, people, suppliers):
    client.force_login(people["purchasing"])
    html = client.get(reverse("materials:supplier-detail", args=["STEEL"])).content.decode()
    assert "PO-LATE" in html and "PO-DONE" in html
    quality = html[html.index('data-testid="supplier-quality"') :]
    assert "10.0%" in quality  # 1 rejected of 10 decided
    assert "12.50" in html  # purchasing sees purchase prices


def test_the_warehouse_sees_no_purchase_prices(client, people, suppliers):
    client.force_login(people["warehouse"])
    html = client.get(reverse("materials:supplier-detail", args=["STEEL"])).content.decode()
    assert "PO-LATE" in html and "12.50" not in html


def test_unknown_supplier_is_404(client, people, db):
    client.force_login(people["purchasing"])
    assert client.get(reverse("materials:supplier-detail", args=["NOPE"])).status_code == 404


def test_supplier_pages_need_a_login(client, db):
    assert client.get(reverse("materials:supplier-list")).status_code == 302
