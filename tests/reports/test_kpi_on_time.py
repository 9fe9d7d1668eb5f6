"""On-time delivery: the share of order lines shipped in full by the promised date (the due
date after change notices), by month and by customer; page, API and Excel for managers
only, in a fixed number of queries."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from orders.services.changes import change_apply
from reports.exports import Period
from reports.kpi import delivery
from tests.clock import in_days, today
from tests.reports.kpi_data import order_line, ship

pytestmark = pytest.mark.django_db
URL = reverse("reports:on-time-delivery")
API = "/api/v1/reports/on-time-delivery/"
API_CUSTOMERS = "/api/v1/reports/on-time-delivery/customers/"
WINDOW = Period(start=in_days(-90), end=in_days(30))


@pytest.fixture
def history(make_user):
    """Customer A: one line on time, one shipped late, one overdue and open, one due later
    (not measured), one shipped early though due later (on time), one cancelled line and
    one draft order (not promises), one line closed short after shipping 3 of 10 by its
    date (on time). Customer B: one line shipped on its due date (on time)."""
    on_time = order_line("A", due=in_days(-30))
    ship(on_time, "10", on=in_days(-31))
    late = order_line("A", due=in_days(-20))
    ship(late, "4", on=in_days(-25))
    ship(late, "6", on=in_days(-15))
    order_line("A", due=in_days(-10), quantity="5")  # overdue, nothing shipped
    order_line("A", due=in_days(10), quantity="5")  # not due yet: not measured
    early = order_line("A", due=in_days(5), quantity="5")
    ship(early, "5", on=in_days(-1))
    order_line("A", due=in_days(-5), status="cancelled")
    order_line("A", due=in_days(-5), order_status="draft")
    short = order_line("A", due=in_days(-8))
    ship(short, "3", on=in_days(-9))
    short.status = "closed"
    short.save(update_fields=["status"])
    exact = order_line("B", due=in_days(-12))
    ship(exact, "10", on=in_days(-12))


def test_on_time_counts_full_lines_by_their_promised_date(history):
    total = delivery.on_time_total(period=WINDOW)
    assert (total.lines, total.on_time, total.late_shipped, total.late_open) == (6, 4, 1, 1)
    assert total.rate == Decimal("0.666667")


def test_by_customer_most_late_first(history):
    rows = delivery.as_rows(delivery.on_time_by_customer(period=WINDOW))
    assert [(r.code, r.lines, r.on_time, r.late) for r in rows] == [("A", 5, 3, 2), ("B", 1, 1, 0)]
    assert rows[1].rate == Decimal(1)


def test_by_month_of_the_promised_date(history):
    rows = delivery.on_time_by_month(period=WINDOW)
    assert sum(r.lines for r in rows) == 6
    assert [r.label for r in rows] == sorted(r.label for r in rows)
    assert all(r.month.day == 1 for r in rows)


def test_period_limits_by_promised_date(history):
    recent = delivery.on_time_total(period=Period(start=in_days(-11), end=in_days(30)))
    # the overdue line (-10), the line closed short (-8) and the early one (+5)
    assert (recent.lines, recent.on_time, recent.late_open) == (3, 2, 1)


def test_a_due_date_change_moves_the_promise(make_user):
    line = order_line("C", due=in_days(-40))
    ship(line, "10", on=in_days(-20))
    period = Period(start=in_days(-60), end=in_days(0))
    assert delivery.on_time_total(period=period).on_time == 0
    change_apply(
        user=make_user("sales"),
        order=line.order,
        order_line=line,
        kind="due_date",
        reason="customer agreed a later date",
        new_due_date=in_days(-15),
    )
    total = delivery.on_time_total(period=period)
    assert (total.lines, total.on_time) == (1, 1)


def test_nothing_measured_has_no_rate(db):
    total = delivery.on_time_total(period=WINDOW)
    assert total.lines == 0 and total.rate is None


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def test_page_defaults_to_this_year_to_date(history, manager):
    page = manager.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{today().replace(month=1, day=1):%Y-%m-%d} – {today():%Y-%m-%d}" in text
    assert 'data-testid="on-time-months"' in text and 'data-testid="y-title"' in text


def test_page_shows_rate_and_customers(history, manager):
    page = manager.get(URL, {"from": in_days(-90).isoformat(), "to": in_days(30).isoformat()})
    text = page.content.decode()
    assert "66.7%" in text
    table = text[text.index('data-testid="on-time-customers"') :]
    assert table.index(">A<") < table.index(">B<")


def test_page_bad_date_is_a_form_error(manager):
    page = manager.get(URL, {"from": "2026-13-45"})
    assert page.status_code == 200 and b"is-invalid" in page.content


def test_page_query_count_is_fixed(history, manager, django_assert_max_num_queries):
    params = {"from": in_days(-90).isoformat(), "to": in_days(30).isoformat()}
    with django_assert_max_num_queries(12):
        assert manager.get(URL, params).status_code == 200
    for n in range(30):
        line = order_line(f"X{n}", due=in_days(-3))
        ship(line, "10", on=in_days(-4))
    with django_assert_max_num_queries(12):
        assert manager.get(URL, params).status_code == 200


@pytest.mark.parametrize("role", ["sales", "warehouse", "purchasing", "production", "quality"])
def test_for_managers_only(make_user, role):
    client = Client()
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:kpi-download", args=["on-time-delivery"])).status_code == 403
    assert client.get(API).status_code == 403
    assert client.get(API_CUSTOMERS).status_code == 403


def test_excel_download(history, manager):
    answer = manager.get(
        reverse("reports:kpi-download", args=["on-time-delivery"]),
        {"from": in_days(-90).isoformat(), "to": in_days(30).isoformat()},
    )
    assert answer.status_code == 200
    assert "on-time-delivery-" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Customer", "Name", "Lines")
    assert [r[0] for r in rows[1:]] == ["A", "B", "Total"]
    assert rows[1][2] == 5 and rows[-1][2] == 6  # lines, and their total
    assert sheet["G2"].number_format == "0.0%" and Decimal(str(sheet["G3"].value)) == 1


def test_excel_download_refuses_a_bad_date(manager):
    answer = manager.get(
        reverse("reports:kpi-download", args=["on-time-by-month"]), {"to": "nonsense"}
    )
    assert answer.status_code == 400


def test_unknown_download_is_404(manager):
    assert manager.get(reverse("reports:kpi-download", args=["nope"])).status_code == 404


def test_api_totals_and_months(history, api_client_for, django_assert_max_num_queries):
    client = api_client_for("manager")
    params = {"from": in_days(-90).isoformat(), "to": in_days(30).isoformat()}
    with django_assert_max_num_queries(8):
        answer = client.get(API, params)
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"]["lines"] == 6 and body["total"]["on_time"] == 4
    assert body["total"]["rate"] == "0.666667"
    assert body["period"] == {"from": params["from"], "to": params["to"]}
    assert sum(m["lines"] for m in body["months"]) == 6


def test_api_customers_paginated(history, api_client_for, django_assert_max_num_queries):
    client = api_client_for("manager")
    params = {"from": in_days(-90).isoformat(), "to": in_days(30).isoformat(), "page_size": 1}
    with django_assert_max_num_queries(8):
        answer = client.get(API_CUSTOMERS, params)
    body = answer.json()
    assert answer.status_code == 200 and body["count"] == 2
    assert body["results"][0]["customer"] == "A" and body["results"][0]["late_open"] == 1


def test_api_refuses_bad_dates_with_field_messages(api_client_for):
    answer = api_client_for("manager").get(API, {"from": "2026-02-30"})
    assert answer.status_code == 400 and "from" in answer.json()


def test_export_report_command_knows_the_figures(history, capsys):
    import json

    from django.core.management import call_command

    call_command(
        "export_report",
        "on-time-by-month",
        "--from",
        in_days(-90).isoformat(),
        "--to",
        in_days(30).isoformat(),
    )
    rows = json.loads(capsys.readouterr().out)
    assert sum(r["lines"] for r in rows) == 6
