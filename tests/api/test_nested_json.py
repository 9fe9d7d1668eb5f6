"""Deeply nested JSON is a 400 at every endpoint, never a RecursionError (a 500)."""

import pytest

from erp.api.parsers import MAX_DEPTH, depth_exceeds

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/customers/", "/api/v1/items/", "/api/v1/slips/", "/api/v1/orders/"]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000,
        "[" * 100_000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        '{"name": ' + "[" * 200 + "]" * 200 + "}",
    ],
    ids=["unclosed-1000", "unclosed-100000", "objects-5000", "just-too-deep", "deep-field"],
)
def test_deeply_nested_json_answers_400(admin_api, url, body):
    response = admin_api.post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert "nests deeper" in response.json()["detail"]


def test_deep_json_in_a_patch_answers_400(admin_api, factory_data):
    response = admin_api.patch("/api/v1/items/F1/", "[" * 1000, content_type="application/json")
    assert response.status_code == 400


def test_ordinary_nesting_still_parses(admin_api):
    # A slip body nests 3 levels; this one is only refused for its content.
    body = '{"kind": "pick", "order_no": "NONE", "lines": [{"item": "X", "quantity": "1"}]}'
    response = admin_api.post("/api/v1/slips/", body, content_type="application/json")
    assert response.status_code in (400, 404, 409)
    assert "nests deeper" not in response.content.decode()


def test_depth_exceeds_counts_lists_and_objects_without_recursion():
    deep: list = []
    node = deep
    for _ in range(50_000):
        node.append([])
        node = node[0]
    assert depth_exceeds(deep, MAX_DEPTH)
    assert not depth_exceeds({"a": [{"b": [1, 2]}]}, 4)
    assert depth_exceeds({"a": [{"b": [1, 2]}]}, 3)
    assert not depth_exceeds("text", 0)
