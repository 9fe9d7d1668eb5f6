"""`POST /api/v1/slips/` naming a work order, and
`GET /api/v1/work-orders/{wo_no}/requirements/`: each kind, each refusal (400 with field
messages, 409 limits and closed work orders), nothing written on refusal, query counts."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from orders.models import MaterialSlip, WorkOrderMaterial
from tests.factories import BomLineFactory, ItemFactory, WorkOrderFactory
from tests.orders.warehouse_support import moves_count, stock
from tests.orders.work_order_support import build_work_order_floor, wo_counters

D = Decimal
URL = "/api/v1/slips/"


def requirements_url(wo_no: str) -> str:
    return f"/api/v1/work-orders/{wo_no}/requirements/"


@pytest.fixture
def floor(db, make_user):
    return build_work_order_floor(make_user)


@pytest.fixture
def clerk_api(floor):
    client = APIClient()
    client.force_authenticate(floor["clerk"])
    return client


def body(kind="pick", *lines, work_order="WO-S", **extra):
    lines = lines or ({"item": "R", "quantity": "10.5"},)
    return {"kind": kind, "work_order": work_order, "lines": list(lines), **extra}


def post(client, data, **headers):
    return client.post(URL, data, format="json", headers=headers)


def nothing_written(before_moves: int) -> bool:
    return (
        MaterialSlip.objects.count() == 0
        and moves_count() == before_moves
        and not WorkOrderMaterial.objects.exclude(picked=0).exists()
    )


def test_pick_answers_201_with_the_slip(clerk_api, floor):
    response = post(clerk_api, body("pick", {"item": "R", "quantity": "42"}))
    assert response.status_code == 201, response.content
    slip = response.json()
    assert slip["number"].startswith("PK-") and isinstance(slip["id"], int)
    assert slip["kind"] == "pick" and slip["work_order"] == "WO-S" and slip["order_no"] is None
    assert slip["created_by"] == "clerk" and slip["created_at"]
    assert slip["lines"] == [
        {
            "line": None,
            "item": "R",
            "item_name": "Steel",
            "quantity": "42.000000",
            "uom": "kg",
            "reason": "",
        }
    ]
    assert stock(floor["r"]) == D("458")
    detail = clerk_api.get(f"{URL}{slip['id']}/").json()
    assert detail["work_order"] == "WO-S" and detail["lines"][0]["line"] is None


def test_return_and_replenish_through_the_api(clerk_api, floor):
    assert post(clerk_api, body("pick", {"item": "R", "quantity": "10"})).status_code == 201
    response = post(
        clerk_api, body("return", {"item": "R", "quantity": "4", "reason": "defective"})
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("RT-")
    response = post(clerk_api, body("replenish", {"item": "R", "quantity": 4}))
    assert response.status_code == 201 and response.json()["number"].startswith("RP-")
    response = post(clerk_api, body("return", {"item": "R", "quantity": "1", "reason": "surplus"}))
    assert response.status_code == 201
    c = wo_counters("WO-S", floor["r"])
    assert (c.picked, c.returned_defective, c.replenished, c.returned_surplus) == (
        D("10"),
        D("4"),
        D("4"),
        D("1"),
    )
    assert stock(floor["r"], "quarantine") == D("4")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (body("pick", {"item": "R", "quantity": "42.001"}), "limit is 42 kg"),
        (body("replenish", {"item": "R", "quantity": "1"}), "only defective returns"),
        (body("return", {"item": "R", "quantity": "1", "reason": "surplus"}), "holds 0 kg"),
        (
            body(
                "pick",
                {"item": "S", "quantity": "15"},
                {"item": "S", "quantity": "1"},
                work_order="WO-F",
            ),
            "limit is 15 pcs",
        ),
    ],
)
def test_limits_answer_409_and_write_nothing(clerk_api, floor, data, words):
    before = moves_count()
    response = post(clerk_api, data)
    assert response.status_code == 409, response.content
    assert words in response.json()["detail"]
    assert nothing_written(before)


def test_not_enough_stock_is_409(clerk_api, floor):
    big = WorkOrderFactory(wo_no="WO-BIG", item=floor["s"], quantity=D("2000"))
    before = moves_count()
    response = post(clerk_api, body("pick", {"item": "R", "quantity": "501"}, work_order=big.wo_no))
    assert response.status_code == 409
    assert "Not enough R in MAIN" in response.json()["detail"]
    assert nothing_written(before)


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_a_closed_work_order_is_409(clerk_api, floor, status):
    wo = floor["wo_s"]
    wo.status = status
    wo.save()
    before = moves_count()
    for kind in ("pick", "replenish"):
        response = post(clerk_api, body(kind))
        assert response.status_code == 409, response.content
        assert f"Work order WO-S is {status}" in response.json()["detail"]
    assert nothing_written(before)


def test_naming_both_or_neither_is_400_with_field_messages(clerk_api, floor):
    for data in (
        body() | {"order_no": "SO1"},
        {"kind": "pick", "lines": [{"item": "R", "quantity": "1"}]},
    ):
        before = moves_count()
        response = post(clerk_api, data)
        assert response.status_code == 400, response.content
        errors = response.json()
        assert errors["order_no"] and errors["work_order"] and errors["detail"]
        assert nothing_written(before)
    response = post(clerk_api, body() | {"order_no": "SO1"})
    assert "not both" in response.json()["work_order"][0]


def test_line_numbers_belong_to_order_slips_only(clerk_api, floor):
    response = post(clerk_api, body("pick", {"line": 1, "item": "R", "quantity": "1"}))
    assert response.status_code == 400
    errors = response.json()
    assert list(errors["lines"]) == ["0"] and "no line number" in errors["lines"]["0"]["line"][0]
    assert errors["detail"].startswith("lines[0].line:")
    response = post(
        clerk_api,
        {"kind": "pick", "order_no": "SO1", "lines": [{"item": "R", "quantity": "1"}]},
    )
    assert response.status_code == 400
    assert "needs the order line" in response.json()["lines"]["0"]["line"][0]


BAD_BODIES = [
    body() | {"work_order": ""},
    body() | {"work_order": None},
    body() | {"work_order": {"no": 1}},
    body() | {"work_order": "x" * 500},
    body() | {"work_order": "WO\x00S"},
    body(work_order="WO-404"),
    body("pick", {"item": "NOPE", "quantity": "1"}),
    body("pick", {"item": "R", "quantity": "abc"}),
    body("pick", {"item": "R", "quantity": "0"}),
    body("pick", {"item": "R", "quantity": "1.0005"}),
    body("pick", {"item": "S", "quantity": "1"}),  # not a direct component of S
    body("pick", {"item": "R", "quantity": "1"}, work_order="WO-F"),  # R is below S, not F
    body("pick", {"item": "R", "quantity": "1", "reason": "surplus"}),
    body("return", {"item": "R", "quantity": "1"}),
    body() | {"warehouse": "NOPE"},
    body() | {"lines": []},
]


@pytest.mark.parametrize("data", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_bad_input_is_400_with_detail_and_writes_nothing(clerk_api, floor, data):
    before = moves_count()
    response = post(clerk_api, data)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert nothing_written(before)


def test_the_same_idempotency_key_makes_one_slip(clerk_api, floor):
    first = post(clerk_api, body(), **{"Idempotency-Key": "wo-k1"})
    again = post(clerk_api, body(), **{"Idempotency-Key": "wo-k1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert wo_counters("WO-S", floor["r"]).picked == D("10.5")


@pytest.mark.parametrize("role", ["sales", "purchasing", "production", "quality", "manager"])
def test_only_the_warehouse_may_post_slips(api_client_for, floor, role):
    response = post(api_client_for(role), body())
    assert response.status_code == 403
    assert MaterialSlip.objects.count() == 0


def test_list_filter_by_work_order(clerk_api, floor):
    post(clerk_api, body())
    post(
        clerk_api,
        {"kind": "pick", "order_no": "SO1", "lines": [{"line": 1, "item": "R", "quantity": "1"}]},
    )
    rows = clerk_api.get(URL, {"work_order": "WO-S"}).json()["results"]
    assert [r["work_order"] for r in rows] == ["WO-S"]
    rows = clerk_api.get(URL, {"order_no": "SO1"}).json()["results"]
    assert [r["order_no"] for r in rows] == ["SO1"]
    assert len(clerk_api.get(URL).json()["results"]) == 2


def test_the_post_is_a_bounded_number_of_queries(clerk_api, floor, django_assert_max_num_queries):
    lines = [{"item": "R", "quantity": "1"}]
    for n in range(15):
        part = ItemFactory(code=f"PART{n}", kind="raw")
        BomLineFactory(parent=floor["s"], component=part, quantity=D("1"))
    with django_assert_max_num_queries(40):
        response = post(clerk_api, body("pick", *lines))
    assert response.status_code == 201


def test_requirements_of_a_work_order(clerk_api, floor):
    post(clerk_api, body("pick", {"item": "R", "quantity": "20"}))
    post(clerk_api, body("return", {"item": "R", "quantity": "2", "reason": "defective"}))
    response = clerk_api.get(requirements_url("WO-S"))
    assert response.status_code == 200
    assert response.json() == [
        {
            "work_order": "WO-S",
            "item": "R",
            "requirement": "42.000",
            "picked": "20.000",
            "returned_surplus": "0.000",
            "returned_defective": "2.000",
            "replenished": "0.000",
            "pick_remaining": "22.000",
            "replenish_remaining": "2.000",
        }
    ]
    rows = clerk_api.get(requirements_url("WO-F")).json()
    assert [(r["item"], r["requirement"]) for r in rows] == [("S", "15")]


def test_requirements_of_a_work_order_with_a_slash_and_unknown_ones(clerk_api, floor):
    WorkOrderFactory(wo_no="WO/2026/7", item=floor["s"], quantity=D("10"))
    rows = clerk_api.get(requirements_url("WO/2026/7")).json()
    assert [(r["item"], r["requirement"]) for r in rows] == [("R", "4.200")]
    assert clerk_api.get(requirements_url("WO-404")).status_code == 404


@pytest.mark.parametrize("role", ["sales", "production", "quality", "manager"])
def test_every_role_may_read_the_requirements(api_client_for, floor, role):
    assert api_client_for(role).get(requirements_url("WO-S")).status_code == 200


def test_anonymous_may_not_read_the_requirements(floor):
    assert APIClient().get(requirements_url("WO-S")).status_code in (401, 403)


def test_requirements_are_a_fixed_number_of_queries(
    clerk_api, floor, django_assert_max_num_queries
):
    for n in range(30):
        part = ItemFactory(code=f"PART{n}", kind="raw")
        BomLineFactory(parent=floor["s"], component=part, quantity=D("1"))
    with django_assert_max_num_queries(8):
        rows = clerk_api.get(requirements_url("WO-S")).json()
    assert len(rows) == 31
