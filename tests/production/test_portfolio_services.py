"""The key-customer monthly portfolio: built by the optimizer, salespeople told at once when
their orders are left out, requests and swaps, conflicts, the approval route with
escalation, old orders never produced, plan vs actual for the month."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from production.models import Portfolio, PortfolioStep
from production.planning.portfolio_data import never_produced, plan_vs_actual
from production.services.daily import DailyRow, daily_report_save
from production.services.portfolio import (
    portfolio_approve,
    portfolio_build,
    portfolio_escalate,
    portfolio_reject,
    portfolio_request,
    portfolio_resolve,
    portfolio_submit,
)
from tests.production.plan_support import build_floor, grant_plan_permissions, order_line

D = Decimal
MARCH = dt.date(2026, 3, 1)


# The portfolio's month is March 2026 and its data is fixed (orders taken 2026-01-05, due
# 2026-03-31, days reported in January and March), so the factory's today is a day of that
# month, whatever day the suite runs. Noon in Shanghai; the clock ticks on.
ORDERED = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def in_march():
    with time_machine.travel(dt.datetime(2026, 3, 20, 4, tzinfo=dt.UTC)):
        yield


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="production", codename__in=codenames)
    )


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    # CUT: 2 h a day, Monday to Friday: 22 working days in March 2026 = 44 h = 2640 min.
    return build_floor(hours="2")


@pytest.fixture
def people(make_user):
    planner = make_user("production", username="planner")
    grant(planner, "add_portfolio", "change_portfolio", "plan_portfolio")
    head = make_user("production", username="head")
    grant(head, "head_portfolio")
    boss = make_user("manager", username="boss")
    grant(boss, "agree_portfolio", "change_portfolio")
    li = make_user("sales", username="li")
    zhao = make_user("sales", username="zhao")
    grant(li, "change_portfolio")
    grant(zhao, "change_portfolio")
    return {"planner": planner, "head": head, "boss": boss, "li": li, "zhao": zhao}


@pytest.fixture
def month(floor, people):
    """A: 6 min/pc on CUT. KEY (li, key customer) 200 pcs = 1200 min, income 200 x 1;
    RICH (zhao) 200 pcs = 1200 min, income 200 x 17; POOR (li) 200 pcs = 1200 min, income
    200 x 7. Only two fit in March."""
    a = floor.items["A"]  # standard cost 3
    lines = {
        "KEY": order_line(
            "KEY",
            a,
            200,
            due=dt.date(2026, 3, 31),
            ordered=ORDERED,
            price="4",
            key=True,
            salesperson=people["li"],
        ),
        "RICH": order_line(
            "RICH",
            a,
            200,
            due=dt.date(2026, 3, 31),
            ordered=ORDERED,
            price="20",
            salesperson=people["zhao"],
        ),
        "POOR": order_line(
            "POOR",
            a,
            200,
            due=dt.date(2026, 3, 31),
            ordered=ORDERED,
            price="10",
            salesperson=people["li"],
        ),
    }
    return lines


def included(portfolio):
    return {pl.order_line.order.order_no for pl in portfolio.lines.filter(included=True)}


def test_build_takes_key_customers_first_then_income_and_tells_who_is_out(month, people):
    portfolio = portfolio_build(user=people["planner"], month="2026-03")
    assert portfolio.number.startswith("PF-2026-") and portfolio.month == MARCH
    assert included(portfolio) == {"KEY", "RICH"}
    assert portfolio.bottleneck.code == "CUT" and portfolio.solver == "highs"
    assert portfolio.total_income == D(200 * 1 + 200 * 17)
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    assert (poor.marginal_income, poor.bottleneck_hours, poor.income_per_hour) == (
        D(1400),
        D(20),
        D(70),
    )
    assert "No capacity left on CUT" in poor.reason
    (note,) = Notification.objects.filter(user=people["li"])
    assert "POOR/1" in note.message and "No capacity left on CUT" in note.message
    assert not Notification.objects.filter(user=people["zhao"]).exists()
    with pytest.raises(ConflictError, match="already a portfolio"):
        portfolio_build(user=people["planner"], month="2026-03")


def test_a_salesperson_swaps_his_own_orders(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    key = portfolio.lines.get(order_line__order__order_no="KEY")
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    with pytest.raises(PermissionDenied):
        portfolio_request(user=people["zhao"], line=poor, request="include")
    portfolio_request(user=people["li"], line=poor, request="include", note="promised")
    portfolio_request(user=people["li"], line=key, request="exclude")
    out = portfolio_resolve(user=people["li"], portfolio=portfolio)
    portfolio.refresh_from_db()
    assert included(portfolio) == {"RICH", "POOR"}
    assert [pl.order_line.order.order_no for pl in out] == ["KEY"]
    key.refresh_from_db()
    assert key.reason == "Left out at the salesperson's request." and not key.conflict


def test_pushing_out_another_salespersons_order_is_a_conflict(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    poor = portfolio.lines.get(order_line__order__order_no="POOR")
    portfolio_request(user=people["li"], line=poor, request="include")
    Notification.objects.all().delete()
    portfolio_resolve(user=people["li"], portfolio=portfolio)
    assert included(portfolio) == {"KEY", "POOR"}
    rich = portfolio.lines.get(order_line__order__order_no="RICH")
    assert rich.conflict and not rich.included
    assert Notification.objects.filter(user=people["zhao"], message__contains="RICH/1").exists()
    # the conflict goes up the route with the portfolio
    portfolio_submit(user=people["li"], portfolio=portfolio)
    assert Notification.objects.filter(
        user=people["planner"], message__contains="1 conflict"
    ).exists()


def test_the_approval_route_and_who_may(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    portfolio_submit(user=people["li"], portfolio=portfolio)
    portfolio.refresh_from_db()
    assert (portfolio.status, portfolio.level) == ("in_approval", "planner")
    with pytest.raises(PermissionDenied):
        portfolio_approve(user=people["boss"], portfolio=portfolio)
    portfolio_approve(user=people["planner"], portfolio=portfolio)
    with pytest.raises(PermissionDenied):
        portfolio_approve(user=people["planner"], portfolio=portfolio)
    portfolio_approve(user=people["head"], portfolio=portfolio)
    with pytest.raises(DomainError, match="Say why"):
        portfolio_reject(user=people["boss"], portfolio=portfolio, reason="")
    portfolio_reject(user=people["boss"], portfolio=portfolio, reason="RICH must wait")
    portfolio.refresh_from_db()
    assert portfolio.status == "draft"
    assert Notification.objects.filter(user=people["zhao"], message__contains="RICH must wait")
    portfolio_submit(user=people["zhao"], portfolio=portfolio)  # re-submitted
    for who in ("planner", "head", "boss"):
        portfolio_approve(user=people[who], portfolio=portfolio)
    portfolio.refresh_from_db()
    assert (portfolio.status, portfolio.level) == ("agreed", "")
    assert [s.decision for s in portfolio.steps.all()] == [
        "approved",
        "approved",
        "rejected",
        "approved",
        "approved",
        "approved",
    ]
    with pytest.raises(ConflictError):
        portfolio_request(user=people["li"], line=portfolio.lines.first(), request="include")


def test_a_step_waiting_too_long_escalates(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    portfolio_submit(user=people["li"], portfolio=portfolio)
    assert portfolio_escalate() == 0
    later = timezone.now() + dt.timedelta(hours=25)
    assert portfolio_escalate(now=later) == 1
    portfolio.refresh_from_db()
    # the next approver is added; the one who waits is not skipped
    assert (portfolio.level, portfolio.escalated_to) == ("planner", "head")
    step = portfolio.steps.get()
    assert (step.level, step.decision) == ("planner", PortfolioStep.Decision.ESCALATED)
    assert Notification.objects.filter(user=people["head"], message__contains="waits for you")
    assert portfolio_escalate(now=later) == 0  # not again within the hour
    portfolio_escalate(now=later + dt.timedelta(hours=25))
    portfolio.refresh_from_db()
    assert (portfolio.level, portfolio.escalated_to) == ("planner", "manager")


def test_old_orders_never_produced(floor, people, make_user):
    a = floor.items["A"]
    old = order_line("OLD", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    worked = order_line("WORKED", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    daily_report_save(
        user=make_user("production"),
        date=dt.date(2026, 1, 20),
        work_center=floor.machines["CUT"],
        rows=[DailyRow(order_line=worked, process=floor.processes["CUT"], good_quantity="1")],
    )
    found = never_produced(older_than_days=30, today=dt.date(2026, 3, 1))
    assert [ol.order.order_no for ol in found] == ["OLD"]
    assert never_produced(older_than_days=90, today=dt.date(2026, 3, 1)) == []
    assert old.pk


def test_plan_vs_actual_for_the_month(month, people, make_user):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    daily_report_save(
        user=make_user("production"),
        date=dt.date(2026, 3, 10),
        work_center=month["KEY"].order.lines.get().item.routings.get().work_center,
        rows=[
            DailyRow(
                order_line=month["KEY"],
                process=month["KEY"].item.routings.get().process,
                good_quantity="150",
            )
        ],
    )
    rows = {r.line.order_line.order.order_no: r for r in plan_vs_actual(portfolio=portfolio)}
    assert set(rows) == {"KEY", "RICH"}
    assert (rows["KEY"].finished, rows["KEY"].attainment) == (D(150), D("0.75"))
    assert rows["RICH"].finished == D(0)
    assert Portfolio.objects.count() == 1
