"""The admin: who-and-when on every save, warehouses get their locations, the stock ledger
is read-only, BOM cycles are refused, cost fields are hidden from people without costs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models import CustomerPhone
from erp.roles import Role
from materials.models import BomLine, Item, Location, StockMove, Warehouse
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    ItemFactory,
    PurchaseOrderLineFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db

ITEM_FORM = {
    "name": "Bracket",
    "kind": "semi",
    "uom": "pcs",
    "decimals": "0",
    "standard_cost": "3.5",
    "list_price": "9",
    "lead_time_days": "2",
    "safety_stock": "0",
    "min_order_qty": "0",
    "order_multiple": "0",
    "is_active": "on",
}


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def admin_client_for(client):
    def make(*roles: str, **kwargs):
        user = UserFactory(
            username="staff_" + "_".join(roles), roles=roles, is_staff=True, **kwargs
        )
        client.force_login(user)
        return client, user

    return make


def test_admin_saves_stamp_who_and_when_on_the_item_and_its_bom_lines(admin_client_for):
    client, user = admin_client_for(Role.ADMIN.value)
    component = ItemFactory(code="BOLT")
    data = {
        "code": "BRK",
        **ITEM_FORM,
        **management("bom_lines", total=1),
        "bom_lines-0-component": str(component.pk),
        "bom_lines-0-quantity": "4",
        **management("routings"),
    }
    response = client.post(reverse("admin:materials_item_add"), data)
    assert response.status_code == 302, response.context["errors"]
    item = Item.objects.get(code="BRK")
    assert item.created_by == user and item.updated_by == user
    line = BomLine.objects.get(parent=item)
    assert line.created_by == user and line.quantity == Decimal("4")


def test_admin_refuses_a_bom_line_that_closes_a_cycle(admin_client_for):
    client, _user = admin_client_for(Role.ADMIN.value)
    top = ItemFactory(code="TOP", kind="finished")
    mid = ItemFactory(code="MID", kind="semi")
    BomLineFactory(parent=top, component=mid)
    data = {
        "code": "MID",
        **ITEM_FORM,
        **management("bom_lines", total=1),
        "bom_lines-0-component": str(top.pk),
        "bom_lines-0-quantity": "1",
        **management("routings"),
    }
    response = client.post(reverse("admin:materials_item_change", args=[mid.pk]), data)
    assert response.status_code == 200
    assert "BOM cycle: MID -&gt; TOP -&gt; MID" in response.content.decode()
    assert not BomLine.objects.filter(parent=mid).exists()


def test_a_warehouse_added_in_the_admin_gets_its_locations(admin_client_for):
    client, user = admin_client_for(Role.ADMIN.value)
    data = {"code": "WH2", "name": "Second", "is_active": "on", **management("locations")}
    response = client.post(reverse("admin:materials_warehouse_add"), data)
    assert response.status_code == 302
    warehouse = Warehouse.objects.get(code="WH2")
    assert warehouse.created_by == user
    kinds = set(Location.objects.filter(warehouse=warehouse).values_list("kind", flat=True))
    assert kinds == {"usable", "quarantine", "inspection"}


def test_the_stock_ledger_cannot_be_written_from_the_admin(admin_client_for):
    client, _user = admin_client_for(Role.ADMIN.value, is_superuser=True)
    warehouse = WarehouseFactory(code="MAIN")
    usable = Location.objects.get(warehouse=warehouse, kind="usable")
    item = ItemFactory()
    (move,) = apply_stock_changes(
        changes=[StockChange(item.pk, usable.pk, Decimal("3"), Decimal("1"))], kind="count"
    )
    assert client.get(reverse("admin:materials_stockmove_changelist")).status_code == 200
    assert client.get(reverse("admin:materials_stockmove_add")).status_code == 403
    change_url = reverse("admin:materials_stockmove_change", args=[move.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change_url, {"quantity": "99"}).status_code == 403
    delete_url = reverse("admin:materials_stockmove_delete", args=[move.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert StockMove.objects.get(pk=move.pk).quantity == Decimal("3")
    assert client.get(reverse("admin:materials_stockbalance_add")).status_code == 403


def test_cost_fields_are_hidden_in_the_admin_without_cost_rights(admin_client_for):
    client, _user = admin_client_for(Role.WAREHOUSE.value)
    item = ItemFactory(code="SECRET", standard_cost=Decimal("12.34"))
    listing = client.get(reverse("admin:materials_item_changelist"))
    assert listing.status_code == 200
    assert "standard_cost" not in listing.context["cl"].list_display
    form = client.get(reverse("admin:materials_item_change", args=[item.pk]))
    assert "standard_cost" not in form.context["adminform"].form.fields
    assert "12.34" not in form.content.decode()


def test_managers_see_cost_fields_in_the_admin(admin_client_for):
    client, _user = admin_client_for(Role.MANAGER.value)
    listing = client.get(reverse("admin:materials_item_changelist"))
    assert "standard_cost" in listing.context["cl"].list_display


def test_customer_admin_finds_a_customer_by_phone_digits(admin_client_for):
    client, _user = admin_client_for(Role.ADMIN.value)
    customer = CustomerFactory(code="C9", name="Nine")
    CustomerPhone.objects.create(customer=customer, number="0571-8888 1234")
    CustomerFactory(code="C8", name="Eight")
    listing = client.get(reverse("admin:customers_customer_changelist"), {"q": "8888-1234"})
    assert [c.code for c in listing.context["cl"].result_list] == ["C9"]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:materials_item_changelist",
        "admin:materials_stockmove_changelist",
        "admin:materials_stockbalance_changelist",
        "admin:materials_purchaseorder_changelist",
        "admin:customers_customer_changelist",
    ],
)
def test_admin_lists_keep_a_fixed_number_of_queries(
    admin_client_for, django_assert_max_num_queries, url_name
):
    client, _user = admin_client_for(Role.ADMIN.value, is_superuser=True)
    warehouse = WarehouseFactory(code="MAIN")
    usable = Location.objects.get(warehouse=warehouse, kind="usable")
    items = [ItemFactory(code=f"Q{n:03d}") for n in range(35)]
    apply_stock_changes(
        changes=[StockChange(i.pk, usable.pk, Decimal("1"), Decimal("1")) for i in items],
        kind="count",
    )
    for n in range(35):
        PurchaseOrderLineFactory(purchase_order__po_no=f"PO{n:03d}", item=items[n])
        CustomerFactory(code=f"K{n:03d}", salesperson=_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse(url_name)).status_code == 200


def test_every_admin_page_opens(admin_client_for):
    """Each registered model's list and add form render (read-only ones refuse the add)."""
    from django.contrib import admin

    client, _user = admin_client_for(Role.ADMIN.value, is_superuser=True)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.label
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == (200 if model_admin.has_add_permission(_request(_user)) else 403)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
