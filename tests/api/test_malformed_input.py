"""Nothing a client can send makes a 500: malformed JSON, wrong types, huge numbers, NUL
characters, unknown codes, odd query strings and odd URLs get a 4xx with a message."""

import json

import pytest

from materials.models import BomLine, Routing

pytestmark = pytest.mark.django_db

WEIRD_VALUES = [
    None,
    True,
    0,
    -1,
    10**30,
    -(10**30),
    1.5,
    1e300,
    "",
    "   ",
    "abc",
    "NaN",
    "Infinity",
    "-inf",
    "1e999999",
    "1e-999999",
    "9" * 60,
    "0." + "1" * 30,
    "x" * 5000,
    "\x00",
    "nul\x00inside",
    "１２",
    "💥",
    {"code": "F1"},
    [1, 2],
    [],
]

RAW_BODIES = [
    "{",
    '{"code": "A",}',
    "[]",
    "[1, 2]",
    '"just a string"',
    "42",
    "null",
    "",
    '{"quantity": NaN}',
    '{"quantity": 1e400, "defect_rate": -1e400, "hours_per_day": 1e400}',
    '{"seq": 1e400, "days_per_week": 99999999999999999999999999}',
    '{"code": "\\ud800"}',
    "\xff\xfe not utf-8",
]

# A valid body per endpoint (its fields are the ones fuzzed), and the record PATCH hits.
VALID = {
    "items": {
        "code": "NEW",
        "name": "New",
        "kind": "raw",
        "uom": "kg",
        "decimals": 3,
        "standard_cost": "1",
        "list_price": "2",
        "lead_time_days": 5,
        "safety_stock": "1",
        "min_order_qty": "1",
        "order_multiple": "1",
        "is_active": True,
    },
    "bom-lines": {"parent": "F1", "component": "R1", "quantity": "1", "process": "P1"},
    "processes": {"code": "NEW", "name": "Cut", "defect_rate": "0.1", "work_center": "WC1"},
    "work-centers": {"code": "NEW", "name": "Mill", "hours_per_day": "8", "days_per_week": 6},
    "routings": {
        "item": "F1",
        "seq": 99,
        "process": "P1",
        "work_center": "WC1",
        "minutes_per_unit": "1",
        "setup_minutes": "1",
    },
    "customers": {
        "code": "NEW",
        "name": "New",
        "industry": "x",
        "region": "x",
        "salesperson": "admin_user",
        "key_account": True,
        "is_active": True,
        "notes": "x",
        "phones": ["138 0000 1111"],
    },
    "suppliers": {"code": "NEW", "name": "New", "phone": "1"},
    "warehouses": {"code": "NEW", "name": "New", "is_active": True},
}
LOOKUP = {
    "items": "code",
    "processes": "code",
    "work-centers": "code",
    "customers": "code",
    "suppliers": "code",
    "warehouses": "code",
}


def detail_url(path: str) -> str:
    if path == "bom-lines":
        return f"/api/v1/bom-lines/{BomLine.objects.get(parent__code='F1').pk}/"
    if path == "routings":
        return f"/api/v1/routings/{Routing.objects.get(item__code='F1').pk}/"
    key = {
        "items": "F1",
        "processes": "P1",
        "work-centers": "WC1",
        "customers": "C001",
        "suppliers": "SUP1",
        "warehouses": "MAIN",
    }[path]
    return f"/api/v1/{path}/{key}/"


def assert_no_server_error(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert response.json(), what  # a message, not an empty body


@pytest.mark.parametrize("path", list(VALID))
def test_raw_bodies_never_500(admin_api, factory_data, path):
    for raw in RAW_BODIES:
        for method, url in (("post", f"/api/v1/{path}/"), ("patch", detail_url(path))):
            response = getattr(admin_api, method)(url, raw, content_type="application/json")
            assert_no_server_error(response, (method, raw))
    response = admin_api.post(f"/api/v1/{path}/", "code=A", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("path", list(VALID))
def test_every_field_with_weird_values_never_500(admin_api, factory_data, path):
    lookup = LOOKUP.get(path)
    for field in VALID[path]:
        for value in WEIRD_VALUES:
            body = {**VALID[path], field: value}
            response = admin_api.post(f"/api/v1/{path}/", body, format="json")
            assert response.status_code < 500, (field, value)
            if response.status_code == 201:  # a value that is fine after all: undo
                key = response.json().get(lookup) if lookup else response.json()["id"]
                admin_api.delete(f"/api/v1/{path}/{key}/")
            if field != lookup:
                url = detail_url(path)
                response = admin_api.patch(url, {field: value}, format="json")
                assert response.status_code < 500, (field, value)
    response = admin_api.put(detail_url(path), {}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("path", list(VALID))
def test_form_encoded_and_multipart_bodies_never_500(admin_api, factory_data, path):
    body = {field: "\x00" if i % 2 else "x" * 300 for i, field in enumerate(VALID[path])}
    assert admin_api.post(f"/api/v1/{path}/", body).status_code < 500
    encoded = "&".join(f"{f}=%00%ff" for f in VALID[path])
    response = admin_api.post(
        f"/api/v1/{path}/", encoded, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500


QUERY_STRINGS = [
    {"page": "abc"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "9" * 40},
    {"page_size": "-5"},
    {"page_size": "9" * 40},
    {"ordering": "nonexistent,-code,\x00"},
    {"ordering": "created_by__password"},
    {"search": "\x00"},
    {"search": "%_\\'\""},
    {"search": "x" * 10000},
]
FILTERS = {
    "items": ["code", "code_prefix", "kind", "is_active"],
    "bom-lines": ["parent", "component", "process"],
    "processes": ["work_center"],
    "work-centers": [],
    "routings": ["item", "process", "work_center"],
    "customers": ["region", "industry", "salesperson", "key_account", "is_active", "phone"],
    "suppliers": [],
    "warehouses": ["is_active"],
}


@pytest.mark.parametrize("path", list(FILTERS))
def test_odd_query_strings_never_500(admin_api, factory_data, path):
    params = QUERY_STRINGS + [
        {name: value}
        for name in FILTERS[path]
        for value in ("\x00", "x" * 5000, "true\x00", "%", "１２")
    ]
    for query in params:
        response = admin_api.get(f"/api/v1/{path}/", query)
        assert response.status_code < 500, query
        if response.status_code >= 400:
            assert response.json(), query


@pytest.mark.parametrize("path", list(VALID))
def test_odd_urls_are_404(admin_api, factory_data, path):
    for key in ("%00", "x" * 300, "%25", "9" * 30, "-1", "1.5", "%F0%9F%92%A5", "%ff"):
        for method in ("get", "patch", "delete"):
            response = getattr(admin_api, method)(f"/api/v1/{path}/{key}/")
            assert response.status_code == 404, (method, key, response.status_code)


def test_json_error_messages_say_what_is_wrong(admin_api):
    response = admin_api.post("/api/v1/items/", "{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    response = admin_api.post("/api/v1/items/", json.dumps([1]), content_type="application/json")
    assert response.status_code == 400
    body = {"code": "A", "name": "A", "kind": "raw", "safety_stock": "9" * 30}
    response = admin_api.post("/api/v1/items/", body, format="json")
    assert response.status_code == 400 and "safety_stock" in response.json()
