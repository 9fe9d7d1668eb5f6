"""The aging report from the command line (json, csv, xlsx, bad --as-of) and the API (400 on
a bad date, roles, query count); the statement API."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from erp.roles import Role
from tests.clock import today
from tests.factories import CustomerFactory
from tests.orders.receivables import factories as rf

pytestmark = pytest.mark.django_db
FIELDS = ["customer", "current", "d1_30", "d31_60", "d61_90", "over_90", "total"]
URL = "/api/v1/reports/receivables-aging/"


def _days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.fixture
def receivables():
    a, b = CustomerFactory(code="ACME"), CustomerFactory(code="BETA")
    rf.invoice(a, on=_days(-100), due=_days(-95), gross="1000.50")
    inv = rf.invoice(b, on=_days(-10), gross="300.00")
    pay = rf.payment(b, on=_days(-1), amount="100.00")
    rf.allocate(pay, inv, on=_days(-1), amount="100.00")
    rf.invoice(b, on=_days(1), gross="999.00")  # after today
    return a, b


EXPECTED = [
    {
        "customer": "ACME",
        "current": "0.00",
        "d1_30": "0.00",
        "d31_60": "0.00",
        "d61_90": "0.00",
        "over_90": "1000.50",
        "total": "1000.50",
    },
    {
        "customer": "BETA",
        "current": "200.00",
        "d1_30": "0.00",
        "d31_60": "0.00",
        "d61_90": "0.00",
        "over_90": "0.00",
        "total": "200.00",
    },
]


def test_command_json_defaults_to_today(receivables, capsys):
    call_command("export_report", "receivables-aging", "--format", "json")
    assert json.loads(capsys.readouterr().out) == EXPECTED


def test_command_as_of(receivables, capsys):
    call_command("export_report", "receivables-aging", "--as-of", _days(-2).isoformat())
    rows = json.loads(capsys.readouterr().out)
    assert [(r["customer"], r["total"]) for r in rows] == [("ACME", "1000.50"), ("BETA", "300.00")]


def test_command_csv(receivables, capsys):
    call_command("export_report", "receivables-aging", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == FIELDS
    assert rows[1] == [EXPECTED[0][f] for f in FIELDS]


def test_command_xlsx(receivables, tmp_path):
    out = tmp_path / "aging.xlsx"
    call_command("export_report", "receivables-aging", "--format", "xlsx", "--output", str(out))
    sheet = load_workbook(out).active
    rows = list(sheet.values)
    assert list(rows[0]) == FIELDS
    assert rows[1][0] == "ACME"
    assert Decimal(str(rows[1][5])) == Decimal("1000.50")


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", "2026-02-30"])
def test_command_bad_as_of_exits_non_zero(bad):
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_report", "receivables-aging", "--as-of", bad)


def test_api_rows(receivables, api_client_for, django_assert_max_num_queries):
    client = api_client_for(Role.MANAGER.value)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == EXPECTED
    response = client.get(URL, {"as_of": _days(-2).isoformat()})
    assert response.json()[1]["total"] == "300.00"


def test_api_csv_and_xlsx(receivables, api_client_for):
    client = api_client_for(Role.SALES.value)
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0] == ",".join(FIELDS)
    response = client.get(URL, {"format": "xlsx", "as_of": today().isoformat()})
    assert response.status_code == 200
    assert f"receivables-aging-{today().isoformat()}.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize("bad", ["2026-13-01", "x", "2026-02-30"])
def test_api_bad_date_is_400(api_client_for, bad):
    response = api_client_for(Role.MANAGER.value).get(URL, {"as_of": bad})
    assert response.status_code == 400
    assert "as_of" in response.json()


@pytest.mark.parametrize("role", [Role.WAREHOUSE, Role.PURCHASING, Role.PRODUCTION])
def test_api_roles(api_client_for, role):
    assert api_client_for(role.value).get(URL).status_code == 403
    assert api_client_for(role.value).get("/api/v1/customers/X/statement/").status_code == 403


def test_api_anonymous_is_401(client):
    assert client.get(URL).status_code == 401


def test_statement_api(receivables, api_client_for):
    client = api_client_for(Role.SALES.value)
    response = client.get(
        "/api/v1/customers/BETA/statement/",
        {"from": _days(-30).isoformat(), "to": today().isoformat()},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == "BETA"
    assert (body["from"], body["to"]) == (_days(-30).isoformat(), today().isoformat())
    assert body["opening_balance"] == "0.00"
    assert [(ln["kind"], ln["balance"]) for ln in body["lines"]] == [
        ("invoice", "300.00"),
        ("payment", "200.00"),
    ]
    assert (body["closing_balance"], body["unallocated_credit"]) == ("200.00", "0.00")


def test_statement_api_errors(receivables, api_client_for):
    client = api_client_for(Role.MANAGER.value)
    assert client.get("/api/v1/customers/NOPE/statement/").status_code == 404
    response = client.get("/api/v1/customers/BETA/statement/", {"from": "2026-99-01"})
    assert response.status_code == 400
    assert "from" in response.json()
    response = client.get(
        "/api/v1/customers/BETA/statement/",
        {"from": today().isoformat(), "to": _days(-1).isoformat()},
    )
    assert response.status_code == 400
    assert client.get("/api/v1/customers/BETA/statement/").status_code == 200


def test_bench_aging_runs_small_and_rolls_back(capsys):
    from orders.receivables.models import Invoice

    call_command("bench", "aging", "--invoices", "300", "--customers", "20", "--repeat", "2")
    out = capsys.readouterr().out
    assert "aging as of" in out and "rolled back" in out
    assert not Invoice.objects.exists()
