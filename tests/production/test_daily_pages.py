"""The daily-report entry page (per machine and day), the summary (总表) and the plan
attainment page: what they show, saving a day, errors in words, fixed query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from production.models import DailyReport
from production.services.daily import DailyRow, daily_report_save
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from production.views_reports import parse_defects
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    iso,
    order_line,
)

D = Decimal


@pytest.fixture
def floor(db, make_user):
    grant_plan_permissions()
    floor = build_floor()
    sales = make_user("sales")
    floor.lines = {
        "SO-1": order_line("SO-1", floor.items["B"], 40, due=day(1)),
        "SO-2": order_line("SO-2", floor.items["A"], 100, due=day(2)),
    }
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=make_user("production"), plan=plan)
    return floor


@pytest.fixture
def login(client, make_user):
    def as_(role):
        user = make_user(role)
        client.force_login(user)
        return user

    return as_


def test_parse_defects():
    assert parse_defects("burr 2, scratch:1.5；crack=3", "Row 1") == [
        ("burr", "2"),
        ("scratch", "1.5"),
        ("crack", "3"),
    ]
    assert parse_defects("  ", "Row 1") == []
    with pytest.raises(Exception, match="Row 1: write the defects"):
        parse_defects("burr", "Row 1")


def test_the_entry_page_lists_the_planned_orders_and_saves_the_day(client, floor, login):
    login("production")
    url = reverse("production:daily-report")
    page = client.get(url, {"machine": "CUT", "date": iso(0)}).content.decode()
    assert 'data-testid="daily-row-SO-1-P-CUT"' in page
    assert 'data-testid="daily-row-SO-2-P-CUT"' in page
    assert "40 <small" in page  # SO-2: 240 of its 600 minutes on Monday = 40 pcs planned
    so1, so2 = floor.lines["SO-1"], floor.lines["SO-2"]
    cut = floor.processes["CUT"]
    form = {
        "machine": "CUT",
        "date": iso(0),
        "rows": "5",
        "row-0-order_line": so1.pk,
        "row-0-process": cut.pk,
        "row-0-good": "38",
        "row-0-defects": "burr 2",
        "row-0-hours": "4",
        "row-0-operator": "Wang",
        "row-1-order_line": so2.pk,
        "row-1-process": cut.pk,
        "row-1-good": "",
        "row-2-order": "SO-2",
        "row-2-line": "1",
        "row-2-process": cut.pk,
        "row-2-good": "41",
        "row-2-hours": "4",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    reports = {r.order_line.order.order_no: r for r in DailyReport.objects.all()}
    assert (reports["SO-1"].good_quantity, reports["SO-1"].defect_quantity) == (D(38), D(2))
    assert reports["SO-2"].good_quantity == D(41)
    page = client.get(response.url).content.decode()
    assert 'value="burr 2"' in page and 'value="41"' in page


def test_errors_are_shown_and_nothing_is_saved(client, floor, login):
    login("production")
    url = reverse("production:daily-report")
    so2, cut = floor.lines["SO-2"], floor.processes["CUT"]
    base = {"machine": "CUT", "date": iso(0), "rows": "2"}
    response = client.post(
        url,
        {
            **base,
            "row-0-order_line": so2.pk,
            "row-0-process": cut.pk,
            "row-0-good": "10",
            "row-0-defects": "burr",
            "row-1-order": "SO-404",
            "row-1-process": cut.pk,
            "row-1-good": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="daily-errors"' in page
    assert "Row 1: write the defects" in page and "no order line SO-404/1" in page
    response = client.post(
        url, {**base, "row-0-order_line": so2.pk, "row-0-process": cut.pk, "row-0-hours": "30"}
    )
    assert "24 hours" in response.content.decode()
    assert not DailyReport.objects.exists()


def test_only_production_enters(client, floor, login):
    login("quality")
    url = reverse("production:daily-report")
    page = client.get(url).content.decode()
    assert 'data-testid="daily-save"' not in page
    assert client.post(url, {"machine": "CUT", "date": iso(0), "rows": "0"}).status_code == 403
    login("warehouse")
    assert client.get(reverse("production:daily-summary")).status_code == 200


def test_summary_and_attainment(client, floor, login, make_user, django_assert_max_num_queries):
    production = make_user("production")
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["WELD"],
        rows=[
            DailyRow(
                order_line=floor.lines["SO-1"],
                process=floor.processes["WELD"],
                good_quantity="20",
                defects=[("crack", "5")],
            )
        ],
    )
    login("sales")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("production:daily-summary"), {"date": iso(0)})
    page = response.content.decode()
    assert 'data-testid="rate-P-WELD"' in page and 'data-above="1"' in page
    assert "20%" in page and "crack 5" in page
    with django_assert_max_num_queries(14):
        response = client.get(reverse("production:attainment"), {"date": iso(0), "threshold": "10"})
    page = response.content.decode()
    assert 'data-testid="attainment-SO-1"' in page
    assert page.count('data-behind="1"') == 2  # SO-1 (20 of 40) and SO-2 (0 of 40)
    assert (
        client.get(reverse("production:attainment"), {"threshold": "abc", "date": "x"}).status_code
        == 200
    )
