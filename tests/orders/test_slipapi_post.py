"""`POST /api/v1/slips/` (CONTRACT.md section 7): each kind, each refusal (400 bad input,
409 limits, 409 stock) with `detail`, nothing written on refusal, idempotent retries, role
refusals; and the slip list and detail."""

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from materials.models import StockMove
from orders.models import MaterialSlip, OrderMaterial
from tests.orders.warehouse_support import build_floor, moves_count, stock

D = Decimal
URL = "/api/v1/slips/"


@pytest.fixture
def floor(db, make_user):
    return build_floor(make_user)


@pytest.fixture
def clerk_api(floor):
    client = APIClient()
    client.force_authenticate(floor["clerk"])
    return client


def body(kind="pick", *lines, order_no="SO1", **extra):
    lines = lines or ({"line": 1, "item": "R", "quantity": "10.5"},)
    return {"kind": kind, "order_no": order_no, "lines": list(lines), **extra}


def post(client, data, **headers):
    return client.post(URL, data, format="json", headers=headers)


def nothing_written(before_moves: int) -> bool:
    return (
        MaterialSlip.objects.count() == 0
        and moves_count() == before_moves
        and not OrderMaterial.objects.exclude(picked=0).exists()
    )


def test_pick_answers_201_with_the_slip(clerk_api, floor):
    response = post(
        clerk_api,
        body(
            "pick",
            {"line": 1, "item": "R", "quantity": "42.84"},
            {"line": 1, "item": "S", "quantity": 2},
        ),
    )
    assert response.status_code == 201, response.content
    slip = response.json()
    assert slip["number"].startswith("PK-") and isinstance(slip["id"], int)
    assert slip["kind"] == "pick" and slip["order_no"] == "SO1" and slip["warehouse"] == "MAIN"
    assert slip["created_by"] == "clerk" and slip["created_at"]
    assert [(ln["line"], ln["item"], ln["quantity"], ln["reason"]) for ln in slip["lines"]] == [
        (1, "R", "42.840000", ""),
        (1, "S", "2.000000", ""),
    ]
    assert stock(floor["r"]) == D("457.16") and stock(floor["s"]) == D("498")
    assert response["Content-Type"] == "application/json"


def test_return_and_replenish_through_the_api(clerk_api, floor):
    assert (
        post(clerk_api, body("pick", {"line": 1, "item": "R", "quantity": "42.84"})).status_code
        == 201
    )
    returned = post(
        clerk_api,
        body(
            "return",
            {"line": 1, "item": "R", "quantity": "3.5", "reason": "defective"},
            {"line": 1, "item": "R", "quantity": "1", "reason": "surplus"},
        ),
    )
    assert returned.status_code == 201, returned.content
    assert returned.json()["number"].startswith("RT-")
    assert {ln["reason"] for ln in returned.json()["lines"]} == {"defective", "surplus"}
    assert stock(floor["r"], "quarantine") == D("3.5")
    assert stock(floor["r"]) == D("458.16")
    replenished = post(clerk_api, body("replenish", {"line": 1, "item": "R", "quantity": "3.5"}))
    assert replenished.status_code == 201, replenished.content
    assert replenished.json()["number"].startswith("RP-")
    counter = OrderMaterial.objects.get(item=floor["r"])
    assert (
        counter.picked,
        counter.returned_defective,
        counter.returned_surplus,
        counter.replenished,
    ) == (
        D("42.84"),
        D("3.5"),
        D("1"),
        D("3.5"),
    )


def test_a_number_quantity_and_another_warehouse(clerk_api, floor, make_user):
    response = post(
        clerk_api, body("pick", {"line": 2, "item": "S", "quantity": 20}, warehouse="MAIN")
    )
    assert response.status_code == 201
    assert response.json()["lines"][0]["quantity"] == "20.000000"
    unknown = post(clerk_api, body("pick", warehouse="NOWHERE"))
    assert unknown.status_code == 400 and "NOWHERE" in unknown.json()["detail"]


@pytest.mark.parametrize(
    "lines, words",
    [
        (
            [{"line": 1, "item": "R", "quantity": "42.841"}],
            ["limit is 42.84 kg", "42.841 kg asked"],
        ),
        ([{"line": 2, "item": "S", "quantity": "22"}], ["limit is 21 pcs", "21 pcs left"]),
    ],
)
def test_a_pick_beyond_the_limit_is_409_and_writes_nothing(clerk_api, floor, lines, words):
    before = moves_count()
    response = post(clerk_api, body("pick", *lines))
    assert response.status_code == 409
    detail = response.json()["detail"]
    for word in words:
        assert word in detail
    assert nothing_written(before)


def test_replenish_and_return_beyond_what_is_allowed_are_409(clerk_api, floor):
    post(clerk_api, body("pick", {"line": 1, "item": "R", "quantity": "10"}))
    response = post(clerk_api, body("replenish", {"line": 1, "item": "R", "quantity": "0.001"}))
    assert response.status_code == 409
    assert "0 kg returned defective" in response.json()["detail"]
    response = post(
        clerk_api,
        body("return", {"line": 1, "item": "R", "quantity": "10.001", "reason": "surplus"}),
    )
    assert response.status_code == 409
    assert "holds 10 kg" in response.json()["detail"]
    assert MaterialSlip.objects.count() == 1


def test_not_enough_stock_is_409_and_writes_nothing(clerk_api, floor):
    before = moves_count()
    # S: 500 in stock; line 1 may pick 102 and line 2 21, but R is short on this order:
    floor["order"].lines.filter(line=1).update(quantity=D("5000"))
    response = post(
        clerk_api,
        body(
            "pick",
            {"line": 1, "item": "S", "quantity": "10"},
            {"line": 1, "item": "R", "quantity": "600"},
        ),
    )
    assert response.status_code == 409
    assert "Not enough R in MAIN" in response.json()["detail"]
    assert "500 kg on hand" in response.json()["detail"]
    assert nothing_written(before)
    assert stock(floor["s"]) == D("500")


BAD_BODIES = [
    {},
    {"kind": "pick", "order_no": "SO1"},  # no lines
    body(lines=None) | {"lines": None},
    body() | {"lines": "R 10"},
    body() | {"lines": {"line": 1, "item": "R", "quantity": "1"}},
    body() | {"lines": []},
    body() | {"lines": [1, 2]},
    body() | {"kind": "steal"},
    body() | {"kind": None},
    body() | {"order_no": ""},
    body() | {"order_no": {"no": 1}},
    body() | {"order_no": "x" * 500},
    body() | {"order_no": "SO\x001"},
    body("pick", {"line": 1, "item": "R", "quantity": "abc"}),
    body("pick", {"line": 1, "item": "R", "quantity": "NaN"}),
    body("pick", {"line": 1, "item": "R", "quantity": "Infinity"}),
    body("pick", {"line": 1, "item": "R", "quantity": "1e999999"}),
    body("pick", {"line": 1, "item": "R", "quantity": 1e300}),
    body("pick", {"line": 1, "item": "R", "quantity": "9" * 60}),
    body("pick", {"line": 1, "item": "R", "quantity": "0.0000001"}),
    body("pick", {"line": 1, "item": "R", "quantity": "-1"}),
    body("pick", {"line": 1, "item": "R", "quantity": "0"}),
    body("pick", {"line": 1, "item": "R", "quantity": True}),
    body("pick", {"line": 1, "item": "R", "quantity": None}),
    body("pick", {"line": 1, "item": "R"}),
    body("pick", {"line": -1, "item": "R", "quantity": "1"}),
    body("pick", {"line": 0, "item": "R", "quantity": "1"}),
    body("pick", {"line": 10**30, "item": "R", "quantity": "1"}),
    body("pick", {"line": "one", "item": "R", "quantity": "1"}),
    body("pick", {"line": 1.5, "item": "R", "quantity": "1"}),
    body("pick", {"line": 1, "item": ["R"], "quantity": "1"}),
    body("pick", {"line": 1, "item": "R", "quantity": "1", "reason": "stolen"}),
    body("pick", {"line": 1, "item": "R", "quantity": "1", "reason": "surplus"}),  # not a return
    body("return", {"line": 1, "item": "R", "quantity": "1"}),  # return without a reason
    body("pick", {"line": 9, "item": "R", "quantity": "1"}),  # no such order line
    body("pick", {"line": 1, "item": "NOPE", "quantity": "1"}),  # no such item
    body("pick", {"line": 1, "item": "F", "quantity": "1"}),  # not in the BOM
    body("pick", {"line": 1, "item": "S", "quantity": "1.5"}),  # pieces have no decimals
    body("pick", order_no="SO404"),
]


@pytest.mark.parametrize("data", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_bad_input_is_400_with_detail_and_writes_nothing(clerk_api, floor, data):
    before = moves_count()
    response = post(clerk_api, data)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert nothing_written(before)


@pytest.mark.parametrize("raw", ["{", "[]", "null", '"pick"', "42", '{"kind": NaN}', ""])
def test_malformed_json_is_400(clerk_api, floor, raw):
    response = clerk_api.generic("POST", URL, raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_field_messages_name_the_bad_line(clerk_api, floor):
    response = post(
        clerk_api,
        body(
            "pick",
            {"line": 1, "item": "R", "quantity": "1"},
            {"line": 1, "item": "R", "quantity": "abc"},
        ),
    )
    errors = response.json()
    assert response.status_code == 400
    assert list(errors["lines"]) == ["1"] and "quantity" in errors["lines"]["1"]
    assert errors["detail"].startswith("lines[1].quantity:")


def test_no_slip_against_a_draft_or_cancelled_order(clerk_api, floor):
    floor["order"].status = "draft"
    floor["order"].save()
    response = post(clerk_api, body())
    assert response.status_code == 400 and "nothing can be issued" in response.json()["detail"]


class TestIdempotency:
    def test_the_same_key_twice_makes_one_slip_and_moves_stock_once(self, clerk_api, floor):
        data = body("pick", {"line": 1, "item": "R", "quantity": "10"})
        first = post(clerk_api, data, **{"Idempotency-Key": "pick-0001"})
        again = post(clerk_api, data, **{"Idempotency-Key": "pick-0001"})
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert MaterialSlip.objects.count() == 1
        assert stock(floor["r"]) == D("490")
        assert StockMove.objects.filter(kind="pick").count() == 1

    def test_the_same_key_with_another_body_is_409(self, clerk_api, floor):
        post(
            clerk_api,
            body("pick", {"line": 1, "item": "R", "quantity": "10"}),
            **{"Idempotency-Key": "k1"},
        )
        other = post(
            clerk_api,
            body("pick", {"line": 1, "item": "R", "quantity": "11"}),
            **{"Idempotency-Key": "k1"},
        )
        assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
        assert MaterialSlip.objects.count() == 1 and stock(floor["r"]) == D("490")

    def test_a_refused_request_may_be_corrected_and_retried_with_its_key(self, clerk_api, floor):
        refused = post(
            clerk_api,
            body("pick", {"line": 1, "item": "R", "quantity": "99"}),
            **{"Idempotency-Key": "k2"},
        )
        assert refused.status_code == 409
        again = post(
            clerk_api,
            body("pick", {"line": 1, "item": "R", "quantity": "9"}),
            **{"Idempotency-Key": "k2"},
        )
        assert again.status_code == 201
        assert stock(floor["r"]) == D("491")

    def test_without_a_key_each_post_is_a_new_slip(self, clerk_api, floor):
        data = body("pick", {"line": 1, "item": "R", "quantity": "10"})
        assert post(clerk_api, data).status_code == post(clerk_api, data).status_code == 201
        assert MaterialSlip.objects.count() == 2


@pytest.mark.parametrize("role", ["sales", "purchasing", "production", "quality", "manager"])
def test_only_the_warehouse_may_post_slips(api_client_for, floor, role):
    before = moves_count()
    response = post(api_client_for(role), body())
    assert response.status_code == 403
    assert nothing_written(before)
    # ... but every role may read them
    assert api_client_for(role).get(URL).status_code == 200


def test_admin_may_post_and_anonymous_may_not(api_client_for, floor):
    assert post(api_client_for("admin"), body()).status_code == 201
    assert post(APIClient(), body()).status_code == 401


def test_list_filters_and_detail(clerk_api, floor):
    post(clerk_api, body("pick", {"line": 1, "item": "R", "quantity": "10"}))
    post(clerk_api, body("return", {"line": 1, "item": "R", "quantity": "1", "reason": "surplus"}))
    listed = clerk_api.get(URL).json()
    assert listed["count"] == 2 and [s["kind"] for s in listed["results"]] == ["return", "pick"]
    assert [s["kind"] for s in clerk_api.get(URL, {"kind": "pick"}).json()["results"]] == ["pick"]
    assert clerk_api.get(URL, {"order_no": "SO2"}).json()["count"] == 0
    assert clerk_api.get(URL, {"kind": "steal"}).status_code == 400
    one = listed["results"][1]
    detail = clerk_api.get(f"{URL}{one['id']}/")
    assert detail.status_code == 200 and detail.json() == one
    assert clerk_api.get(f"{URL}999999/").status_code == 404
    assert clerk_api.get(f"{URL}abc/").status_code == 404


def test_the_list_is_a_fixed_number_of_queries(clerk_api, floor, django_assert_max_num_queries):
    for _ in range(8):
        post(
            clerk_api,
            body(
                "pick",
                {"line": 1, "item": "R", "quantity": "1"},
                {"line": 2, "item": "S", "quantity": "1"},
            ),
        )
    with django_assert_max_num_queries(8):
        response = clerk_api.get(URL)
    assert response.json()["count"] == 8 and len(response.json()["results"][0]["lines"]) == 2


def test_put_and_delete_are_not_allowed(api_client_for, floor):
    clerk_api = api_client_for("admin")
    slip = post(clerk_api, body()).json()
    assert clerk_api.delete(f"{URL}{slip['id']}/").status_code == 405
    assert (
        clerk_api.put(
            f"{URL}{slip['id']}/", json.dumps(body()), content_type="application/json"
        ).status_code
        == 405
    )
