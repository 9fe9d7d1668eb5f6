"""Who may do what with master data (erp/roles.py): every role reads it, each edits only
its own part, administrators everything, a user without a role nothing."""

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    ItemFactory,
    ProcessFactory,
    RoutingFactory,
    SupplierFactory,
    WarehouseFactory,
    WorkCenterFactory,
)

ROLES = ["sales", "warehouse", "purchasing", "production", "quality", "manager", "admin", ""]
READERS = set(ROLES) - {""}


@dataclass
class Resource:
    path: str
    make: Any  # builds the record the PATCH and DELETE act on; returns its URL key
    post: dict
    patch: dict
    writers: set[str]  # may POST and PATCH
    deleters: set[str]


def _bom_line():
    ItemFactory(code="NEWC")
    return BomLineFactory(parent=ItemFactory(code="TP"), component=ItemFactory(code="TC")).pk


def _routing():
    ProcessFactory(code="TPR")
    WorkCenterFactory(code="TWC")
    return RoutingFactory(item=ItemFactory(code="TR", kind="finished"), seq=10).pk


RESOURCES = {
    "items": Resource(
        "items",
        lambda: ItemFactory(code="T1").code,
        {"code": "NEW", "name": "New", "kind": "raw"},
        {"name": "Changed"},
        {"admin"},
        {"admin"},
    ),
    "bom-lines": Resource(
        "bom-lines",
        _bom_line,
        {"parent": "TP", "component": "NEWC", "quantity": "1"},
        {"quantity": "3"},
        {"admin"},
        {"admin"},
    ),
    "processes": Resource(
        "processes",
        lambda: ProcessFactory(code="T1").code,
        {"code": "NEW", "defect_rate": "0.01"},
        {"defect_rate": "0.03"},
        {"quality", "admin"},
        {"admin"},
    ),
    "work-centers": Resource(
        "work-centers",
        lambda: WorkCenterFactory(code="T1").code,
        {"code": "NEW", "hours_per_day": "16"},
        {"hours_per_day": "12"},
        {"production", "admin"},
        {"admin"},
    ),
    "routings": Resource(
        "routings",
        _routing,
        {"item": "TR", "seq": 20, "process": "TPR", "work_center": "TWC"},
        {"setup_minutes": "30"},
        {"production", "admin"},
        {"production", "admin"},
    ),
    "customers": Resource(
        "customers",
        lambda: CustomerFactory(code="T1").code,
        {"code": "NEW", "name": "New customer", "phones": ["138 1111 2222"]},
        {"region": "North"},
        {"sales", "admin"},
        {"admin"},
    ),
    "suppliers": Resource(
        "suppliers",
        lambda: SupplierFactory(code="T1").code,
        {"code": "NEW", "name": "New supplier"},
        {"phone": "021-1234"},
        {"purchasing", "admin"},
        {"admin"},
    ),
    "warehouses": Resource(
        "warehouses",
        lambda: WarehouseFactory(code="T1").code,
        {"code": "NEW", "name": "New warehouse"},
        {"name": "Renamed"},
        {"admin"},
        {"admin"},
    ),
}

ALLOWED = {"GET": 200, "POST": 201, "PATCH": 200, "DELETE": 204}


def _may(resource: Resource, role: str, method: str) -> bool:
    if method == "GET":
        return role in READERS
    if method == "DELETE":
        return role in resource.deleters
    return role in resource.writers


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(RESOURCES))
def test_role_matrix(make_user, name, role, method):
    resource = RESOURCES[name]
    key = resource.make()
    client = APIClient()
    client.force_authenticate(make_user(*([role] if role else [])))
    detail = f"/api/v1/{resource.path}/{key}/"
    if method == "GET":
        responses = [client.get(f"/api/v1/{resource.path}/"), client.get(detail)]
    elif method == "POST":
        responses = [client.post(f"/api/v1/{resource.path}/", resource.post, format="json")]
    elif method == "PATCH":
        responses = [client.patch(detail, resource.patch, format="json")]
    else:
        responses = [client.delete(detail)]
    expected = ALLOWED[method] if _may(resource, role, method) else 403
    for response in responses:
        assert response.status_code == expected, (name, role, method, response.content[:300])


def test_the_matrix_allows_and_refuses_something_for_every_working_role():
    for role in READERS - {"admin"}:
        outcomes = {_may(r, role, method) for r in RESOURCES.values() for method in ALLOWED}
        assert outcomes == {True, False}, role
