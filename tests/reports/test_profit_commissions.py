"""Commissions by product margin: grades from last year's profit / revenue (thresholds a
manager sets, the boundary belongs to the higher grade), a rate per grade, a statement per
salesperson and month."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from erp.errors import DomainError
from materials.models import Item
from reports.models import CommissionPolicy
from reports.profit.commissions import (
    commission_policy_update,
    commission_statement,
    current_policy,
    grade_of,
)
from tests.crm.profit_data import customer, item, ship

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def li(make_user):
    return make_user("sales", username="li")


@pytest.fixture
def book(li, make_user):
    wang = make_user("sales", username="wang")
    customer("MINE", salesperson=li)
    customer("HIS", salesperson=wang)
    # Last year's margins: HI 30 % (boundary), MID 15 % (boundary), LO 10 %.
    ship("HIS", "HI", "1", price="100", cost="70", on="2025-05-01")
    ship("HIS", "MID", "1", price="100", cost="85", on="2025-05-01")
    ship("HIS", "LO", "1", price="100", cost="90", on="2025-05-01")
    item("NEW")
    Item.objects.filter(code="NEW").update(list_price=Decimal("50"), standard_cost=Decimal("20"))
    # March 2026 shipments to Li's customer (and one to Wang's, one outside March).
    ship("MINE", "HI", "2", price="110", cost="1", on="2026-03-01")
    ship("MINE", "MID", "3", price="10", cost="1", on="2026-03-31")
    ship("MINE", "LO", "1", price="7.77", cost="1", on="2026-03-15")
    ship("MINE", "NEW", "4", price="50", cost="1", on="2026-03-10")
    ship("MINE", "HI", "1", price="999", cost="1", on="2026-04-01")
    ship("HIS", "HI", "1", price="999", cost="1", on="2026-03-05")


def test_grade_boundaries_belong_to_the_higher_grade():
    policy = CommissionPolicy()
    assert grade_of(Decimal("0.3"), policy) == "high"
    assert grade_of(Decimal("0.299999"), policy) == "medium"
    assert grade_of(Decimal("0.15"), policy) == "medium"
    assert grade_of(Decimal("0.149999"), policy) == "low"
    assert grade_of(Decimal("-0.5"), policy) == "low"
    assert grade_of(None, policy) == "low"


def test_statement_of_a_salesperson_for_a_month(book, li):
    statement = commission_statement(salesperson=li, month=dt.date(2026, 3, 17))
    lines = {line.item_code: line for line in statement.lines}
    assert set(lines) == {"HI", "MID", "LO", "NEW"}
    assert (lines["HI"].grade.grade, lines["HI"].rate, lines["HI"].commission) == (
        "high",
        Decimal("0.03"),
        Decimal("6.6"),  # 220 x 3 %
    )
    assert (lines["MID"].grade.grade, lines["MID"].commission) == ("medium", Decimal("0.6"))
    assert (lines["LO"].grade.grade, lines["LO"].commission) == ("low", Decimal("0.0777"))
    new = lines["NEW"]
    assert (new.grade.grade, new.grade.basis, new.grade.margin) == (
        "high",
        "standard",
        Decimal("0.6"),
    )
    assert statement.revenue == Decimal("457.77")
    assert statement.commission == Decimal("6.6") + Decimal("0.6") + Decimal("0.0777") + Decimal(
        "6"
    )


def test_changed_thresholds_and_rates(book, li, make_user):
    commission_policy_update(
        user=make_user("manager"), high_margin="0.5", medium_margin="0.1", rate_medium="0.05"
    )
    lines = {
        line.item_code: line for line in commission_statement(salesperson=li, month=MARCH).lines
    }
    assert lines["HI"].grade.grade == "medium" and lines["HI"].commission == Decimal("11")
    assert lines["LO"].grade.grade == "medium"
    assert current_policy().updated_by.username == "manager_user"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"high_margin": "1.5"}, "high_margin"),
        ({"rate_low": "-0.01"}, "rate_low"),
        ({"medium_margin": "0.4"}, "medium_margin"),
        ({"rate_high": "abc"}, "rate_high"),
    ],
)
def test_bad_policy_is_refused(make_user, values, field):
    with pytest.raises(DomainError) as refused:
        commission_policy_update(user=make_user("manager"), **values)
    assert refused.value.field == field
    assert not CommissionPolicy.objects.exists()


def test_statement_page_and_download(book, li, make_user):
    client = Client()
    client.force_login(li)
    page = client.get(reverse("reports:commissions"), {"month": "2026-03"})
    assert page.status_code == 200
    assert "13.28" in page.content.decode()  # 6.6 + 0.6 + 0.0777 + 6 = 13.2777
    assert client.get(reverse("reports:commissions"), {"salesperson": "wang"}).status_code == 403
    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("reports:commissions-download"), {"month": "2026-03"}).content
        )
    ).active
    assert [c.value for c in sheet[1]] == [
        "Item",
        "Quantity",
        "Revenue",
        "Margin grade",
        "Margin",
        "Commission rate",
        "Commission",
    ]
    assert sheet.max_row == 6 and sheet.cell(6, 1).value == "Total"  # 4 lines, totals
    assert abs(sheet.cell(6, 7).value - 13.2777) < 1e-9 and sheet.freeze_panes == "A2"
    assert sheet.cell(2, 5).number_format == "0.0%" and sheet.cell(2, 3).number_format == "#,##0.00"
    manager = Client()
    manager.force_login(make_user("manager"))
    his = manager.get(reverse("reports:commissions"), {"salesperson": "wang", "month": "2026-03"})
    assert his.status_code == 200 and "29.97" in his.content.decode()  # 999 x 3 %
    assert (
        manager.post(
            reverse("reports:commission-policy"),
            {
                "high_margin": "0.4",
                "medium_margin": "0.2",
                "rate_high": "0.05",
                "rate_medium": "0.02",
                "rate_low": "0",
                "month": "2026-03",
            },
        ).status_code
        == 302
    )
    assert current_policy().rate_low == 0
    warehouse = Client()
    warehouse.force_login(make_user("warehouse"))
    assert warehouse.get(reverse("reports:commissions")).status_code == 403
    assert client.post(reverse("reports:commission-policy"), {}).status_code == 403


def test_statement_and_policy_over_the_api(book, li, api_client_for):
    from rest_framework.test import APIClient

    mine = APIClient()
    mine.force_authenticate(li)
    answer = mine.get("/api/v1/reports/commissions/?month=2026-03")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["salesperson"], body["month"], body["revenue"]) == ("li", "2026-03", "457.77")
    assert {line["item"]: line["grade"] for line in body["lines"]} == {
        "HI": "high",
        "MID": "medium",
        "LO": "low",
        "NEW": "high",
    }
    assert (
        mine.get("/api/v1/reports/commissions/?month=2026-03&salesperson=wang").status_code == 403
    )
    assert mine.get("/api/v1/reports/commissions/?month=March").status_code == 400
    assert mine.get("/api/v1/reports/commission-policy/").status_code == 403
    manager = api_client_for("manager")
    assert (
        manager.get("/api/v1/reports/commissions/?month=2026-03&salesperson=wang").json()[
            "commission"
        ]
        == "29.97"
    )
    assert (
        manager.get("/api/v1/reports/commissions/?month=2026-03&salesperson=nobody").status_code
        == 404
    )
    changed = manager.patch(
        "/api/v1/reports/commission-policy/", {"rate_low": "0.005"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["rate_low"] == "0.0050"
    refused = manager.patch(
        "/api/v1/reports/commission-policy/", {"medium_margin": "0.9"}, format="json"
    )
    assert refused.status_code == 400 and "medium_margin" in refused.json()
    assert (
        api_client_for("warehouse").get("/api/v1/reports/commissions/?month=2026-03").status_code
        == 403
    )
