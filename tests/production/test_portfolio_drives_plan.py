# ruff: noqa: F811  (the portfolio fixtures are imported from test_portfolio_services)
"""The agreed key-customer portfolio drives the plan: agreed lines first, a line it left out
never ahead of them, the salesperson told at once when an agreed line cannot be scheduled;
escalation adds the next approver; a salesperson escalates a refused request with the
financial case; old accepted orders are cancelled (change notice) or kept (reason)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from orders.models import LineStatus, OrderChange
from production.models import Downtime, PlanLine, Portfolio, PortfolioCase, StaleDealDecision
from production.planning.portfolio_data import never_produced
from production.services.portfolio import (
    portfolio_approve,
    portfolio_build,
    portfolio_escalate,
    portfolio_reject,
    portfolio_submit,
)
from production.services.portfolio_route import portfolio_case_decide, portfolio_case_raise
from production.services.proposal import plan_propose
from production.services.stale_deals import stale_deal_dispose
from tests.production.plan_support import order_line
from tests.production.test_portfolio_services import (  # noqa: F401  (fixtures)
    MARCH,
    ORDERED,
    floor,
    in_march,
    month,
    people,
)

D = Decimal


@pytest.fixture
def agreed(month, people):
    """KEY and RICH agreed in, POOR left out."""
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    portfolio_submit(user=people["li"], portfolio=portfolio)
    for who in ("planner", "head", "boss"):
        portfolio_approve(user=people[who], portfolio=portfolio)
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.AGREED
    Notification.objects.all().delete()
    return portfolio


def ranks(plan) -> dict[str, int]:
    return {
        pl.order_line.order.order_no: pl.priority
        for pl in PlanLine.objects.filter(plan=plan).select_related("order_line__order")
    }


def test_agreed_lines_first_and_a_left_out_line_never_ahead(agreed, month, floor, people):
    # POOR becomes the most urgent key-customer order: without the portfolio it goes first
    poor = month["POOR"]
    poor.due_date = dt.date(2026, 3, 21)
    poor.save(update_fields=["due_date"])
    poor.order.customer.key_account = True
    poor.order.customer.save(update_fields=["key_account"])
    # an order in no portfolio, key customer, due soon: after the agreed ones
    order_line("NEW", floor.items["A"], 10, due=dt.date(2026, 3, 22), key=True, customer="K2")
    plan = plan_propose(user=people["li"], start=dt.date(2026, 3, 23), end=dt.date(2026, 3, 31))
    rank = ranks(plan)
    assert max(rank["KEY"], rank["RICH"]) < rank["NEW"] < rank["POOR"]


def test_an_agreed_line_that_cannot_be_scheduled_is_told_at_once(agreed, floor, people):
    Downtime.objects.create(
        work_center=floor.machines["CUT"],
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 12, 31),
        reason="rebuild",
    )
    plan = plan_propose(user=people["li"], start=dt.date(2026, 3, 23), end=dt.date(2026, 3, 31))
    (li,) = Notification.objects.filter(user=people["li"], message__contains="not scheduled")
    assert "KEY/1" in li.message and "POOR" not in li.message and plan.number in li.message
    assert "No free capacity on machine CUT" in li.message
    (zhao,) = Notification.objects.filter(user=people["zhao"], message__contains="not scheduled")
    assert "RICH/1" in zhao.message


def test_escalation_adds_the_next_approver_and_the_waiting_one_may_still_decide(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    portfolio_submit(user=people["li"], portfolio=portfolio)
    portfolio_escalate(now=timezone.now() + dt.timedelta(hours=25))
    portfolio.refresh_from_db()
    assert (portfolio.level, portfolio.escalated_to) == ("planner", "head")
    with pytest.raises(PermissionDenied, match="planner or the production head"):
        portfolio_approve(user=people["boss"], portfolio=portfolio)
    portfolio_approve(user=people["planner"], portfolio=portfolio)  # not skipped
    portfolio.refresh_from_db()
    assert (portfolio.level, portfolio.escalated_to) == ("head", "")
    # the added approver decides in place of the one waiting
    portfolio_escalate(now=timezone.now() + dt.timedelta(hours=25))
    portfolio.refresh_from_db()
    assert portfolio.escalated_to == "manager"
    portfolio_approve(user=people["boss"], portfolio=portfolio)
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.AGREED
    step = portfolio.steps.filter(decision="approved").last()
    assert step.level == "manager" and "In place of the production head" in step.note


def test_escalation_reject_by_the_added_approver(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    portfolio_submit(user=people["li"], portfolio=portfolio)
    portfolio_escalate(now=timezone.now() + dt.timedelta(hours=25))
    portfolio_reject(user=people["head"], portfolio=portfolio, reason="swap RICH")
    portfolio.refresh_from_db()
    assert (portfolio.status, portfolio.escalated_to) == ("draft", "")


def refused(portfolio, order_no):
    line = portfolio.lines.get(order_line__order__order_no=order_no)
    line.request, line.included = "include", False
    line.save(update_fields=["request", "included"])
    return line


def test_a_salesperson_escalates_a_refused_request_with_the_financial_case(month, people):
    portfolio = portfolio_build(user=people["planner"], month=MARCH)
    poor = refused(portfolio, "POOR")
    figures = {"order value": "2000", "penalty if late": "500.5"}
    with pytest.raises(PermissionDenied):
        portfolio_case_raise(user=people["zhao"], line=poor, case="x", figures=figures)
    with pytest.raises(DomainError) as no_figures:
        portfolio_case_raise(user=people["li"], line=poor, case="Repeat buyer", figures={})
    assert no_figures.value.field == "figures"
    with pytest.raises(DomainError) as bad:
        portfolio_case_raise(
            user=people["li"], line=poor, case="Repeat buyer", figures={"value": "lots"}
        )
    assert bad.value.field == "figures"
    with pytest.raises(ConflictError):  # not a refused request
        portfolio_case_raise(
            user=people["li"],
            line=portfolio.lines.get(order_line__order__order_no="KEY"),
            case="x",
            figures=figures,
        )
    case = portfolio_case_raise(
        user=people["li"], line=poor, case="Repeat buyer, penalty clause", figures=figures
    )
    assert case.figures == {"order value": "2000", "penalty if late": "500.5"}
    assert Notification.objects.filter(user=people["boss"], message__contains="escalates")
    with pytest.raises(ConflictError):
        portfolio_case_raise(user=people["li"], line=poor, case="again", figures=figures)
    with pytest.raises(PermissionDenied):
        portfolio_case_decide(user=people["li"], case=case, grant=True)
    with pytest.raises(DomainError, match="why"):
        portfolio_case_decide(user=people["boss"], case=case, grant=False)
    portfolio_case_decide(user=people["boss"], case=case, grant=True, note="keep the buyer")
    poor.refresh_from_db()
    assert poor.included and "manager" in poor.reason
    assert PortfolioCase.objects.get().status == "granted"
    assert Notification.objects.filter(user=people["li"], message__contains="granted")


def test_old_orders_are_cancelled_by_a_change_notice_or_kept_with_a_reason(
    floor, people, make_user
):
    a = floor.items["A"]
    old = order_line("OLD", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    kept = order_line("KEPT", a, 10, due=dt.date(2026, 2, 1), ordered=ORDERED)
    seller = make_user("sales", username="seller")
    with pytest.raises(PermissionDenied):
        stale_deal_dispose(
            user=make_user("warehouse"), order_line=old, decision="cancel", reason="x"
        )
    with pytest.raises(DomainError) as no_reason:
        stale_deal_dispose(user=seller, order_line=kept, decision="keep", reason="")
    assert no_reason.value.field == "reason"
    record = stale_deal_dispose(
        user=seller, order_line=old, decision="cancel", reason="customer went elsewhere"
    )
    old.refresh_from_db()
    assert old.status == LineStatus.CANCELLED
    assert record.order_change == OrderChange.objects.get(order=old.order, kind="cancel")
    stale_deal_dispose(user=seller, order_line=kept, decision="keep", reason="frame contract")
    assert StaleDealDecision.objects.get(decision="keep").created_by == seller
    assert never_produced(older_than_days=30) == []
    with pytest.raises(ConflictError):
        stale_deal_dispose(user=seller, order_line=old, decision="keep", reason="x")
