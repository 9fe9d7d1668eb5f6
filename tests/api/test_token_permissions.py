"""A token request reads the user's permissions (own and through groups) in one query,
the same set Django's ModelBackend builds (erp/api/authentication.py)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from erp.api.authentication import permission_names

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_permissions_are_those_of_the_model_backend(make_user):
    user = make_user("warehouse", "sales", username="both")
    user.user_permissions.add(Permission.objects.get(codename="add_item"))
    fresh = User.objects.get(pk=user.pk)
    expected = ModelBackend().get_all_permissions(fresh)
    assert "materials.add_item" in expected and "orders.add_materialslip" in expected
    with CaptureQueriesContext(connection) as queries:
        assert permission_names(User.objects.get(pk=user.pk)) == expected
    assert len(queries) == 2  # the user, then the permissions


def test_a_direct_permission_counts_and_a_missing_one_is_403(make_user):
    user = make_user(username="bare")
    client = token_client(user)
    assert client.get("/api/v1/items/").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_item"))
    assert client.get("/api/v1/items/").status_code == 200
    response = client.post("/api/v1/items/", {"code": "X", "name": "X", "kind": "raw"})
    assert response.status_code == 403


def test_a_token_request_reads_the_permissions_once(make_user):
    client = token_client(make_user("warehouse", username="clerk"))
    client.get("/api/v1/items/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/items/").status_code == 200
    permission_reads = [q for q in queries if '"auth_permission"' in q["sql"]]
    assert len(permission_reads) == 1


def test_an_inactive_users_token_is_refused(make_user):
    client = token_client(make_user("warehouse", username="gone", is_active=False))
    assert client.get("/api/v1/items/").status_code == 401
