import pytest
from rest_framework.test import APIClient

from erp.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def make_user(db):
    def make(*roles: str, username: str | None = None, **kwargs):
        name = username or ("_".join(roles) or "norole") + "_user"
        return UserFactory(username=name, roles=roles, **kwargs)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN.value, username="admin_role", is_staff=True)


@pytest.fixture
def api_client_for(make_user):
    """An authenticated API client for a user holding `roles`."""

    def make(*roles: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(make_user(*roles))
        return client

    return make
