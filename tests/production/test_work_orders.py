"""Work orders for every made item: the list and detail pages and REST (status, item,
quantities, routing, material, daily output, receipts, the orders served) with fixed query
counts; daily production reports of a sub-assembly's (semi) work order, which no customer
order line names: service, REST and the entry page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from erp.errors import DomainError
from materials.models import ItemKind
from production.models import DailyReport
from production.services import finished_goods_receipt
from production.services.daily import DailyRow, daily_report_save
from production.services.receipt_reversal import finished_goods_receipt_reverse
from tests.clock import in_days, today
from tests.factories import (
    ItemFactory,
    RoutingFactory,
    SalesOrderFactory,
    WarehouseFactory,
    WorkOrderFactory,
)
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

D = Decimal
API = "/api/v1/work-orders/"


@pytest.fixture
def shop(db, make_user):
    """build_floor's machines and items, plus a semi S cut on CUT; WO-S makes 40 S for
    stock (pegged to SO-1 and SO-2 by MRP), WO-B makes 20 B for SO-1."""
    grant_plan_permissions()
    WarehouseFactory(code="MAIN")
    floor = build_floor()
    semi = ItemFactory(code="S", name="Side", kind=ItemKind.SEMI, standard_cost=D("2"))
    RoutingFactory(
        item=semi,
        seq=10,
        process=floor.processes["CUT"],
        work_center=floor.machines["CUT"],
        minutes_per_unit=D(3),
    )
    line = order_line("SO-1", floor.items["B"], 20, due=in_days(10))
    order_line("SO-2", floor.items["B"], 5, due=in_days(12))
    semi_wo = WorkOrderFactory(
        wo_no="WO-S", item=semi, quantity=D(40), due_date=in_days(5), pegging=["SO-1", "SO-2"]
    )
    b_wo = WorkOrderFactory(
        wo_no="WO-B",
        item=floor.items["B"],
        quantity=D(20),
        due_date=in_days(9),
        sales_order=line.order,
        pegging=["SO-1", "WO-X"],
    )
    return {
        "floor": floor,
        "semi": semi,
        "semi_wo": semi_wo,
        "b_wo": b_wo,
        "line": line,
        "production": make_user("production"),
        "clerk": make_user("warehouse"),
    }


def semi_row(shop, good="12", hours="2", **kwargs):
    return DailyRow(
        order_line=None,
        work_order=shop["semi_wo"],
        process=shop["floor"].processes["CUT"],
        good_quantity=good,
        hours=hours,
        **kwargs,
    )


# Daily reports of a semi's work order ------------------------------------------------------


def test_a_semi_work_orders_operation_is_reported(shop):
    (report,) = daily_report_save(
        user=shop["production"],
        date=today(),
        work_center=shop["floor"].machines["CUT"],
        rows=[semi_row(shop, defects=[("burr", "1")])],
    )
    assert report.work_order == shop["semi_wo"] and report.order_line is None
    assert (report.good_quantity, report.defect_quantity) == (D(12), D(1))
    # saving again corrects the same row
    daily_report_save(
        user=shop["production"],
        date=today(),
        work_center=shop["floor"].machines["CUT"],
        rows=[semi_row(shop, good="15")],
    )
    assert DailyReport.objects.get().good_quantity == D(15)


def test_semi_rows_keep_the_routing_and_state_rules(shop):
    machine = shop["floor"].machines["WELD"]
    weld = DailyRow(
        order_line=None,
        work_order=shop["semi_wo"],
        process=shop["floor"].processes["WELD"],
        good_quantity="1",
    )
    with pytest.raises(DomainError, match="P-WELD is not a step of S's routing"):
        daily_report_save(user=shop["production"], date=today(), work_center=machine, rows=[weld])
    shop["semi_wo"].status = "cancelled"
    shop["semi_wo"].save()
    with pytest.raises(DomainError, match="work order WO-S is cancelled"):
        daily_report_save(
            user=shop["production"],
            date=today(),
            work_center=shop["floor"].machines["CUT"],
            rows=[semi_row(shop)],
        )
    neither = DailyRow(order_line=None, process=shop["floor"].processes["CUT"])
    with pytest.raises(DomainError, match="one of the two"):
        daily_report_save(
            user=shop["production"], date=today(), work_center=machine, rows=[neither]
        )
    assert DailyReport.objects.count() == 0


def test_rest_daily_report_of_a_work_order(shop, api_client_for):
    client = api_client_for("production")
    body = {
        "date": today().isoformat(),
        "machine": "CUT",
        "process": "P-CUT",
        "work_order": "WO-S",
        "good_quantity": "8",
        "hours": "1.5",
    }
    response = client.post("/api/v1/daily-reports/", body, format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["work_order"], answer["order_no"], answer["item"]) == ("WO-S", None, "S")
    listed = client.get("/api/v1/daily-reports/?work_order=WO-S").json()["results"]
    assert [r["id"] for r in listed] == [answer["id"]]
    both = client.post("/api/v1/daily-reports/", {**body, "order_no": "SO-1"}, format="json")
    assert both.status_code == 400
    unknown = client.post("/api/v1/daily-reports/", {**body, "work_order": "NOPE"}, format="json")
    assert unknown.status_code == 400 and "no work order NOPE" in unknown.json()["detail"]


def test_entry_page_takes_a_work_order_number_and_keeps_its_row(shop, client):
    client.force_login(shop["production"])
    url = reverse("production:daily-report")
    when = today().isoformat()
    response = client.post(
        url,
        {
            "machine": "CUT",
            "date": when,
            "rows": "1",
            "row-0-order": "WO-S",
            "row-0-process": str(shop["floor"].processes["CUT"].pk),
            "row-0-good": "9",
            "row-0-hours": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = DailyReport.objects.get()
    assert report.work_order == shop["semi_wo"] and report.good_quantity == D(9)
    page = client.get(f"{url}?machine=CUT&date={when}").content.decode()
    assert 'data-testid="daily-row-WO-S-P-CUT"' in page
    assert f'name="row-0-work_order" value="{shop["semi_wo"].pk}"' in page
    # the whole day sent back (as the page does) keeps and corrects the row
    response = client.post(
        url,
        {
            "machine": "CUT",
            "date": when,
            "rows": "1",
            "row-0-work_order": str(shop["semi_wo"].pk),
            "row-0-process": str(shop["floor"].processes["CUT"].pk),
            "row-0-good": "11",
            "row-0-hours": "1",
        },
    )
    assert response.status_code == 302
    assert DailyReport.objects.get().good_quantity == D(11)


# Work-order pages and REST -------------------------------------------------------------------


def _history(shop):
    """Output, a receipt and a reversed one for WO-S."""
    daily_report_save(
        user=shop["production"],
        date=today(),
        work_center=shop["floor"].machines["CUT"],
        rows=[semi_row(shop, defects=[("burr", "2")])],
    )
    finished_goods_receipt(user=shop["clerk"], quantity=D(10), work_order=shop["semi_wo"])
    wrong = finished_goods_receipt(user=shop["clerk"], quantity=D(3), work_order=shop["semi_wo"])
    finished_goods_receipt_reverse(user=shop["clerk"], receipt=wrong, reason="counted twice")


def test_detail_page_shows_everything(shop, client, django_assert_max_num_queries):
    _history(shop)
    client.force_login(shop["production"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("production:work-order-detail", args=["WO-S"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="wo-status">released' in html.replace("\n", "")
    assert "P-CUT" in html and "CUT" in html  # routing step
    assert "good 12, defective 2, 2 h" in html
    assert "counted twice" not in html and "reversed by FGR-" in html
    assert ">SO-1<" in html and ">SO-2<" in html
    assert 'data-testid="wo-completed">10 ' in html


def test_detail_page_query_count_does_not_grow(shop, client, django_assert_max_num_queries):
    client.force_login(shop["production"])
    url = reverse("production:work-order-detail", args=["WO-S"])
    _history(shop)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    first = len(few.captured_queries)  # read now: the next request clears the log
    for n in range(5):
        finished_goods_receipt(user=shop["clerk"], quantity=D(1), work_order=shop["semi_wo"])
        daily_report_save(
            user=shop["production"],
            date=in_days(-n - 1),
            work_center=shop["floor"].machines["CUT"],
            rows=[semi_row(shop, defects=[("x", 1)])],
        )
        SalesOrderFactory(order_no=f"SO-X{n}")
    shop["semi_wo"].pegging = [*shop["semi_wo"].pegging, *(f"SO-X{n}" for n in range(5))]
    shop["semi_wo"].save()
    with django_assert_max_num_queries(first):
        response = client.get(url)
    assert response.content.decode().count(">SO-X") == 5


def test_list_page_filters(shop, client, django_assert_max_num_queries):
    client.force_login(shop["clerk"])
    url = reverse("production:work-order-list")
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert 'data-testid="work-order-WO-S"' in html and 'data-testid="work-order-WO-B"' in html
    html = client.get(url, {"item": "S"}).content.decode()
    assert "WO-S" in html and 'data-testid="work-order-WO-B"' not in html
    shop["b_wo"].status = "completed"
    shop["b_wo"].completed_quantity = D(20)
    shop["b_wo"].save()
    html = client.get(url, {"status": "completed"}).content.decode()
    assert 'data-testid="work-order-WO-S"' not in html and "WO-B" in html
    html = client.get(url, {"q": "SO-1"}).content.decode()
    assert "WO-B" in html and 'data-testid="work-order-WO-S"' not in html


def test_the_menu_leads_to_work_orders(shop, client):
    client.force_login(shop["production"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("production:work-order-list") in html


def test_unknown_work_order_is_404(shop, client, api_client_for):
    client.force_login(shop["production"])
    assert client.get(reverse("production:work-order-detail", args=["NOPE"])).status_code == 404
    assert api_client_for("production").get(f"{API}NOPE/").status_code == 404


def test_rest_list_filters_and_fixed_queries(shop, api_client_for, django_assert_max_num_queries):
    client = api_client_for("warehouse")
    with django_assert_max_num_queries(6) as few:
        body = client.get(API).json()
    first = len(few.captured_queries)  # read now: the next request clears the log
    assert [w["wo_no"] for w in body["results"]] == ["WO-S", "WO-B"]
    semi = body["results"][0]
    assert (semi["item"], semi["item_kind"], semi["quantity"], semi["open_quantity"]) == (
        "S",
        "semi",
        "40.000000",
        "40.000000",
    )
    assert semi["sales_order"] is None and semi["pegging"] == ["SO-1", "SO-2"]
    assert body["results"][1]["sales_order"] == "SO-1"
    assert [w["wo_no"] for w in client.get(API, {"item": "B"}).json()["results"]] == ["WO-B"]
    assert client.get(API, {"status": "completed"}).json()["count"] == 0
    assert client.get(API, {"status": "nonsense"}).status_code == 400
    for n in range(10):
        WorkOrderFactory(wo_no=f"WO-N{n}", item=shop["semi"], due_date=in_days(20))
    with django_assert_max_num_queries(first):
        assert client.get(API).json()["count"] == 12


def test_rest_detail(shop, api_client_for, django_assert_max_num_queries):
    _history(shop)
    client = api_client_for("sales")
    with django_assert_max_num_queries(20):
        response = client.get(f"{API}WO-S/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["wo_no"], body["completed_quantity"], body["received"]) == (
        "WO-S",
        "10.000000",
        "10.000000",
    )
    assert [s["process"] for s in body["steps"]] == ["P-CUT"]
    assert [(d["good_quantity"], d["order_no"]) for d in body["daily"]] == [("12.000000", None)]
    assert [r["reversed_by"] is not None for r in body["receipts"]] == [False, True]
    assert body["customer_orders"] == ["SO-1", "SO-2"] and body["work_orders"] == []
    assert isinstance(body["material"], list)


def test_rest_anonymous_401(shop):
    from rest_framework.test import APIClient

    assert APIClient().get(API).status_code == 401


def test_material_picked_for_the_work_order_is_shown(make_user, client, api_client_for):
    from orders.services.work_order_slips import WorkOrderSlipLineInput, issue_work_order_slip
    from tests.orders.warehouse_support import build_floor as build_warehouse

    floor = build_warehouse(make_user)  # F <- 2 S at 2%; stock S 500
    WorkOrderFactory(wo_no="WO-F", item=floor["f"], quantity=D(10), due_date=in_days(3))
    issue_work_order_slip(
        kind="pick",
        wo_no="WO-F",
        lines=[WorkOrderSlipLineInput(item="S", quantity=D(15))],
        user=floor["clerk"],
    )
    body = api_client_for("production").get(f"{API}WO-F/").json()
    assert [(m["item"], m["requirement"], m["picked"]) for m in body["material"]] == [
        ("S", "21.000000", "15.000000")  # 10 x 2 x 1.02 = 20.4, rounded up
    ]
    client.force_login(floor["clerk"])
    html = client.get(reverse("production:work-order-detail", args=["WO-F"])).content.decode()
    assert 'data-testid="wo-material"' in html and "Nothing picked for it." not in html
