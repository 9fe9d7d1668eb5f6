"""Releasing MRP planned production orders as work orders: quantity, due date and pegging
kept, the customer order set when it serves one; refusals (twice, a purchase, an old run,
an unknown id, the wrong role) write nothing; REST and the planned-production page."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from production.models import PlannedOrder, WorkOrder
from production.mrp.services import run_mrp
from production.services.release import PlannedOrderAlreadyReleased, release_planned_orders
from tests.factories import ItemFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.production.mrp_support import T

URL = "/api/v1/mrp/planned-orders/release/"


@pytest.fixture
def planned(example, make_user):
    run_mrp(as_of=T)
    rows = {p.item.code: p for p in PlannedOrder.objects.select_related("item")}
    return {
        **example,
        "f_plan": rows["F"],
        "s_plan": rows["S"],
        "r_plan": rows["R"],
        "planner": make_user("production", username="planner"),
    }


def test_release_keeps_quantity_due_date_and_pegging(planned):
    made = release_planned_orders(
        user=planned["planner"], planned_order_ids=[planned["s_plan"].pk, planned["f_plan"].pk]
    )
    assert [wo.item.code for wo in made] == ["S", "F"]  # by due date: S 03-08, F 03-10
    semi, finished = (WorkOrder.objects.get(pk=wo.pk) for wo in made)
    assert (semi.quantity, semi.due_date.isoformat(), semi.status) == (
        D(102),
        "2026-03-08",
        "released",
    )
    assert (finished.quantity, finished.due_date.isoformat()) == (D(50), "2026-03-10")
    assert semi.pegging == ["SO1"] and finished.pegging == ["SO1"]
    assert semi.sales_order == planned["order"] and finished.sales_order == planned["order"]
    assert semi.mrp_planned_order == planned["s_plan"].pk
    assert semi.created_by == planned["planner"] and semi.created_at is not None
    assert re.fullmatch(r"WO-\d{4}-\d{6}", semi.wo_no) and semi.wo_no != finished.wo_no


def test_a_planned_order_serving_several_orders_has_no_single_customer_order(example, make_user):
    other = SalesOrderFactory(order_no="SO2")
    SalesOrderLineFactory(
        order=other, line=1, item=example["f"], quantity=D(20), due_date=dt.date(2026, 3, 10)
    )
    run_mrp(as_of=T)
    s_plan = PlannedOrder.objects.get(item=example["s"])
    (wo,) = release_planned_orders(user=make_user("production"), planned_order_ids=[s_plan.pk])
    assert wo.pegging == ["SO1", "SO2"] and wo.sales_order is None
    assert wo.quantity == D(143)  # 70 x 2 x 1.02 = 142.8, rounded up to whole pieces


def test_releasing_twice_is_refused_and_writes_nothing(planned):
    first = release_planned_orders(
        user=planned["planner"], planned_order_ids=[planned["f_plan"].pk]
    )
    with pytest.raises(PlannedOrderAlreadyReleased) as refused:
        release_planned_orders(
            user=planned["planner"],
            planned_order_ids=[planned["s_plan"].pk, planned["f_plan"].pk],
        )
    assert isinstance(refused.value, ConflictError)
    assert f"planned order {planned['f_plan'].pk} as {first[0].wo_no}" in str(refused.value)
    assert WorkOrder.objects.count() == 1  # S was not released either


@pytest.mark.parametrize(
    "which, message",
    [("r_plan", "is a purchase"), ("missing", "No planned order"), ("empty", "Tick")],
)
def test_refusals_write_nothing(planned, which, message):
    ids = {"r_plan": [planned["r_plan"].pk], "missing": [10**9], "empty": []}[which]
    with pytest.raises(DomainError, match=message):
        release_planned_orders(user=planned["planner"], planned_order_ids=ids)
    assert WorkOrder.objects.count() == 0


def test_a_planned_order_of_an_older_run_is_refused(planned):
    ItemFactory(code="NEW")  # any change: the next run plans the same again
    run_mrp(as_of=T)
    with pytest.raises(DomainError, match="older MRP run"):
        release_planned_orders(user=planned["planner"], planned_order_ids=[planned["f_plan"].pk])


def test_only_production_releases(planned, make_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        release_planned_orders(
            user=make_user("purchasing"), planned_order_ids=[planned["f_plan"].pk]
        )


def test_next_mrp_run_counts_the_released_work_order(planned):
    release_planned_orders(user=planned["planner"], planned_order_ids=[planned["f_plan"].pk])
    run_mrp(as_of=T)
    latest = PlannedOrder.objects.filter(
        run__in=[max(PlannedOrder.objects.values_list("run", flat=True))]
    )
    assert not latest.filter(item=planned["f"]).exists()  # the work order covers F


def test_rest_release_201_then_409(planned, api_client_for, django_assert_max_num_queries):
    client = api_client_for("production")
    ids = [planned["f_plan"].pk, planned["s_plan"].pk]
    with django_assert_max_num_queries(30):
        response = client.post(URL, {"planned_orders": ids}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(w["item"], w["quantity"], w["due_date"]) for w in body] == [
        ("S", "102.000000", "2026-03-08"),
        ("F", "50.000000", "2026-03-10"),
    ]
    assert body[0]["sales_order"] == "SO1" and body[0]["pegging"] == ["SO1"]
    assert body[0]["mrp_planned_order"] == planned["s_plan"].pk
    again = client.post(URL, {"planned_orders": ids[:1]}, format="json")
    assert again.status_code == 409 and "Already released" in again.json()["detail"]
    assert WorkOrder.objects.count() == 2


def test_rest_release_query_count_does_not_grow(
    example, api_client_for, django_assert_max_num_queries
):
    from tests.production.mrp_support import grow

    grow(12)
    run_mrp(as_of=T)
    ids = list(PlannedOrder.objects.filter(kind="production").values_list("pk", flat=True))
    assert len(ids) > 10
    with django_assert_max_num_queries(30):
        response = api_client_for("production").post(URL, {"planned_orders": ids}, format="json")
    assert response.status_code == 201 and len(response.json()) == len(ids)


@pytest.mark.parametrize("role", ["purchasing", "sales", "warehouse"])
def test_rest_other_roles_403(planned, api_client_for, role):
    response = api_client_for(role).post(
        URL, {"planned_orders": [planned["f_plan"].pk]}, format="json"
    )
    assert response.status_code == 403 and WorkOrder.objects.count() == 0


def test_rest_bad_body_400(planned, api_client_for):
    client = api_client_for("production")
    assert client.post(URL, {"planned_orders": []}, format="json").status_code == 400
    assert client.post(URL, {"planned_orders": ["x"]}, format="json").status_code == 400
    response = client.post(URL, {"planned_orders": [planned["r_plan"].pk]}, format="json")
    assert response.status_code == 400 and "purchase" in response.json()["detail"]


def test_page_ticks_and_releases(planned, client):
    client.force_login(planned["planner"])
    page = client.get(reverse("production:mrp-production"))
    html = page.content.decode()
    assert 'data-testid="release-form"' in html and f'value="{planned["f_plan"].pk}"' in html
    response = client.post(
        reverse("production:mrp-release"), {"planned": [planned["f_plan"].pk]}, follow=True
    )
    wo = WorkOrder.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "production:work-order-detail", args=[wo.wo_no]
    )
    assert "1 work order released" in response.content.decode()
    html = client.get(reverse("production:mrp-production")).content.decode()
    assert f'data-testid="released-{planned["f_plan"].pk}"' in html and wo.wo_no in html
    assert f'data-testid="release-{planned["f_plan"].pk}"' not in html  # no box to tick again


def test_page_refuses_the_second_release_with_a_message(planned, client):
    client.force_login(planned["planner"])
    release_planned_orders(user=planned["planner"], planned_order_ids=[planned["f_plan"].pk])
    response = client.post(
        reverse("production:mrp-release"), {"planned": [planned["f_plan"].pk]}, follow=True
    )
    assert response.status_code == 200 and "Already released" in response.content.decode()
    assert WorkOrder.objects.count() == 1


def test_page_release_is_production_only(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    html = client.get(reverse("production:mrp-production")).content.decode()
    assert 'data-testid="release-form"' not in html
    response = client.post(reverse("production:mrp-release"), {"planned": [planned["f_plan"].pk]})
    assert response.status_code == 403 and WorkOrder.objects.count() == 0
