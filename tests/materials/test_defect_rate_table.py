"""The defect-control table kept by quality (issue 13): every change with who, when, old
and new rate and a reason; requirements computed after a change use it, while order lines
open at that moment keep their pick limits until quality re-applies the table (effect
shown first)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from erp.roles import Role
from materials.models import DefectRateChange, Location, Process
from materials.services.defect_rates import change_defect_rate
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import PickLimitExceeded
from orders.selectors.defect_rates import reapply_effect
from orders.services.defect_rates import reapply_defect_rates
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

D = Decimal


@pytest.fixture
def floor(db, make_user):
    """F <- 2 S at P1 (2%); SO1 line 1: 50 F (limit of S: 102)."""
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    f = ItemFactory(code="F", kind="finished")
    s = ItemFactory(code="S", kind="semi")
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=p1)
    SalesOrderLineFactory(order=SalesOrderFactory(order_no="SO1"), line=1, item=f, quantity=D("50"))
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(s.pk, usable.pk, D("1000"))], kind="receipt")
    return {
        "p1": p1,
        "f": f,
        "quality": make_user(Role.QUALITY.value),
        "clerk": make_user(Role.WAREHOUSE.value),
    }


def limit(api, order_no="SO1"):
    rows = api.get(f"/api/v1/orders/{order_no}/requirements/").json()
    return D(next(r for r in rows if r["item"] == "S")["requirement"])


def test_a_change_is_kept_with_who_when_old_new_and_why(floor):
    change = change_defect_rate(
        process=floor["p1"], rate="0.1", reason="new supplier of blanks", user=floor["quality"]
    )
    assert (change.old_rate, change.new_rate) == (D("0.02"), D("0.1"))
    assert change.changed_by == floor["quality"] and change.changed_at
    assert change.reason == "new supplier of blanks"
    assert Process.objects.get(code="P1").defect_rate == D("0.1")


@pytest.mark.parametrize(
    "rate, reason, error, words",
    [
        ("0.1", " ", DomainError, "Say why"),
        ("1", "x", DomainError, "less than 1"),
        ("-0.01", "x", DomainError, "at least 0"),
        ("abc", "x", DomainError, "number"),
        ("0.0000001", "x", DomainError, "6 decimals"),
        ("0.02", "x", ConflictError, "already"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_kept(floor, rate, reason, error, words):
    with pytest.raises(error, match=words):
        change_defect_rate(process=floor["p1"], rate=rate, reason=reason, user=floor["quality"])
    assert not DefectRateChange.objects.exists()
    assert Process.objects.get(code="P1").defect_rate == D("0.02")


def test_open_orders_keep_their_pick_limit_new_orders_take_the_new_rate(floor, api_client_for):
    api = api_client_for(Role.WAREHOUSE.value)
    assert limit(api) == D("102")
    change_defect_rate(
        process=floor["p1"], rate="0.1", reason="worse blanks", user=floor["quality"]
    )
    SalesOrderLineFactory(
        order=SalesOrderFactory(order_no="SO2"), line=1, item=floor["f"], quantity=D("50")
    )
    assert limit(api) == D("102")
    assert limit(api, "SO2") == D("110")
    with pytest.raises(PickLimitExceeded):
        issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("103"))], user=floor["clerk"])
    issue_slip(kind="pick", order_no="SO2", lines=[L(1, "S", D("110"))], user=floor["clerk"])
    # A second change: SO1 still keeps the rate of its time, SO2 now keeps 10%.
    change_defect_rate(
        process=floor["p1"], rate="0.05", reason="better again", user=floor["quality"]
    )
    assert (limit(api), limit(api, "SO2")) == (D("102"), D("110"))


def test_reapplying_shows_the_effect_first_then_moves_the_limits(floor, api_client_for):
    api = api_client_for(Role.WAREHOUSE.value)
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("100"))], user=floor["clerk"])
    change_defect_rate(process=floor["p1"], rate="0", reason="no more scrap", user=floor["quality"])
    rows, kept = reapply_effect()
    assert kept == 1
    [row] = rows
    assert (row.limit_now, row.limit_after, row.picked) == (D("102"), D("100"), D("100"))
    assert row.difference == D("-2") and not row.over_new_limit
    assert limit(api) == D("102")
    assert reapply_defect_rates(user=floor["quality"]) == 1
    assert limit(api) == D("100")
    assert DefectRateChange.objects.get().reapplied_by == floor["quality"]
    assert reapply_effect() == ([], 0)


def test_quality_changes_a_rate_on_the_page_in_percent(floor, make_user):
    quality = Client()
    quality.force_login(floor["quality"])
    url = reverse("materials:process-rate-change", args=["P1"])
    answer = quality.post(url, {"percent": "2.5", "reason": "measured last month"}, follow=True)
    assert answer.status_code == 200
    assert Process.objects.get(code="P1").defect_rate == D("0.025")
    page = answer.content.decode()
    assert "measured last month" in page and "2.5%" in page
    refused = quality.post(url, {"percent": "150", "reason": "x"}, follow=True)
    assert "less than 1" in refused.content.decode()
    no_reason = quality.post(url, {"percent": "3", "reason": ""}, follow=True)
    assert "Say why" in no_reason.content.decode()
    assert DefectRateChange.objects.count() == 1
    effect = quality.get(reverse("orders:defect-rates-reapply"))
    assert effect.status_code == 200 and "SO1" in effect.content.decode()
    done = quality.post(reverse("orders:defect-rates-reapply-confirm"))
    assert done.status_code == 302


@pytest.mark.parametrize("role", [Role.SALES.value, Role.WAREHOUSE.value])
def test_only_quality_may_change_the_table(floor, make_user, role):
    client = Client()
    client.force_login(make_user(role))
    url = reverse("materials:process-rate-change", args=["P1"])
    assert client.post(url, {"percent": "3", "reason": "x"}).status_code == 403
    assert client.get(reverse("orders:defect-rates-reapply")).status_code == 403
    assert client.get(reverse("materials:process-list")).status_code == 200


def test_an_api_change_is_kept_in_the_history_with_its_reason(floor, api_client_for):
    quality = api_client_for(Role.QUALITY.value)
    answer = quality.patch(
        "/api/v1/processes/P1/", {"defect_rate": "0.04", "reason": "audit"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert "reason" not in answer.json()
    change = DefectRateChange.objects.get()
    assert (change.old_rate, change.new_rate, change.reason) == (D("0.02"), D("0.04"), "audit")
    assert quality.patch("/api/v1/processes/P1/", {"name": "Cut"}, format="json").status_code == 200
    assert DefectRateChange.objects.count() == 1


def test_a_workbook_import_that_changes_a_rate_is_kept_in_the_history(make_user):
    from reports.workbook.importer import import_workbook
    from tests.reports.workbooks import SALESPERSON, base_sheets, xlsx

    make_user(Role.SALES.value, username=SALESPERSON)
    sheets = base_sheets()
    import_workbook(source=xlsx(sheets))
    assert not DefectRateChange.objects.exists()  # first import: no change
    header = sheets["Processes"][0]
    row = sheets["Processes"][1]
    code, old = row[header.index("code")], D(str(row[header.index("defect_rate")]))
    row[header.index("defect_rate")] = float(old + D("0.01"))
    import_workbook(source=xlsx(sheets))
    change = DefectRateChange.objects.get()
    assert (change.process.code, change.old_rate, change.reason) == (code, old, "Workbook import")
    assert change.new_rate == old + D("0.01")
    import_workbook(source=xlsx(sheets))
    assert DefectRateChange.objects.count() == 1
