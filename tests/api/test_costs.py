"""Cost figures (an item's standard_cost) only for managers and administrators: hidden
from everyone else, and a write of one by anyone else is refused with 403."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from materials.models import Item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("manager", True),
        ("admin", True),
        ("sales", False),
        ("warehouse", False),
        ("purchasing", False),
        ("production", False),
        ("quality", False),
    ],
)
def test_standard_cost_only_for_managers(api_client_for, factory_data, role, sees):
    client = api_client_for(role)
    listed = client.get("/api/v1/items/").json()["results"]
    detail = client.get("/api/v1/items/F1/").json()
    assert ("standard_cost" in listed[0]) is sees
    assert ("standard_cost" in detail) is sees
    assert "list_price" in detail
    if sees:
        assert detail["standard_cost"] == "12.500000"
    options = client.options("/api/v1/items/").json()
    assert "standard_cost" not in str(options) or sees


@pytest.fixture
def item_editor(make_user):
    """Someone allowed to edit items who is not a manager (a role the table may grow)."""
    user = make_user(username="item_editor")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="materials",
            codename__in=["view_item", "add_item", "change_item"],
        )
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_non_manager_sending_a_cost_is_refused(item_editor, factory_data):
    response = item_editor.patch("/api/v1/items/F1/", {"standard_cost": "1"}, format="json")
    assert response.status_code == 403
    assert "standard_cost" in response.json()["detail"]
    body = {"code": "N1", "name": "New", "kind": "raw", "standard_cost": "3"}
    assert item_editor.post("/api/v1/items/", body, format="json").status_code == 403
    assert Item.objects.get(code="F1").standard_cost == Decimal("12.5")
    assert not Item.objects.filter(code="N1").exists()


def test_a_non_manager_may_edit_the_rest_and_the_cost_stays(item_editor, factory_data):
    response = item_editor.patch("/api/v1/items/F1/", {"name": "Pipe 2"}, format="json")
    assert response.status_code == 200
    assert "standard_cost" not in response.json()
    assert Item.objects.get(code="F1").standard_cost == Decimal("12.5")


def test_a_manager_may_not_edit_items_at_all(api_client_for, factory_data):
    """Seeing costs is not editing them: the role table gives managers view only."""
    response = api_client_for("manager").patch(
        "/api/v1/items/F1/", {"standard_cost": "1"}, format="json"
    )
    assert response.status_code == 403
