"""The profit and tier endpoints: the same rows as `export_report`, for managers and
administrators only, with Excel and CSV downloads, tier settings and overrides."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.test import APIClient

from reports.models import TierChange, TierOverride
from tests.crm.profit_data import customer, ship

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["sales", "warehouse", "purchasing", "production", "quality"]
ENDPOINTS = [
    "/api/v1/reports/customer-profit/",
    "/api/v1/reports/product-profit/",
    "/api/v1/reports/customer-tiers/",
    "/api/v1/reports/tier-settings/",
    "/api/v1/reports/tier-overrides/",
    "/api/v1/reports/tier-changes/",
]


@pytest.fixture
def history():
    ship("C1", "A", "2", price="10.5", cost="4", on="2024-12-31")
    ship("C1", "A", "3", price="10.5", cost="4", on="2025-01-01")
    ship("C2", "B", "1", price="100", cost="0", on="2025-07-01")
    ship("C3", "B", "4", price="0", cost="2.5", on="2025-12-31")
    customer("C4")


@pytest.fixture
def manager(api_client_for):
    return api_client_for("manager")


def cli(name, *args, capsys):
    call_command("export_report", name, *args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_managers_and_admins(api_client_for, url, role):
    assert api_client_for(role).get(url).status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_and_admin_gets_200(api_client_for, url):
    assert APIClient().get(url).status_code == 401
    assert api_client_for("admin").get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "name", "args"),
    [
        ("/api/v1/reports/customer-profit/?year=2025", "customer-profit", ["--year", "2025"]),
        (
            "/api/v1/reports/customer-profit/?from=2024-12-31&to=2025-01-01",
            "customer-profit",
            ["--from", "2024-12-31", "--to", "2025-01-01"],
        ),
        ("/api/v1/reports/customer-profit/", "customer-profit", []),
        ("/api/v1/reports/product-profit/?year=2025", "product-profit", ["--year", "2025"]),
        (
            "/api/v1/reports/customer-tiers/?as_of=2026-01-01",
            "customer-tiers",
            ["--as-of", "2026-01-01"],
        ),
    ],
)
def test_same_rows_as_the_command(history, manager, capsys, url, name, args):
    answer = manager.get(url)
    assert answer.status_code == 200
    assert answer.json() == cli(name, *args, capsys=capsys)


def test_rows_are_exact_strings(history, manager):
    rows = manager.get("/api/v1/reports/product-profit/?year=2025").json()
    assert rows[0]["revenue"] == "31.5" and rows[0]["profit_sales_ratio"] == "0.619048"
    c3 = manager.get("/api/v1/reports/product-profit/?from=2025-12-31&to=2025-12-31").json()
    assert c3[0]["profit_sales_ratio"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=twenty", "year"),
        ("year=0", "year"),
        ("from=2025-13-01", "from"),
        ("year=2025&from=2025-01-01", "year"),
        ("from=2025-02-01&to=2025-01-01", "to"),
        ("as_of=yesterday", "as_of"),
    ],
)
def test_bad_periods_are_400_naming_the_field(manager, query, field):
    answer = manager.get(f"/api/v1/reports/customer-profit/?{query}")
    assert answer.status_code == 400
    assert field in answer.json()


def test_excel_and_csv_downloads(history, manager):
    answer = manager.get("/api/v1/reports/customer-profit/?year=2025&format=xlsx")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "customer-profit-2025.xlsx" in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert [c.value for c in sheet[1]] == ["customer", "revenue", "cost", "profit", "rank"]
    assert [c.value for c in sheet[2]] == ["C2", 100, 0, 100, 1]
    text = manager.get("/api/v1/reports/customer-tiers/?as_of=2026-01-01&format=csv")
    assert text["Content-Type"].startswith("text/csv")
    assert b"C3,NORMAL,true,false" in text.content
    refused = manager.get("/api/v1/reports/customer-profit/?year=x&format=xlsx")
    assert refused.status_code == 400 and "year" in json.loads(refused.content)


def test_tier_settings_read_and_change(manager, api_client_for):
    assert manager.get("/api/v1/reports/tier-settings/").json()["vip_share"] == "0.7000"
    answer = manager.patch("/api/v1/reports/tier-settings/", {"vip_share": "0.6"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["vip_share"] == "0.6000"
    assert answer.json()["important_share"] == "0.9000"
    assert answer.json()["updated_by"] == "manager_user"
    refused = manager.put(
        "/api/v1/reports/tier-settings/",
        {"vip_share": "0.95", "important_share": "0.9"},
        format="json",
    )
    assert refused.status_code == 400 and "vip_share" in refused.json()
    assert manager.get("/api/v1/reports/tier-settings/").json()["vip_share"] == "0.6000"
    sales = api_client_for("sales")
    assert sales.patch("/api/v1/reports/tier-settings/", {"vip_share": "0.5"}).status_code == 403


def test_tier_overrides_set_list_replace_remove(history, manager, capsys):
    answer = manager.post(
        "/api/v1/reports/tier-overrides/",
        {"customer": "C4", "tier": "VIP", "reason": "New plant opening"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["set_by"] == "manager_user"
    tiers = manager.get("/api/v1/reports/customer-tiers/?as_of=2026-01-01").json()
    assert {r["customer"]: (r["tier"], r["overridden"]) for r in tiers}["C4"] == ("VIP", True)
    assert [
        o["customer"] for o in manager.get("/api/v1/reports/tier-overrides/").json()["results"]
    ] == ["C4"]
    replaced = manager.put(
        "/api/v1/reports/tier-overrides/C4/",
        {"tier": "IMPORTANT", "reason": "Smaller than hoped"},
        format="json",
    )
    assert replaced.status_code == 200 and replaced.json()["tier"] == "IMPORTANT"
    assert manager.get("/api/v1/reports/tier-overrides/C4/").json()["reason"] == (
        "Smaller than hoped"
    )
    assert manager.delete("/api/v1/reports/tier-overrides/C4/?reason=done").status_code == 204
    assert not TierOverride.objects.exists()
    log = manager.get("/api/v1/reports/tier-changes/?customer=C4").json()["results"]
    assert [(c["old_tier"], c["new_tier"], c["source"]) for c in log] == [
        ("IMPORTANT", "POTENTIAL", "override_removed"),
        ("VIP", "IMPORTANT", "override"),
        ("POTENTIAL", "VIP", "override"),
    ]
    assert TierChange.objects.count() == 3


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"customer": "NOPE", "tier": "VIP", "reason": "x"}, 400, "customer"),
        ({"customer": "C4", "tier": "GOLD", "reason": "x"}, 400, "tier"),
        ({"customer": "C4", "tier": "VIP", "reason": "   "}, 400, "reason"),
        ({"customer": "C4", "tier": "VIP"}, 400, "reason"),
        ([1, 2], 400, None),
    ],
)
def test_bad_overrides_are_refused(history, manager, body, status, field):
    answer = manager.post("/api/v1/reports/tier-overrides/", body, format="json")
    assert answer.status_code == status
    if field:
        assert field in answer.json()
    assert not TierOverride.objects.exists()


def test_removing_a_missing_override(history, manager):
    assert manager.delete("/api/v1/reports/tier-overrides/C4/").status_code == 400
    assert manager.delete("/api/v1/reports/tier-overrides/NOPE/").status_code == 404
    assert manager.get("/api/v1/reports/tier-overrides/C4/").status_code == 404


def test_report_endpoints_have_fixed_query_counts(manager, django_assert_max_num_queries):
    for n in range(20):
        ship(f"C{n:02d}", f"I{n % 4}", "1", price="10", cost=str(n), on="2025-05-05")
    with django_assert_max_num_queries(8):
        assert len(manager.get("/api/v1/reports/customer-tiers/?as_of=2026-01-01").json()) == 20
    with django_assert_max_num_queries(6):
        manager.get("/api/v1/reports/customer-profit/?year=2025")


def test_nul_characters_are_not_a_server_error(history, manager):
    assert manager.get("/api/v1/reports/tier-overrides/C%00/").status_code == 404
    assert manager.get("/api/v1/reports/customer-profit/?from=2025-01-01%00").status_code == 400
    assert manager.get("/api/v1/reports/tier-changes/?customer=%00").status_code == 200
