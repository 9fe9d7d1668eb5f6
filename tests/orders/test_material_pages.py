"""The order's material page: the numbers, the status badges, and the material
controller's "raise purchase requisition"."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.roles import Role
from materials.models import PurchaseRequisition
from orders.availability.store import refresh_material_availability
from tests.orders.material_support import LATER, build_floor, order_of, put_stock

D = Decimal


@pytest.fixture
def floor(db):
    floor = build_floor()
    order_of("SO1", (floor.f, "50", LATER))
    order_of("SO2", (floor.f, "10"))
    put_stock(floor.r, "50")
    return floor


def client_for(make_user, *roles) -> Client:
    client = Client()
    client.force_login(make_user(*roles))
    return client


def page(client, order_no="SO1"):
    return client.get(reverse("orders:order-material", args=[order_no]))


def test_the_page_shows_every_number_and_the_status(
    floor, make_user, django_assert_max_num_queries
):
    client = client_for(make_user, Role.SALES.value)
    refresh_material_availability()  # reading fresh figures is a fixed number of queries
    with django_assert_max_num_queries(25):
        response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    # SO2 (due first) makes 10 F: 21 S, 8.82 kg R; SO1 makes 50 F: 102 S, 42.84 kg R of
    # the 41.18 kg left: 1.66 kg short. S is made, never short.
    assert 'data-testid="material-row" data-line="1" data-item="R" data-status="short"' in html
    assert 'data-item="S" data-status="covered" data-made="1"' in html
    assert "42.84" in html and "41.18" in html and "1.66" in html
    assert 'data-testid="material-status">short' in html
    assert 'name="pick"' not in html and "raise-requisition" not in html  # sales only reads


def test_unknown_order_and_no_role(floor, make_user):
    assert page(client_for(make_user, Role.SALES.value), "NOPE").status_code == 404
    assert page(client_for(make_user)).status_code == 403
    assert page(Client()).status_code == 302  # to the login page


def test_the_material_controller_raises_a_requisition(floor, make_user):
    client = client_for(make_user, Role.PURCHASING.value)
    html = page(client).content.decode()
    assert 'name="pick" value="1:R"' in html and 'name="pick" value="1:S"' not in html
    url = reverse("orders:order-material-requisition", args=["SO1"])
    response = client.post(url, {"pick": ["1:R"], "note": "rush"})
    requisition = PurchaseRequisition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "materials:requisition-detail", args=[requisition.number]
    )
    assert requisition.source == "SO1" and requisition.note == "rush"
    # R: 42.84 - (50 - 8.82) = 1.66 kg; S is made, not bought
    assert {(x.item.code, x.quantity) for x in requisition.lines.all()} == {("R", D("1.66"))}


def test_a_refused_requisition_comes_back_with_the_reason(floor, make_user):
    client = client_for(make_user, Role.PURCHASING.value)
    url = reverse("orders:order-material-requisition", args=["SO1"])
    response = client.post(url, {"pick": ["1:F", "junk"]}, follow=True)
    assert "F (line 1) is made in-house" in response.content.decode()
    response = client.post(url, {}, follow=True)
    assert "Choose at least one short item" in response.content.decode()
    assert not PurchaseRequisition.objects.exists()


@pytest.mark.parametrize("role", [Role.SALES.value, Role.WAREHOUSE.value, Role.MANAGER.value])
def test_other_roles_may_not_raise_requisitions(floor, make_user, role):
    url = reverse("orders:order-material-requisition", args=["SO1"])
    response = client_for(make_user, role).post(url, {"pick": ["1:R"]})
    assert response.status_code == 403
    assert not PurchaseRequisition.objects.exists()


def test_an_order_number_with_a_slash(floor, make_user):
    order_of("2026/07", (floor.f, "1"))
    response = page(client_for(make_user, Role.SALES.value), "2026/07")
    assert response.status_code == 200 and "Material of order 2026/07" in response.content.decode()


def test_the_list_of_orders_short_of_material(floor, make_user, django_assert_max_num_queries):
    from orders.services.material_status import refresh_open_orders_material_status

    put_stock(floor.s, "1000")
    put_stock(floor.r, "10")
    # SO3 (due before SO1) needs 1020 S: 979 from stock, 41 to make from 17.22 kg R; SO1 is
    # left 42.78 kg of the 42.84 it needs: short.
    order_of("SO3", (floor.f, "500"))
    order_of("SO4", (floor.f, "1"), status="cancelled")
    refresh_open_orders_material_status()
    client = client_for(make_user, Role.PURCHASING.value)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:material-list"))
    html = response.content.decode()
    assert 'data-order="SO1"' in html and 'data-order="SO4"' not in html
    assert 'data-order="SO3"' not in html
    covered = client.get(reverse("orders:material-list"), {"status": "covered"}).content.decode()
    assert 'data-order="SO3"' in covered and 'data-order="SO1"' not in covered
