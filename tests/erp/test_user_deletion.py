"""A user who made stock moves is never deleted (the append-only ledger keeps who made each
move): the admin refuses with the reason and offers deactivation; the ORM refuses too."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.urls import reverse

from erp.roles import Role
from erp.services import records_keeping_users, users_deactivate
from materials.models import Location, StockMove
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import ItemFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="root", roles=[Role.ADMIN.value], is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def a_move_by(user) -> StockMove:
    warehouse = WarehouseFactory(code="MAIN")
    usable = Location.objects.get(warehouse=warehouse, kind="usable")
    (move,) = apply_stock_changes(
        changes=[StockChange(ItemFactory().pk, usable.pk, Decimal("2"), Decimal("1"))],
        kind="count",
        user=user,
    )
    return move


def test_deleting_a_user_with_stock_moves_in_the_admin_is_refused_and_offers_deactivation(
    admin_client,
):
    clerk = UserFactory(username="clerk")
    move = a_move_by(clerk)
    url = reverse("admin:auth_user_delete", args=[clerk.pk])

    for response in (admin_client.get(url), admin_client.post(url, {"post": "yes"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:auth_user_change", args=[clerk.pk])
        message = [str(m) for m in get_messages(response.wsgi_request)][-1]
        assert "clerk cannot be deleted" in message
        assert "1 stock move" in message and "Deactivate the user instead" in message

    page = admin_client.get(url, follow=True)  # lands on the user's page, "Active" at hand
    assert b'name="is_active"' in page.content and b"cannot be deleted" in page.content

    assert User.objects.filter(pk=clerk.pk).exists()
    assert StockMove.objects.get(pk=move.pk).created_by_id == clerk.pk


def test_bulk_delete_in_the_admin_lists_the_users_the_ledger_keeps_and_deletes_nothing(
    admin_client,
):
    clerk, other = UserFactory(username="clerk"), UserFactory(username="other")
    a_move_by(clerk)
    changelist = reverse("admin:auth_user_changelist")
    data = {"action": "delete_selected", "_selected_action": [clerk.pk, other.pk], "post": "yes"}

    response = admin_client.post(changelist, data)

    assert response.status_code == 200  # the confirmation page, listing what blocks it
    assert "clerk cannot be deleted" in response.content.decode()
    assert User.objects.filter(pk__in=[clerk.pk, other.pk]).count() == 2


def test_the_deactivate_action_keeps_the_user_and_the_ledger(admin_client):
    clerk = UserFactory(username="clerk")
    move = a_move_by(clerk)
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [clerk.pk]},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert StockMove.objects.get(pk=move.pk).created_by_id == clerk.pk


def test_a_user_without_kept_records_is_still_deleted_in_the_admin(admin_client):
    temp = UserFactory(username="temp")
    url = reverse("admin:auth_user_delete", args=[temp.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=temp.pk).exists()


def test_deleting_such_a_user_anywhere_else_raises_protected_error_not_a_ledger_update():
    clerk = UserFactory(username="clerk")
    move = a_move_by(clerk)
    with pytest.raises(ProtectedError):
        clerk.delete()
    assert StockMove.objects.get(pk=move.pk).created_by_id == clerk.pk


def test_records_keeping_users_counts_per_user_and_deactivate_is_idempotent():
    clerk, other = UserFactory(username="clerk"), UserFactory(username="other")
    a_move_by(clerk)
    found = records_keeping_users(user_ids=[clerk.pk, other.pk])
    assert found == {clerk.pk: [("stock move", 1)]}
    assert users_deactivate(users=[clerk]) == 1
    assert users_deactivate(users=[clerk]) == 0
