"""Documents nobody is recorded against (the workbook import writes them with no user, and
a deleted user leaves SET_NULL behind) still open: every page shows "—" for who did it.

Also: the supplier an item was last bought from is read without PostgreSQL's DISTINCT ON
(the embedded SQLite database refused it, so raising a requisition was a 500)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from erp.roles import Role
from materials.selectors_purchasing import latest_suppliers
from materials.services import purchasing as p
from materials.services.receipts import goods_receipt
from orders.services.shipments import ship
from orders.services.slips import SlipLineInput, issue_slip
from production.services.receipts import finished_goods_receipt
from tests.factories import SupplierFactory
from tests.orders.material_support import DUE, build_floor, order_of, purchase_line, put_stock

pytestmark = pytest.mark.django_db
D = Decimal


def forget_every_user() -> int:
    """What an import leaves: every `..._by` user reference of the project empty."""
    emptied = 0
    for model in apps.get_models():
        if model._meta.app_label not in (
            "customers",
            "crm",
            "materials",
            "orders",
            "production",
            "reports",
        ):
            continue
        if model._meta.label == "materials.StockMove":  # append-only, by a trigger
            continue
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.null
                and field.name.endswith("_by")
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                emptied += model.objects.exclude(**{field.name: None}).update(**{field.name: None})
    return emptied


@pytest.fixture
def documents(make_user):
    floor = build_floor()
    buyer, clerk = make_user(Role.PURCHASING.value), make_user(Role.WAREHOUSE.value)
    requisition = p.requisition_create(
        user=buyer, source="SO1", lines=[p.RequisitionLineInput(floor.r, D("10"), DUE)]
    )
    purchase_order = p.purchase_order_from_requisitions(
        user=buyer,
        supplier=floor.supplier,
        requisition=requisition,
        order_date=dt.date(2026, 3, 1),
        lines=[p.RequisitionOrderLine(line.pk, D("3.5"), DUE) for line in requisition.lines.all()],
    )
    receipt = goods_receipt(user=clerk, purchase_line=purchase_order.lines.get(), quantity=D("4"))
    order = order_of("SO1", (floor.f, "5"))
    put_stock(floor.f, "10")
    put_stock(floor.s, "10")
    delivery = ship(user=clerk, order_no="SO1", lines=[(1, D("2"))])[0]
    slip = issue_slip(
        kind="pick", order_no="SO1", lines=[SlipLineInput(1, "S", D("1"))], user=clerk
    )
    fg_receipt = finished_goods_receipt(
        user=clerk, quantity=D("1"), order_line=order.lines.get(line=1)
    )
    assert forget_every_user() >= 6
    return {
        "materials:requisition-list": [],
        "materials:requisition-detail": [requisition.number],
        "materials:purchase-order-detail": [purchase_order.po_no],
        "materials:receipt-detail": [receipt.number],
        "orders:slip-detail": [slip.number],
        "orders:delivery-detail": [delivery.delivery_no],
        "production:fg-receipt-detail": [fg_receipt.number],
        "orders:order-detail": [order.order_no],
    }


def test_every_document_page_opens_without_a_recorded_user(client, make_user, documents):
    client.force_login(make_user(Role.ADMIN.value, is_staff=True))
    for name, args in documents.items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    detail = client.get(
        reverse(
            "materials:purchase-order-detail", args=documents["materials:purchase-order-detail"]
        )
    )
    assert "Ordered by</dt><dd" in detail.content.decode() and "—" in detail.content.decode()


@pytest.mark.parametrize(
    ("user", "shown"),
    [
        (None, "—"),
        ("", "—"),
        ({"username": "li", "first_name": ""}, "li"),
        ({"username": "li", "first_name": "Li Na"}, "Li Na"),
    ],
)
def test_the_person_filter(make_user, user, shown):
    if isinstance(user, dict):
        user = make_user(username=user["username"], first_name=user["first_name"])
    rendered = Template("{% load erp_format %}{{ who|person }}").render(Context({"who": user}))
    assert rendered == shown


def test_person_filter_takes_another_word_for_nobody():
    rendered = Template('{% load erp_format %}{{ who|person:"import" }}').render(Context({}))
    assert rendered == "import"


def test_latest_supplier_is_portable_and_takes_the_latest_order(make_user):
    floor = build_floor()
    old = SupplierFactory(code="OLD")
    newer = SupplierFactory(code="NEW")
    purchase_line(floor.r, "1", supplier=old, order_date=dt.date(2025, 1, 1))
    purchase_line(floor.r, "1", supplier=newer, order_date=dt.date(2026, 2, 1))
    purchase_line(floor.r, "1", supplier=old, order_date=dt.date(2026, 3, 1), status="cancelled")
    # Same day: the later purchase order wins.
    purchase_line(floor.s, "1", supplier=newer, order_date=dt.date(2026, 2, 1))
    purchase_line(floor.s, "1", supplier=old, order_date=dt.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        found = latest_suppliers(item_ids=[floor.r.pk, floor.s.pk, floor.f.pk])
    assert found == {floor.r.pk: newer, floor.s.pk: old}
    assert len(queries) == 1
    assert "DISTINCT ON" not in queries[0]["sql"].upper()
