import pytest
from django.contrib.auth.models import Group

from erp.roles import Role, can_see_costs, has_role


@pytest.mark.django_db
def test_every_role_is_a_group_with_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(Role.values) <= names
    for role in Role.values:
        assert Group.objects.get(name=role).permissions.exists(), role


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_costs"),
    [(r, r in {"manager", "admin"}) for r in Role.values],
)
def test_only_managers_and_admins_see_costs(make_user, role, sees_costs):
    assert can_see_costs(make_user(role)) is sees_costs


@pytest.mark.django_db
def test_admin_holds_every_role(make_user):
    admin = make_user(Role.ADMIN.value)
    assert all(has_role(admin, r) for r in Role.values)
    sales = make_user(Role.SALES.value)
    assert has_role(sales, Role.SALES.value) and not has_role(sales, Role.WAREHOUSE.value)
