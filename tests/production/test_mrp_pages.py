"""MRP pages: who sees them, shortfalls by supplier (late first), stale results, run now,
requisitions from shortfalls, pegging drill-down, planned production, Excel."""

import datetime as dt
import io
import threading
from decimal import Decimal as D
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from erp.locks import exclusive_job
from materials.models import PurchaseRequisition
from production.models import MrpRun, PlannedOrder
from production.mrp.services import run_mrp
from tests.factories import WorkOrderFactory
from tests.production.conftest import put
from tests.production.mrp_support import T, bought_before, grow, late_raw

SHORTFALLS = reverse("production:shortfall-list")


@pytest.fixture
def planned(example):
    bought_before(example["r"], "SUP1")
    late_raw("LATE", supplier_code="SUP1")
    late_raw("LONE")  # no supplier yet
    run = run_mrp(as_of=T)
    assert run.status == "succeeded", run.error
    return run


def purchase(code: str) -> PlannedOrder:
    return PlannedOrder.objects.get(run=MrpRun.objects.latest("started_at"), item__code=code)


@pytest.mark.parametrize("role", ["purchasing", "manager", "warehouse", "production", "admin"])
def test_these_roles_see_the_shortfalls(planned, client, make_user, role):
    client.force_login(make_user(role))
    page = client.get(SHORTFALLS)
    assert page.status_code == 200
    assert b'data-item="R"' in page.content


@pytest.mark.parametrize("role", ["sales", "quality"])
def test_other_roles_are_refused(planned, client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(SHORTFALLS).status_code == 403
    assert client.get(reverse("production:mrp-production")).status_code == 403
    assert client.get(reverse("production:mrp-item", args=["R"])).status_code == 403
    pk = purchase("R").pk
    assert client.get(reverse("production:mrp-planned-order", args=[pk])).status_code == 403
    assert client.post(reverse("production:mrp-run")).status_code == 403


def test_anonymous_is_sent_to_log_in(planned, client):
    assert client.get(SHORTFALLS).status_code == 302


def test_grouped_by_supplier_late_first_with_need_and_order_by_dates(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    html = client.get(SHORTFALLS).content.decode()
    sup1 = html.index('data-supplier="SUP1"')
    nobody = html.index('data-supplier=""')
    late, r, lone = (
        html.index('data-item="LATE"'),
        html.index('data-item="R"'),
        html.index('data-item="LONE"'),
    )
    assert sup1 < late < r < nobody < lone  # late first in its group; no supplier last
    assert 'class="table-danger" data-late="1"' in html
    row = html[r : html.index("</tr>", r)]
    assert "50 kg" in row and "2026-03-02" in row and "2026-03-07" in row  # order by, need by
    assert "No supplier yet" in html


def test_filters_narrow_the_list(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    late_only = client.get(SHORTFALLS, {"late": "on"}).content.decode()
    assert 'data-item="LATE"' in late_only and 'data-item="R"' not in late_only
    nobody = client.get(SHORTFALLS, {"supplier": "none"}).content.decode()
    assert 'data-item="LONE"' in nobody and 'data-item="R"' not in nobody
    assert 'data-item="R"' in client.get(SHORTFALLS, {"q": "r"}).content.decode()


def test_no_run_yet_says_so(db, client, make_user):
    client.force_login(make_user("purchasing"))
    page = client.get(SHORTFALLS)
    assert page.status_code == 200 and b"MRP has not run yet" in page.content


def test_the_page_says_when_results_were_computed(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    html = client.get(SHORTFALLS).content.decode()
    finished = timezone.localtime(planned.finished_at)
    assert f"Computed {finished:%Y-%m-%d %H:%M} as of 2026-03-02" in html
    assert 'data-testid="mrp-fresh"' in html


def test_query_count_does_not_grow_with_the_planned_orders(
    example, client, make_user, django_assert_max_num_queries
):
    client.force_login(make_user("purchasing"))
    grow(2)
    run_mrp(as_of=T)
    client.get(SHORTFALLS)  # session, roles: warm
    with django_assert_max_num_queries(30) as few:
        client.get(SHORTFALLS)
        client.get(reverse("production:mrp-production"))
    grow(40, prefix="H")
    run_mrp(as_of=T)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(SHORTFALLS)
        client.get(reverse("production:mrp-production"))


def test_an_order_change_makes_the_results_stale(planned, client, make_user, example):
    client.force_login(make_user("purchasing"))
    assert b"mrp-stale" not in client.get(SHORTFALLS).content
    line = example["order"].lines.get()
    line.quantity = D(70)
    line.stamp(None)
    line.save()
    assert b"mrp-stale" in client.get(SHORTFALLS).content
    run_mrp(as_of=T)
    assert b"mrp-stale" not in client.get(SHORTFALLS).content


def test_stock_and_work_orders_make_the_results_stale_too(planned, client, make_user, example):
    client.force_login(make_user("warehouse"))
    put(example["r"], 5)
    assert b"mrp-stale" in client.get(SHORTFALLS).content
    run_mrp(as_of=T)
    WorkOrderFactory(item=example["f"], due_date=T)
    assert b"mrp-stale" in client.get(SHORTFALLS).content


def test_run_now_runs_mrp_for_the_material_controller(example, client, make_user):
    buyer = make_user("purchasing")
    client.force_login(buyer)
    assert b"mrp-run-now" in client.get(SHORTFALLS).content
    answer = client.post(reverse("production:mrp-run"), {"next": SHORTFALLS}, follow=True)
    assert b"MRP run finished: 3 planned orders" in answer.content
    run = MrpRun.objects.get()
    assert (run.trigger, run.started_by, run.status) == ("run now", buyer, "succeeded")
    assert b'data-item="R"' in answer.content


def test_managers_may_run_but_not_warehouse_or_production(example, client, make_user):
    client.force_login(make_user("warehouse"))
    assert b"mrp-run-now" not in client.get(SHORTFALLS).content
    assert client.post(reverse("production:mrp-run")).status_code == 403
    client.force_login(make_user("production"))
    assert client.post(reverse("production:mrp-run")).status_code == 403
    client.force_login(make_user("manager"))
    client.post(reverse("production:mrp-run"))
    assert MrpRun.objects.filter(status="succeeded").count() == 1


@pytest.mark.django_db(transaction=True)
def test_run_now_while_a_run_is_in_progress_says_so(example, client, make_user):
    client.force_login(make_user("purchasing"))
    holding, release = threading.Event(), threading.Event()

    def hold():
        with exclusive_job("mrp", busy_message="busy"):
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        answer = client.post(reverse("production:mrp-run"), follow=True)
    finally:
        release.set()
        thread.join()
    assert b"An MRP run is already in progress" in answer.content
    assert not MrpRun.objects.exists()


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_with_a_worker_the_run_is_queued(example, client, make_user):
    buyer = make_user("purchasing")
    client.force_login(buyer)
    with mock.patch("production.tasks.run_mrp_task.delay_on_commit") as queued:
        answer = client.post(reverse("production:mrp-run"), follow=True)
    queued.assert_called_once_with(user_id=buyer.pk, as_of=None)
    assert b"MRP run queued" in answer.content
    MrpRun.objects.create(as_of=T, trigger="nightly")  # running
    with mock.patch("production.tasks.run_mrp_task.delay_on_commit") as queued:
        answer = client.post(reverse("production:mrp-run"), follow=True)
    queued.assert_not_called()
    assert b"An MRP run is already in progress" in answer.content


def test_the_queued_task_runs_the_service_as_the_user(example, make_user):
    from production.tasks import run_mrp_task

    buyer = make_user("purchasing")
    run_id = run_mrp_task.delay(user_id=buyer.pk, as_of="2026-03-02").result
    run = MrpRun.objects.get(pk=run_id)
    assert (run.started_by, run.as_of, run.trigger) == (buyer, T, "run now")


def test_requisition_from_chosen_shortfalls(planned, client, make_user):
    buyer = make_user("purchasing")
    client.force_login(buyer)
    r, late = purchase("R"), purchase("LATE")
    answer = client.post(
        reverse("production:mrp-requisition"),
        {"planned": [r.pk, late.pk], "note": "from MRP"},
    )
    requisition = PurchaseRequisition.objects.get()
    assert answer.url == reverse("materials:requisition-detail", args=[requisition.number])
    assert requisition.created_by == buyer and requisition.note == "from MRP"
    assert requisition.source == "MRP 2026-03-02: SO-LATE, SO1"
    lines = {
        line.item.code: (line.quantity, line.need_date, line.supplier.code)
        for line in requisition.lines.select_related("item", "supplier")
    }
    assert lines == {
        "R": (D("50"), dt.date(2026, 3, 7), "SUP1"),
        "LATE": (D(7), dt.date(2026, 3, 5), "SUP1"),
    }
    page = client.get(SHORTFALLS).content.decode()
    row = page[page.index('data-item="R"') :]
    assert "50" in row[: row.index("</tr>")]  # on open requisitions now


def test_requisition_refusals(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    url = reverse("production:mrp-requisition")
    answer = client.post(url, {}, follow=True)
    assert b"Choose at least one shortfall" in answer.content
    made = PlannedOrder.objects.get(item__code="S")
    answer = client.post(url, {"planned": [made.pk]}, follow=True)
    assert b"made in-house" in answer.content
    old = purchase("R").pk
    run_mrp(as_of=T)
    answer = client.post(url, {"planned": [old]}, follow=True)
    assert b"from an older MRP run" in answer.content
    assert client.post(url, {"planned": ["x"]}, follow=True).status_code == 200
    assert not PurchaseRequisition.objects.exists()


@pytest.mark.parametrize("role", ["warehouse", "manager", "production"])
def test_only_purchasing_raises_requisitions(planned, client, make_user, role):
    client.force_login(make_user(role))
    assert b"create-requisition" not in client.get(SHORTFALLS).content
    answer = client.post(reverse("production:mrp-requisition"), {"planned": [purchase("R").pk]})
    assert answer.status_code == 403
    assert not PurchaseRequisition.objects.exists()


def test_pegging_drills_down_to_the_customer_orders(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    html = client.get(reverse("production:mrp-planned-order", args=[purchase("R").pk])).content
    html = html.decode()
    assert reverse("orders:order-detail", args=["SO1"]) in html
    assert html.count('data-testid="pegged-order"') == 1
    served = PlannedOrder.objects.get(item__code="S")
    assert reverse("production:mrp-planned-order", args=[served.pk]) in html  # one level up
    assert client.get(reverse("production:mrp-planned-order", args=[999999])).status_code == 404


def test_pegging_shows_the_work_orders_behind_a_planned_order(example, client, make_user):
    WorkOrderFactory(
        wo_no="WO-9",
        item=example["s"],
        quantity=D(100),
        due_date=dt.date(2026, 3, 20),
        sales_order=example["order"],
    )
    run_mrp(as_of=T)
    client.force_login(make_user("production"))
    later = PlannedOrder.objects.filter(item__code="R").order_by("due_date").last()
    html = client.get(reverse("production:mrp-planned-order", args=[later.pk])).content.decode()
    assert "WO-9" in html and 'data-testid="pegged-work-orders"' in html


def test_planned_production_by_item_and_date(planned, client, make_user):
    client.force_login(make_user("production"))
    html = client.get(reverse("production:mrp-production")).content.decode()
    assert html.index('data-item="F"') < html.index('data-item="S"')
    assert "102 pcs" in html and "2026-03-07" in html
    assert 'data-item="R"' not in html


def test_item_page_shows_the_grid(planned, client, make_user):
    client.force_login(make_user("purchasing"))
    html = client.get(reverse("production:mrp-item", args=["R"])).content.decode()
    assert 'data-testid="mrp-grid"' in html and "42.84" in html and "27.16" in html
    assert client.get(reverse("production:mrp-item", args=["NOPE"])).status_code == 404


def test_excel_download_has_the_report_rows(planned, client, make_user):
    client.force_login(make_user("warehouse"))
    answer = client.get(reverse("reports:mrp-xlsx"))
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # Headers for people (the contract's field names stay in export_report and the API).
    assert rows[0] == ("Item", "Kind", "Quantity", "Due date", "Release date", "Late", "Orders")
    assert sheet.freeze_panes == "A2"
    assert "mrp-planned-orders-2026-03-02.xlsx" in answer["Content-Disposition"]
    assert {r[0] for r in rows[1:]} == {"F", "S", "R", "LATE", "LONE"}
