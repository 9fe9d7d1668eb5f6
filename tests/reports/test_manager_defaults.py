"""What a manager sees without choosing anything: this year to date on every period, the
commission of every salesperson, the figures beside profit on the dashboard, charts with
axis titles and values, and rankings ready right after the demo factory is loaded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from reports.demo.services import prepare_demo_views
from reports.models import RankingSnapshot
from reports.profit.charts import COUNT, PERCENT, bar_chart, value_text
from reports.profit.rankings import latest_ranking_run
from tests.clock import in_days, today
from tests.crm.profit_data import customer, ship
from tests.reports.kpi_data import order_line
from tests.reports.kpi_data import ship as ship_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def _ytd_label() -> str:
    return f"{today().replace(month=1, day=1):%Y-%m-%d} – {today():%Y-%m-%d}"


@pytest.mark.parametrize(
    "name", ["customer-profit", "product-profit", "on-time-delivery", "purchase-lead-time"]
)
def test_periods_default_to_this_year_to_date(manager, name):
    page = manager.get(reverse(f"reports:{name}"))
    assert page.status_code == 200 and _ytd_label() in page.content.decode()


def test_year_to_date_ranking_compares_with_the_same_days_last_year(manager):
    ship("YTD", "P1", "1", price="100", cost="40", on=today())
    ship("YTD", "P1", "1", price="100", cost="90", on=today().replace(year=today().year - 1))
    text = manager.get(reverse("reports:customer-profit")).content.decode()
    assert "Year on year" in text
    assert "60.00" in text and "10.00" in text and "50.00" in text


@pytest.fixture
def salespeople(make_user):
    li = make_user("sales", username="li", first_name="Li", last_name="Na")
    make_user("sales", username="idle", first_name="Idle", last_name="Seller")
    customer("LI-C", salesperson=li)
    ship("LI-C", "CM", "2", price="100", cost="10", on=today())
    return li


def test_commission_page_lists_every_salesperson(manager, salespeople):
    page = manager.get(reverse("reports:commissions"))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="commission-overview"' in text
    table = text[text.index('data-testid="commission-overview"') :]
    assert "Idle Seller" in table and "Li Na" in table
    assert "200.00" in table  # Li's revenue this month


def test_commission_overview_adds_the_year_to_date(manager, salespeople):
    ship("LI-C", "CM", "3", price="100", cost="10", on=today().replace(month=1, day=1))
    text = manager.get(reverse("reports:commissions")).content.decode()
    table = text[text.index('data-testid="commission-overview"') :]
    assert "500.00" in table  # 200 today + 300 on 1 January


def test_commission_overview_query_count_is_fixed(
    manager, salespeople, make_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(18):
        manager.get(reverse("reports:commissions"))
    for n in range(10):
        person = make_user("sales", username=f"s{n}")
        customer(f"SC{n}", salesperson=person)
        ship(f"SC{n}", f"CI{n}", "1", price="10", cost="1", on=today())
    with django_assert_max_num_queries(18):
        assert manager.get(reverse("reports:commissions")).status_code == 200


def test_salesperson_still_sees_their_own_statement(salespeople):
    client = Client()
    client.force_login(salespeople)
    text = client.get(reverse("reports:commissions")).content.decode()
    assert 'data-testid="statement"' in text and "commission-overview" not in text


def test_manager_opens_one_statement(manager, salespeople):
    text = manager.get(reverse("reports:commissions"), {"salesperson": "li"}).content.decode()
    assert 'data-testid="statement"' in text and "CM" in text


def test_dashboard_tiles_show_the_figures_beside_profit(manager):
    line = order_line("T", due=in_days(-2))
    ship_line(line, "10", on=in_days(-3))
    page = manager.get(reverse("reports:dashboard"))
    text = page.content.decode()
    assert page.status_code == 200
    tiles = text[text.index('data-testid="kpi-tiles"') : text.index('data-testid="receivables')]
    for tile in ("tile-on-time", "tile-stock-value", "tile-turns", "tile-lead-time"):
        assert f'data-testid="{tile}"' in tiles
    if line.due_date.year == today().year:
        assert "100.0%" in tiles


def test_chart_writes_axis_titles_values_and_every_nth_label():
    chart = bar_chart(
        [(f"M{n}", Decimal(n - 5)) for n in range(24)], x_title="Month", y_title="Profit"
    )
    assert (chart.x_title, chart.y_title) == ("Month", "Profit")
    assert [b.label for b in chart.bars if b.show_label] == [f"M{n}" for n in range(0, 24, 2)]
    assert chart.bars[0].negative and chart.bars[0].text_y > chart.zero_y
    assert chart.ticks[0].text == "18" and chart.ticks[-1].text == "-5"
    rates = bar_chart([("2026-01", Decimal("0.857143"))], unit=PERCENT)
    assert rates.bars[0].text == "85.7%"
    assert value_text(Decimal("12345.678"), "money") == "12,345.68"
    assert value_text(Decimal("12345"), "money", compact=True) == "12.3k"
    assert value_text(3, COUNT) == "3"


def test_dashboard_charts_have_axis_titles(manager):
    ship("CH", "P2", "1", price="100", cost="40", on=today() - dt.timedelta(days=400))
    prepare_rankings()
    text = manager.get(reverse("reports:dashboard")).content.decode()
    assert text.count('data-testid="x-title"') >= 2 and "Month shipped" in text


def prepare_rankings():
    from reports.profit.profit_snapshots import compute_profit_snapshots
    from reports.profit.rankings import compute_rankings

    compute_rankings()
    compute_profit_snapshots()


def test_demo_preparation_computes_the_rankings():
    ship("DEMO", "P3", "1", price="100", cost="40", on=today() - dt.timedelta(days=400))
    prepare_demo_views()
    run = latest_ranking_run()
    assert run is not None and run.status == "succeeded"
    assert RankingSnapshot.objects.filter(run=run, customer__code="DEMO", rank=1).exists()


def test_dashboard_shows_satisfaction_when_surveys_exist(manager, monkeypatch):
    import sys
    import types

    from reports.kpi import tiles

    asked = {}

    def average_score(customer=None, start=None, end=None):
        asked["average"] = (start, end)
        return Decimal("4.25")

    def score_trend(customer=None, start=None, end=None):
        return [{"month": today().replace(day=1), "score": Decimal("4.25"), "count": 4}]

    fake = types.ModuleType("crm.selectors_satisfaction")
    fake.average_score, fake.score_trend = average_score, score_trend
    monkeypatch.setitem(sys.modules, "crm.selectors_satisfaction", fake)
    monkeypatch.setattr(tiles, "_surveys_installed", lambda: True)
    text = manager.get(reverse("reports:dashboard")).content.decode()
    assert 'data-testid="tile-satisfaction"' in text and "4.25" in text
    assert asked["average"] == (today().replace(month=1, day=1), today())
    assert 'data-testid="satisfaction-trend"' in text and "Month answered" in text


def test_dashboard_without_surveys_has_no_satisfaction_tile(manager, monkeypatch):
    from reports.kpi import tiles

    monkeypatch.setattr(tiles, "_surveys_installed", lambda: False)
    text = manager.get(reverse("reports:dashboard")).content.decode()
    assert "tile-satisfaction" not in text and "tile-on-time" in text
