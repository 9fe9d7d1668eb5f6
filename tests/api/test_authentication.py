"""Who is asking: token and session authentication, 401 for nobody, 403 for a role that
may not."""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_drf_create_token_gives_a_key_that_authenticates(make_user):
    make_user("warehouse", username="clerk")
    out = io.StringIO()
    call_command("drf_create_token", "clerk", stdout=out)
    key = Token.objects.get(user__username="clerk").key
    assert key in out.getvalue()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/items/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_anonymous_gets_401_with_the_token_scheme():
    response = APIClient().get("/api/v1/items/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_a_wrong_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.post("/api/v1/items/", {"code": "X"}, format="json")
    assert response.status_code == 401


def test_a_session_works_and_a_role_without_the_right_is_403(make_user):
    make_user("sales", username="seller")
    client = APIClient()
    assert client.login(username="seller", password="pw")
    assert client.get("/api/v1/customers/").status_code == 200
    response = client.post("/api/v1/items/", {"code": "X", "name": "X", "kind": "raw"})
    assert response.status_code == 403


def test_a_user_without_any_role_sees_nothing(make_user):
    client = APIClient()
    client.force_authenticate(make_user())
    assert client.get("/api/v1/items/").status_code == 403
