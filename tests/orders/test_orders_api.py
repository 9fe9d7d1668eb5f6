"""REST: /api/v1/orders/ and /api/v1/order-changes/: create with nested lines, list filters,
PATCH while draft, confirm, change notices, roles, errors (never a 500), idempotent POSTs,
a fixed number of queries per list."""

import datetime as dt
from decimal import Decimal

import pytest

from erp.models import Notification
from orders.models import OrderChange, OrderStatus, SalesOrder
from tests.factories import CustomerFactory, UserFactory
from tests.orders.orders_support import build_shop, new_order

D = Decimal
ORDERS = "/api/v1/orders/"
CHANGES = "/api/v1/order-changes/"


@pytest.fixture
def shop(db, make_user):
    return build_shop(make_user)


@pytest.fixture
def sales_api(shop, client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(shop["sales"])
    return api


def body(**extra):
    return {
        "customer": "C1",
        "order_date": "2026-03-02",
        "customer_po": "PO-1",
        "lines": [
            {"item": "F", "quantity": "50", "unit_price": "12.5", "due_date": "2026-03-20"},
            {
                "item": "K",
                "quantity": "2.125",
                "unit_price": "3",
                "due_date": "2026-03-25",
                "specification": "galvanised",
            },
        ],
        **extra,
    }


def test_create_with_nested_lines(sales_api):
    response = sales_api.post(ORDERS, body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["order_no"].startswith("SO-") and data["status"] == "draft"
    assert data["customer"] == "C1" and data["salesperson"] == "lin"
    assert [(ln["line"], ln["item"], ln["quantity"]) for ln in data["lines"]] == [
        (1, "F", "50.000000"),
        (2, "K", "2.125000"),
    ]
    assert data["lines"][1]["open_quantity"] == "2.125000"
    assert data["lines"][1]["specification"] == "galvanised"
    assert SalesOrder.objects.get().created_by.username == "lin"


def test_create_with_a_given_number_and_retrieve_it(sales_api):
    assert sales_api.post(ORDERS, body(order_no="ACME-7"), format="json").status_code == 201
    response = sales_api.get(f"{ORDERS}ACME-7/")
    assert response.status_code == 200 and len(response.json()["lines"]) == 2
    again = sales_api.post(ORDERS, body(order_no="ACME-7"), format="json")
    assert again.status_code == 400 and again.json()["order_no"] == ["Order ACME-7 already exists."]
    assert sales_api.get(f"{ORDERS}NOPE/").status_code == 404


@pytest.mark.parametrize(
    ("line", "status", "field_text"),
    [
        ({"quantity": "1.5"}, 400, "F is counted in pcs with 0 decimals"),
        ({"quantity": "0"}, 400, "greater than 0"),
        ({"quantity": "abc"}, 400, "valid number"),
        ({"unit_price": "-2"}, 400, "cannot be negative"),
        ({"item": "NOPE"}, 400, "NOPE"),
        ({"due_date": "2026-03-01"}, 400, "before the order date"),
        ({"due_date": "someday"}, 400, "Date has wrong format"),
        ({"item": None}, 400, "null"),
    ],
)
def test_bad_lines_answer_400_and_write_nothing(sales_api, line, status, field_text):
    payload = body()
    payload["lines"][0].update(line)
    response = sales_api.post(ORDERS, payload, format="json")
    assert response.status_code == status, response.json()
    assert field_text in str(response.json())
    assert not SalesOrder.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {"customer": "NOPE", "order_date": "2026-03-02"},
        {"customer": "C1"},
        {"customer": "C1", "order_date": "2026-03-02", "lines": "x"},
        {"customer": "C1", "order_date": "2026-03-02", "lines": [None]},
        {"customer": "C1", "order_date": "2026-03-02", "lines": [{"item": ["F"]}]},
        {"customer": "C1\x00", "order_date": "2026-03-02"},
        {"customer": "C1", "order_date": "2026-03-02", "order_no": "x" * 41},
    ],
)
def test_malformed_bodies_are_400(sales_api, payload):
    response = sales_api.post(ORDERS, payload, format="json")
    assert response.status_code == 400, response.content


def test_inactive_customer_is_refused(sales_api):
    CustomerFactory(code="OLD", is_active=False)
    response = sales_api.post(ORDERS, body(customer="OLD"), format="json")
    assert response.status_code == 400 and "inactive" in response.json()["detail"]


def test_patch_while_draft_then_confirm(sales_api):
    no = sales_api.post(ORDERS, body(), format="json").json()["order_no"]
    response = sales_api.patch(
        f"{ORDERS}{no}/",
        {
            "notes": "rush",
            "lines": [
                {
                    "line": 1,
                    "item": "F",
                    "quantity": "60",
                    "unit_price": "12",
                    "due_date": "2026-03-21",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["notes"] == "rush"
    assert [(ln["line"], ln["quantity"]) for ln in response.json()["lines"]] == [(1, "60.000000")]
    response = sales_api.post(f"{ORDERS}{no}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    refused = sales_api.patch(f"{ORDERS}{no}/", {"notes": "late"}, format="json")
    assert refused.status_code == 400 and "only a draft can be edited" in refused.json()["detail"]
    again = sales_api.post(f"{ORDERS}{no}/confirm/")
    assert again.status_code == 200  # already confirmed: nothing to do


def test_patch_with_an_incomplete_line_is_400_not_500(sales_api):
    no = sales_api.post(ORDERS, body(), format="json").json()["order_no"]
    response = sales_api.patch(f"{ORDERS}{no}/", {"lines": [{"line": 1}]}, format="json")
    assert response.status_code == 400
    assert "Line 1" in response.json()["detail"]


def test_confirm_refusals(sales_api):
    no = sales_api.post(ORDERS, body(lines=[]), format="json").json()["order_no"]
    response = sales_api.post(f"{ORDERS}{no}/confirm/")
    assert response.status_code == 400
    assert "has no lines; add one before confirming" in response.json()["detail"]


def test_put_and_delete_are_not_offered(sales_api):
    no = sales_api.post(ORDERS, body(), format="json").json()["order_no"]
    assert sales_api.put(f"{ORDERS}{no}/", body(), format="json").status_code == 405
    assert sales_api.delete(f"{ORDERS}{no}/").status_code in (403, 405)  # no delete permission
    assert SalesOrder.objects.filter(order_no=no).exists()


def test_list_filters(shop, sales_api, make_user):
    other = make_user("sales", username="mei")
    CustomerFactory(code="C2", salesperson=other)
    a = new_order(shop, ("F", "5", dt.date(2026, 3, 10)))
    b = new_order(shop, ("F", "5", dt.date(2026, 4, 10)), confirm=False)
    sales_api.post(
        ORDERS,
        body(
            customer="C2",
            lines=[{"item": "F", "quantity": "1", "unit_price": "1", "due_date": "2026-05-01"}],
        ),
        format="json",
    )

    def numbers(**params):
        response = sales_api.get(ORDERS, params)
        assert response.status_code == 200, response.json()
        return {row["order_no"] for row in response.json()["results"]}

    c = SalesOrder.objects.get(customer__code="C2").order_no
    assert numbers() == {a.order_no, b.order_no, c}
    assert numbers(status="confirmed") == {a.order_no}
    assert numbers(status=["draft", "confirmed"]) == {a.order_no, b.order_no, c}
    assert numbers(customer="C2") == {c}
    assert numbers(salesperson="lin") == {a.order_no, b.order_no}
    assert numbers(due_before="2026-03-31") == {a.order_no}
    assert numbers(due_after="2026-04-01") == {b.order_no, c}
    assert numbers(due_after="2026-04-01", due_before="2026-04-30") == {b.order_no}
    assert numbers(search="C2") == {c}
    for bad in ({"status": "lost"}, {"due_before": "soon"}):
        assert sales_api.get(ORDERS, bad).status_code == 400


@pytest.mark.parametrize("count", [2, 20])
def test_order_list_runs_a_fixed_number_of_queries(
    shop, sales_api, count, django_assert_max_num_queries
):
    for _n in range(count):
        new_order(shop, ("F", "5", dt.date(2026, 3, 10)), ("K", "1", dt.date(2026, 3, 11)))
    sales_api.get(ORDERS)
    # count, orders, lines (items joined), permissions
    with django_assert_max_num_queries(6):
        response = sales_api.get(ORDERS)
    assert response.json()["count"] == count


def test_idempotent_create_applies_once(sales_api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "order-abc-1"}
    first = sales_api.post(ORDERS, body(), format="json", **headers)
    second = sales_api.post(ORDERS, body(), format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["order_no"] == second.json()["order_no"]
    assert SalesOrder.objects.count() == 1
    other = sales_api.post(ORDERS, body(customer_po="other"), format="json", **headers)
    assert other.status_code == 409


def test_idempotent_confirm(sales_api):
    no = sales_api.post(ORDERS, body(), format="json").json()["order_no"]
    headers = {"HTTP_IDEMPOTENCY_KEY": "confirm-1"}
    assert sales_api.post(f"{ORDERS}{no}/confirm/", **headers).status_code == 200
    assert sales_api.post(f"{ORDERS}{no}/confirm/", **headers).status_code == 200


@pytest.mark.parametrize("role", ["warehouse", "production", "manager", "quality", "purchasing"])
def test_roles_may_view_but_not_create_or_confirm(shop, api_client_for, role):
    order = new_order(shop, confirm=False)
    api = api_client_for(role)
    assert api.get(ORDERS).status_code == 200
    assert api.get(f"{ORDERS}{order.order_no}/").status_code == 200
    assert api.post(ORDERS, body(), format="json").status_code == 403
    assert api.patch(f"{ORDERS}{order.order_no}/", {"notes": "x"}, format="json").status_code == 403
    assert api.post(f"{ORDERS}{order.order_no}/confirm/").status_code == 403
    assert (
        api.post(
            CHANGES, {"order": order.order_no, "kind": "cancel", "reason": "x"}, format="json"
        ).status_code
        == 403
    )


def test_admin_may_create(api_client_for, shop):
    assert api_client_for("admin").post(ORDERS, body(), format="json").status_code == 201


def test_anonymous_is_401(client, shop):
    from rest_framework.test import APIClient

    assert APIClient().get(ORDERS).status_code == 401


# --- change notices ---------------------------------------------------------------------


def test_apply_a_change_notice(shop, sales_api):
    order = new_order(shop)
    response = sales_api.post(
        CHANGES,
        {
            "order": order.order_no,
            "line": 1,
            "kind": "due_date",
            "new_due_date": "2026-04-02",
            "reason": "customer asked",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"].startswith("CN-") and data["line"] == 1
    assert data["before"] == {"due_date": "2026-03-20"} and data["created_by"] == "lin"
    order.refresh_from_db()
    assert order.replan_needed and order.lines.get().due_date == dt.date(2026, 4, 2)
    assert Notification.objects.filter(user=shop["production"]).exists()
    one = sales_api.get(f"{CHANGES}{data['number']}/")
    assert one.status_code == 200 and one.json()["kind"] == "due_date"


def test_cancel_the_whole_order_by_api(shop, sales_api):
    order = new_order(shop)
    response = sales_api.post(
        CHANGES, {"order": order.order_no, "kind": "cancel", "reason": "gone"}, format="json"
    )
    assert response.status_code == 201 and response.json()["line"] is None
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        (
            {"kind": "quantity", "line": 1, "new_quantity": "20", "reason": "x"},
            "30 pcs already shipped; the quantity cannot go below 30",
        ),
        ({"kind": "quantity", "line": 1, "new_quantity": "40.5", "reason": "x"}, "0 decimals"),
        (
            {"kind": "due_date", "line": 1, "new_due_date": "2026-01-01", "reason": "x"},
            "before the order date",
        ),
        (
            {"kind": "due_date", "line": 9, "new_due_date": "2026-04-01", "reason": "x"},
            "has no line 9",
        ),
        ({"kind": "due_date", "line": 1, "reason": "x"}, "Give the new due date"),
        ({"kind": "paint", "line": 1, "reason": "x"}, "valid choice"),
        ({"kind": "cancel", "line": 1, "reason": ""}, "blank"),
        ({"kind": "cancel", "line": "one", "reason": "x"}, "valid integer"),
        ({"kind": "quantity", "line": 1, "new_quantity": "1e400", "reason": "x"}, "new_quantity"),
    ],
)
def test_change_refusals_are_400(shop, sales_api, payload, text):
    order = new_order(shop)
    line = order.lines.get()
    line.shipped_quantity = 30
    line.save()
    response = sales_api.post(CHANGES, {"order": order.order_no, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert text in str(response.json())
    assert not OrderChange.objects.exists()


def test_change_to_an_unknown_or_closed_order(shop, sales_api):
    response = sales_api.post(
        CHANGES, {"order": "NOPE", "kind": "cancel", "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "NOPE" in str(response.json())
    order = new_order(shop)
    sales_api.post(f"{ORDERS}{order.order_no}/close/")
    response = sales_api.post(
        CHANGES, {"order": order.order_no, "kind": "cancel", "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "it cannot be changed" in response.json()["detail"]


def test_idempotent_change_applies_once(shop, sales_api):
    order = new_order(shop)
    payload = {
        "order": order.order_no,
        "line": 1,
        "kind": "quantity",
        "new_quantity": "55",
        "reason": "more",
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "cn-1"}
    first = sales_api.post(CHANGES, payload, format="json", **headers)
    second = sales_api.post(CHANGES, payload, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["number"] == second.json()["number"]
    assert OrderChange.objects.count() == 1


@pytest.mark.parametrize("count", [2, 12])
def test_change_list_filters_and_query_count(shop, sales_api, count, django_assert_max_num_queries):
    for n in range(count):
        order = new_order(shop)
        sales_api.post(
            CHANGES,
            {
                "order": order.order_no,
                "line": 1,
                "kind": "due_date",
                "new_due_date": "2026-04-01",
                "reason": f"r{n}",
            },
            format="json",
        )
    sales_api.post(
        CHANGES, {"order": order.order_no, "kind": "cancel", "reason": "gone"}, format="json"
    )
    viewer = UserFactory(username="wh2", roles=["warehouse"])
    sales_api.force_authenticate(viewer)
    sales_api.get(CHANGES)
    with django_assert_max_num_queries(5):
        response = sales_api.get(CHANGES)
    assert response.status_code == 200 and response.json()["count"] == count + 1
    assert sales_api.get(CHANGES, {"kind": "cancel"}).json()["count"] == 1
    assert sales_api.get(CHANGES, {"order": order.order_no}).json()["count"] == 2
    assert sales_api.get(CHANGES, {"customer": "C1"}).json()["count"] == count + 1
    assert sales_api.get(CHANGES, {"kind": "paint"}).status_code == 400
