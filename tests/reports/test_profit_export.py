"""`export_report customer-profit | product-profit | customer-tiers` (CONTRACT.md section 6):
JSON with exact decimal strings, CSV and XLSX with the same rows, periods by --year and
--from/--to, tiers as of --as-of."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reports.profit import services
from tests.crm.profit_data import customer, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    ship("C1", "A", "2", price="10.5", cost="4", on="2024-12-31")
    ship("C1", "A", "3", price="10.5", cost="4", on="2025-01-01")
    ship("C2", "B", "1", price="100", cost="0", on="2025-07-01")
    ship("C3", "B", "4", price="0", cost="2.5", on="2025-12-31")
    ship("C2", "A", "1", price="9", cost="1", on="2026-01-01")
    customer("C4")


def export(name, *args, capsys):
    call_command("export_report", name, *args)
    return capsys.readouterr().out


def test_customer_profit_json_for_a_year(history, capsys):
    rows = json.loads(export("customer-profit", "--year", "2025", capsys=capsys))
    assert rows == [
        {"customer": "C2", "revenue": "100", "cost": "0", "profit": "100", "rank": 1},
        {"customer": "C1", "revenue": "31.5", "cost": "12", "profit": "19.5", "rank": 2},
        {"customer": "C3", "revenue": "0", "cost": "10", "profit": "-10", "rank": 3},
    ]


def test_from_to_is_inclusive_and_no_period_is_all_time(history, capsys):
    rows = json.loads(
        export("customer-profit", "--from", "2024-12-31", "--to", "2025-01-01", capsys=capsys)
    )
    assert rows == [
        {"customer": "C1", "revenue": "52.5", "cost": "20", "profit": "32.5", "rank": 1}
    ]
    everything = json.loads(export("customer-profit", capsys=capsys))
    assert {r["customer"]: r["profit"] for r in everything} == {
        "C1": "32.5",
        "C2": "108",
        "C3": "-10",
    }


def test_product_profit_json_with_null_ratios(history, capsys):
    rows = json.loads(export("product-profit", "--year", "2025", capsys=capsys))
    assert rows == [
        {
            "item": "A",
            "quantity": "3",
            "revenue": "31.5",
            "cost": "12",
            "profit": "19.5",
            "profit_cost_ratio": "1.625000",
            "profit_sales_ratio": "0.619048",
        },
        {
            "item": "B",
            "quantity": "5",
            "revenue": "100",
            "cost": "10",
            "profit": "90",
            "profit_cost_ratio": "9.000000",
            "profit_sales_ratio": "0.900000",
        },
    ]
    c3_only = json.loads(
        export("product-profit", "--from", "2025-12-31", "--to", "2025-12-31", capsys=capsys)
    )
    assert c3_only[0]["profit_sales_ratio"] is None
    assert c3_only[0]["profit_cost_ratio"] == "-1.000000"


def test_customer_tiers_as_of(history, capsys, make_user):
    rows = json.loads(export("customer-tiers", "--as-of", "2026-02-01", capsys=capsys))
    assert rows == [
        {"customer": "C1", "tier": "IMPORTANT", "loss_making": False, "overridden": False},
        {"customer": "C2", "tier": "VIP", "loss_making": False, "overridden": False},
        {"customer": "C3", "tier": "NORMAL", "loss_making": True, "overridden": False},
        {"customer": "C4", "tier": "POTENTIAL", "loss_making": False, "overridden": False},
    ]
    services.tier_override_set(
        customer=customer("C4"), user=make_user("manager"), tier="VIP", reason="new plant"
    )
    rows = json.loads(export("customer-tiers", "--as-of", "2025-06-01", capsys=capsys))
    # From 2024: only C1 shipped.
    assert {r["customer"]: (r["tier"], r["overridden"]) for r in rows} == {
        "C1": ("VIP", False),
        "C2": ("POTENTIAL", False),
        "C3": ("POTENTIAL", False),
        "C4": ("VIP", True),
    }


def test_customer_tiers_default_to_today(history, capsys, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 5))
    rows = json.loads(export("customer-tiers", capsys=capsys))
    assert {r["customer"]: r["tier"] for r in rows}["C2"] == "VIP"


def test_csv_has_the_same_rows(history, capsys):
    text = export("product-profit", "--year", "2025", "--format", "csv", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "item",
        "quantity",
        "revenue",
        "cost",
        "profit",
        "profit_cost_ratio",
        "profit_sales_ratio",
    ]
    assert rows[1]["profit_cost_ratio"] == "9.000000"
    tiers = export("customer-tiers", "--as-of", "2026-01-01", "--format", "csv", capsys=capsys)
    assert tiers.splitlines()[0] == "customer,tier,loss_making,overridden"
    assert "C3,NORMAL,true,false" in tiers.splitlines()
    ranking = export("customer-profit", "--year", "2025", "--format", "csv", capsys=capsys)
    assert ranking.splitlines()[:2] == ["customer,revenue,cost,profit,rank", "C2,100,0,100,1"]


def test_xlsx_has_numbers_and_empty_ratios(history, tmp_path):
    path = tmp_path / "products.xlsx"
    call_command(
        "export_report",
        "product-profit",
        "--from",
        "2025-12-31",
        "--to",
        "2025-12-31",
        "--format",
        "xlsx",
        "--output",
        str(path),
    )
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:5] == ["item", "quantity", "revenue", "cost", "profit"]
    values = [c.value for c in sheet[2]]
    assert values[:5] == ["B", 4, 0, 10, -10]
    assert Decimal(str(values[5])) == Decimal("-1") and values[6] is None
    path = tmp_path / "ranking.xlsx"
    call_command(
        "export_report", "customer-profit", "--year", "2025", "--format", "xlsx", "--output", path
    )
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[3]] == ["C1", 31.5, 12, 19.5, 2]


def test_json_output_to_a_file(history, tmp_path):
    path = tmp_path / "tiers.json"
    call_command("export_report", "customer-tiers", "--as-of", "2026-01-01", "--output", path)
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 4


def test_bad_period_is_refused(db):
    with pytest.raises(CommandError, match="either --year"):
        call_command("export_report", "customer-profit", "--year", "2025", "--from", "2025-01-01")
    with pytest.raises(CommandError, match="before --from"):
        call_command(
            "export_report", "customer-profit", "--from", "2025-02-01", "--to", "2025-01-01"
        )
