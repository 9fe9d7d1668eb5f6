"""The manager's dashboard and profit pages: managers only, served from the snapshots in a
fixed number of queries, the tier rule and overrides from the screen, Excel downloads."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from erp.models import JobRun
from reports.models import TierOverride, TierSettings
from reports.profit.profit_snapshots import compute_profit_snapshots
from reports.profit.rankings import compute_rankings
from tests.crm.profit_data import customer, earn, ship

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 2, 1)

PAGES = [
    reverse("reports:dashboard"),
    reverse("reports:customer-profit"),
    reverse("reports:customer-compare"),
    reverse("reports:product-profit"),
    reverse("reports:tiers"),
    reverse("reports:report-download", args=["customer-profit"]),
]


@pytest.fixture
def history():
    earn("A", "60", on="2025-03-01")
    earn("B", "25", on="2025-04-01")
    earn("B", "30", on="2024-04-01")
    earn("L", "-5", on="2025-06-01")
    customer("N")


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


@pytest.mark.parametrize("role", ["sales", "warehouse", "purchasing", "production", "quality"])
@pytest.mark.parametrize("url", PAGES)
def test_profit_pages_are_for_managers_only(make_user, role, url):
    client = Client()
    client.force_login(make_user(role))
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(db):
    answer = Client().get(reverse("reports:dashboard"))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_dashboard_before_any_run(manager):
    page = manager.get(reverse("reports:dashboard"))
    assert page.status_code == 200 and b'data-testid="no-run"' in page.content


def snapshots():
    compute_rankings(as_of=AS_OF)
    compute_profit_snapshots(as_of=AS_OF)


def test_dashboard_from_the_snapshots(history, manager):
    snapshots()
    ship("Z", "X", "1", price="1000", cost="0", on="2025-07-07")  # after the run: not shown
    page = manager.get(reverse("reports:dashboard"))
    text = page.content.decode()
    assert page.status_code == 200
    top = text[text.index('data-testid="top-customers"') :]
    assert top.index(">A<") < top.index(">B<")
    assert ">Z<" not in text
    assert "Lifecycle classes" in text and "fell by 30%" in text
    assert 'data-testid="trend-table"' in text and "2024-04" in text
    assert "P-A" in text  # product margin numbers


def test_dashboard_query_count_does_not_grow(manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        snapshots()
        with CaptureQueriesContext(connection) as queries:
            assert manager.get(reverse("reports:dashboard")).status_code == 200
        return len(queries)

    ship("C00", "I0", "1", price="10", cost="3", on="2025-03-03")
    count_queries()  # once: whether satisfaction surveys exist is asked once per process
    few = count_queries()
    for n in range(60):
        ship(f"C{n:02d}", f"I{n % 9}", "1", price="10", cost=str(n % 15), on="2025-03-03")
        ship(f"C{n:02d}", f"I{n % 9}", "1", price="10", cost="1", on=f"2024-{n % 12 + 1:02d}-03")
    # 18 + receivables (DSO and overdue: one query) + the figures beside profit (on-time,
    # stock value and turns: two, purchase lead time; satisfaction score and trend when
    # surveys exist: two)
    assert count_queries() == few <= 25


def test_run_now_button(history, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = manager.post(reverse("reports:rankings-run"))
    assert answer.status_code == 302
    for job in ("rankings", "profit-snapshots"):
        run = JobRun.objects.get(job=job)
        assert run.status == "succeeded" and run.trigger == "dashboard"
        assert run.started_by.username == "manager_user"
    assert manager.get(reverse("reports:rankings-run")).status_code == 405


def test_customer_ranking_with_year_on_year(history, manager):
    page = manager.get(reverse("reports:customer-profit"), {"year": "2025"})
    text = page.content.decode()
    assert page.status_code == 200 and "Profit 2024" in text
    ranking = text[text.index('data-testid="ranking"') :]
    assert ranking.index(">A<") < ranking.index(">B<") < ranking.index(">L<")
    assert "-5.00" in ranking  # B: 25 now, 30 before


def test_bad_period_shows_an_error_and_the_last_year(history, manager):
    page = manager.get(
        reverse("reports:customer-profit"), {"from": "2025-02-01", "to": "2025-01-01"}
    )
    assert page.status_code == 200
    assert "The to date is before the from date." in page.content.decode()


def test_compare_customers_by_month(history, manager):
    page = manager.get(reverse("reports:customer-compare"), {"year": "2025", "c": ["A", "B"]})
    text = page.content.decode()
    assert page.status_code == 200
    table = text[text.index('data-testid="compare-table"') :]
    assert "2025-03" in table and "2025-12" in table and "60.00" in table
    assert "Year on year" in table


@pytest.fixture
def on_as_of():
    """The factory's today is AS_OF (noon in Shanghai), from before the manager logs in: a
    session started on the suite's own day could have expired by then."""
    with time_machine.travel(dt.datetime(2026, 2, 1, 4, tzinfo=dt.UTC)):
        yield


def test_customer_drill_down(on_as_of, history, manager):  # the tier shown is today's
    page = manager.get(reverse("reports:customer-profit-detail", args=["B"]), {"year": "2025"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "P-B" in text and 'data-testid="orders"' in text
    assert "Important" in text or "VIP" in text  # tiers by name
    assert manager.get(reverse("reports:customer-profit-detail", args=["NOPE"])).status_code == 404


def test_product_table(history, manager):
    page = manager.get(reverse("reports:product-profit"), {"year": "2025"})
    text = page.content.decode()
    assert page.status_code == 200 and "P-L" in text
    assert "-5.00" in text and "-5.0%" in text and "-5.3%" in text  # P-L: 95 - 100


def test_change_the_tier_rule_and_see_the_effect(history, manager):
    url = reverse("reports:tiers")
    before = manager.get(url, {"as_of": "2026-02-01"}).content.decode()
    assert before.count("<strong>VIP</strong>") == 1  # A earns 60 of 85: B has 70.6% above
    answer = manager.post(
        reverse("reports:tier-settings"),
        {"vip_share": "0.80", "important_share": "0.90", "migrating_drop": "0.30"},
    )
    assert answer.status_code == 302
    after = manager.get(url, {"as_of": "2026-02-01"}).content.decode()
    assert after.count("<strong>VIP</strong>") == 2
    refused = manager.post(
        reverse("reports:tier-settings"),
        {"vip_share": "0.95", "important_share": "0.90", "migrating_drop": "0.30"},
        follow=True,
    )
    assert "cannot be above" in refused.content.decode()
    assert TierSettings.objects.get().vip_share == Decimal("0.8")


def test_override_from_the_screen(history, manager):
    url = reverse("reports:tier-override", args=["N"])
    assert manager.get(url).status_code == 200
    empty = manager.post(url, {"action": "set", "tier": "VIP", "reason": ""})
    assert empty.status_code == 200 and not TierOverride.objects.exists()
    answer = manager.post(url, {"action": "set", "tier": "VIP", "reason": "Big new project"})
    assert answer.status_code == 302
    assert TierOverride.objects.get().reason == "Big new project"
    page = manager.get(reverse("reports:tiers"), {"tier": "VIP", "as_of": "2026-02-01"})
    assert "Big new project" in page.content.decode()
    manager.post(url, {"action": "remove", "reason": "project cancelled"})
    assert not TierOverride.objects.exists()


def test_excel_downloads(history, manager):
    answer = manager.get(
        reverse("reports:report-download", args=["product-profit"]), {"year": "2025"}
    )
    assert answer.status_code == 200
    assert 'filename="product-profit-2025.xlsx"' in answer["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.cell(1, 1).value == "Item" and sheet.max_row == 5  # header, 3 items, totals
    assert sheet.cell(5, 1).value == "Total" and sheet.freeze_panes == "A2"
    monthly = manager.get(reverse("reports:report-download", args=["monthly-profit"]))
    assert load_workbook(io.BytesIO(monthly.content)).active.cell(2, 1).value == "2024-04"
    assert manager.get(reverse("reports:report-download", args=["nope"])).status_code == 404
    assert (
        manager.get(reverse("reports:report-download", args=["mrp-planned-orders"])).status_code
        == 404
    )


def test_tiers_are_listed_by_rank(history, manager):
    """Issue 14: the tiers page lists customers by their profit rank, unranked last."""
    page = manager.get(reverse("reports:tiers"), {"as_of": "2026-02-01"})
    rows = [line[0] for line in page.context["lines"]]
    ranks = [row.rank for row in rows]
    ranked = [r for r in ranks if r is not None]
    assert ranked == sorted(ranked) and ranks[: len(ranked)] == ranked
    assert rows[0].code == "A"
