"""The key-customer monthly portfolio, agreed in the system instead of by e-mail.

portfolio_build: the month's candidates and the optimizer's assignment (key customers
first, then marginal income, within each machine's capacity week by week); every
salesperson is told at once which of his orders are left out, and why.
portfolio_request / portfolio_resolve: a salesperson asks to include or leave out his own
orders (a swap is one of each) and the portfolio is solved again; an order of another
salesperson pushed out by it is a conflict, and is told at once too.
portfolio_submit, portfolio_approve, portfolio_reject: the approval route production
planner -> production head -> manager; a rejection goes back to draft for the salespeople
to re-prioritize and re-submit. portfolio_escalate (portfolio_route): a step waiting too
long adds the next approver; the one who waits may still decide.
"""

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.roles import can_see_costs
from erp.services import next_document_number, notify
from production.models import Portfolio, PortfolioLine, PortfolioStep
from production.planning.portfolio import Assignment, bottleneck, optimize
from production.planning.portfolio_data import (
    month_bounds,
    month_candidates,
    month_capacity,
    optimizer_input,
)
from production.services.common import fmt, may, require, url, users_with

PREFIX = "PF"
TIME_LIMIT = 6.0  # seconds for the solver; then its best answer (or the greedy one)
ESCALATE_AFTER = dt.timedelta(hours=24)
BUILD = "production.add_portfolio"
EDIT = "production.change_portfolio"
LEVEL_PERMISSIONS = {
    Portfolio.Level.PLANNER: "production.plan_portfolio",
    Portfolio.Level.HEAD: "production.head_portfolio",
    Portfolio.Level.MANAGER: "production.agree_portfolio",
}
NEXT_LEVEL = {
    Portfolio.Level.PLANNER: Portfolio.Level.HEAD,
    Portfolio.Level.HEAD: Portfolio.Level.MANAGER,
    Portfolio.Level.MANAGER: None,
}
Level = Portfolio.Level
MAX_NOTE = 300
# Income = (unit price - standard cost) x quantity: with price and quantity on the order,
# whoever reads an income figure reads the standard cost. These follow sees_income.
INCOME_FIELDS = ("total_income", "marginal_income", "income_per_hour")


def sees_income(user) -> bool:
    """Marginal income figures (and anything ranked by them) are for those who see costs
    (managers, administrators) and for the people who build or approve the portfolio: a
    holder of the build permission or of a step of the approval route (production planning,
    the production head). Not for salespeople: they re-prioritize by the reasons given."""
    return can_see_costs(user) or any(
        may(user, permission) for permission in (BUILD, *LEVEL_PERMISSIONS.values())
    )


def _lock(portfolio: Portfolio) -> Portfolio:
    return Portfolio.objects.select_for_update(of=("self",)).get(pk=portfolio.pk)


def _draft(portfolio: Portfolio) -> Portfolio:
    portfolio = _lock(portfolio)
    if portfolio.status != Portfolio.Status.DRAFT:
        raise ConflictError(
            f"Portfolio {portfolio.number} is {portfolio.get_status_display()}; only a draft "
            "can be changed."
        )
    return portfolio


def _why_not(line: PortfolioLine, used: dict, capacity, names: dict, bucket: int) -> str:
    if line.request == PortfolioLine.Request.EXCLUDE:
        return "Left out at the salesperson's request."
    if line.marginal_income <= 0 and not line.key_account:
        return "No marginal income: the price does not cover the standard cost."
    full = []
    for code, hours in sorted(line.load.items()):
        machine = names.get(code)
        if machine is None or Decimal(hours) <= 0:
            continue
        free = min(
            capacity[machine][b] - used[machine][b] for b in range(bucket, len(capacity[machine]))
        )
        if free < Decimal(hours) * 60:
            full.append(code)
    if full:
        return (
            f"No capacity left on {', '.join(full)} by its due date: the month went to key "
            "customers and orders with more marginal income per bottleneck hour."
        )
    return "Left out for orders with more marginal income per bottleneck hour."


def _apply(portfolio: Portfolio, lines: list[PortfolioLine], user, *, requester=None) -> list:
    """Solve, write the outcome on the lines, tell salespeople what was left out. Returns
    the lines newly left out."""
    month = portfolio.month
    candidates = {c.order_line.pk: c for c in month_candidates(month)}
    capacity, machines = month_capacity(month)
    names = {m.code: m.pk for m in machines}
    weeks = len(next(iter(capacity.values()), [0]))
    lines = [pl for pl in lines if pl.order_line_id in candidates]
    forces = {
        pl.order_line_id: {"include": "in", "exclude": "out"}.get(pl.request, "") for pl in lines
    }
    inputs = optimizer_input([candidates[pl.order_line_id] for pl in lines], month, forces, weeks)
    began = time.monotonic()
    assignment: Assignment = optimize(inputs, capacity, time_limit=TIME_LIMIT)
    neck = bottleneck(inputs, capacity)
    used = {m: [Decimal(0)] * len(capacity[m]) for m in capacity}
    buckets = {c.key: c.bucket for c in inputs}
    for c in inputs:
        if c.key in assignment.chosen:
            for machine, minutes in c.load.items():
                for b in range(c.bucket, len(used.get(machine, []))):
                    used[machine][b] += minutes
    newly_out = []
    for pl in lines:
        was_in = pl.included
        pl.included = pl.order_line_id in assignment.chosen
        pl.reason = ""
        if not pl.included:
            if pl.order_line_id in assignment.forced_misfits:
                pl.reason = (
                    "Asked for, but it does not fit with the other requests; decide on the route."
                )
            else:
                pl.reason = _why_not(pl, used, capacity, names, buckets[pl.order_line_id])
        pl.conflict = (
            requester is not None
            and was_in
            and not pl.included
            and pl.request != PortfolioLine.Request.EXCLUDE
        ) or pl.order_line_id in assignment.forced_misfits
        if not pl.included and (was_in or requester is None):
            newly_out.append(pl)
    PortfolioLine.objects.bulk_update(lines, ["included", "reason", "conflict"])
    portfolio.bottleneck_id = neck
    portfolio.solver = assignment.solver
    portfolio.solve_seconds = Decimal(str(round(time.monotonic() - began, 3)))
    portfolio.total_income = sum((pl.marginal_income for pl in lines if pl.included), Decimal(0))
    portfolio.stamp(user)
    portfolio.save()
    _tell_excluded(portfolio, newly_out)
    return newly_out


def _tell_excluded(portfolio: Portfolio, lines: list[PortfolioLine]) -> None:
    by_person = defaultdict(list)
    for pl in lines:
        if pl.salesperson_id:
            by_person[pl.salesperson].append(pl)
    for person, own in by_person.items():
        words = "; ".join(
            f"{pl.order_line.order.order_no}/{pl.order_line.line}: {pl.reason}" for pl in own
        )
        notify(
            users=[person],
            message=f"Left out of portfolio {portfolio.number} ({portfolio.month:%Y-%m}): {words}"[
                :500
            ],
            url=url("production:portfolio-detail", portfolio.pk),
        )


@transaction.atomic
def portfolio_build(*, user, month) -> Portfolio:
    """The month's portfolio, built by the optimizer."""
    require(user, BUILD, "Only production planning or a manager may build the portfolio.")
    if not isinstance(month, dt.date):
        try:
            month = dt.date.fromisoformat(f"{str(month)[:7]}-01")
        except ValueError:
            raise DomainError("Give the month as YYYY-MM.", field="month") from None
    first, _last = month_bounds(month)
    if Portfolio.objects.filter(month=first).exclude(status=Portfolio.Status.CANCELLED).exists():
        raise ConflictError(f"There is already a portfolio for {first:%Y-%m}.")
    candidates = month_candidates(first)
    if not candidates:
        raise DomainError(f"No open order line is due by the end of {first:%Y-%m}.")
    capacity, machines = month_capacity(first)
    codes = {m.pk: m.code for m in machines}
    weeks = len(next(iter(capacity.values()), [0]))
    neck = bottleneck(optimizer_input(candidates, first, {}, weeks), capacity)
    portfolio = Portfolio(number=next_document_number(prefix=PREFIX, on=first), month=first)
    portfolio.stamp(user)
    portfolio.save()
    rows = []
    for c in candidates:
        ol = c.order_line
        neck_hours = (c.load.get(neck, Decimal(0)) / 60) if neck else Decimal(0)
        rows.append(
            PortfolioLine(
                portfolio=portfolio,
                order_line=ol,
                salesperson=ol.order.customer.salesperson,
                key_account=ol.order.customer.key_account,
                quantity=c.quantity,
                due_date=ol.due_date,
                marginal_income=c.income,
                bottleneck_hours=neck_hours.quantize(Decimal("0.000001")),
                income_per_hour=(c.income / neck_hours).quantize(Decimal("0.01"))
                if neck_hours > 0
                else None,
                load={
                    codes[m]: fmt((minutes / 60).quantize(Decimal("0.01")))
                    for m, minutes in c.load.items()
                },
            )
        )
    lines = PortfolioLine.objects.bulk_create(rows)
    for pl, c in zip(lines, candidates, strict=True):
        pl.order_line = c.order_line
    _apply(portfolio, lines, user)
    return portfolio


def _may_request(user, line: PortfolioLine) -> bool:
    return may(user, LEVEL_PERMISSIONS[Level.MANAGER]) or (
        may(user, EDIT) and line.salesperson_id == getattr(user, "pk", None)
    )


@transaction.atomic
def portfolio_request(*, user, line: PortfolioLine, request: str, note: str = "") -> PortfolioLine:
    """A salesperson asks to include or leave out one of his own orders ("" withdraws the
    request). Takes effect when the portfolio is solved again."""
    if request not in PortfolioLine.Request.values:
        raise DomainError("Ask to include, exclude or nothing.", field="request")
    if not _may_request(user, line):
        raise PermissionDenied("A salesperson may re-prioritize only his own orders.")
    _draft(line.portfolio)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(f"The note has at most {MAX_NOTE} characters.", field="note")
    line.request, line.request_note = request, note
    line.requested_by = user if request else None
    line.save(update_fields=["request", "request_note", "requested_by"])
    return line


@transaction.atomic
def portfolio_resolve(*, user, portfolio: Portfolio) -> list[PortfolioLine]:
    """Solve again with the requests; returns the lines newly left out (their salespeople
    are told; another salesperson's order pushed out is marked as a conflict)."""
    require(user, EDIT, "Your role may not change the portfolio.")
    portfolio = _draft(portfolio)
    lines = list(portfolio.lines.select_related("order_line__order", "salesperson"))
    return _apply(portfolio, lines, user, requester=user)


ROUTE_FIELDS = ["status", "level", "level_since", "escalated_to", "escalated_at"]


def _enter_level(portfolio: Portfolio, level: str | None, user) -> None:
    if level is None:
        portfolio.status, portfolio.level, portfolio.level_since = Portfolio.Status.AGREED, "", None
    else:
        portfolio.status = Portfolio.Status.IN_APPROVAL
        portfolio.level, portfolio.level_since = level, timezone.now()
    portfolio.escalated_to, portfolio.escalated_at = "", None
    portfolio.stamp(user)
    portfolio.save(update_fields=[*ROUTE_FIELDS, "updated_at", "updated_by"])
    if level is not None:
        conflicts = portfolio.lines.filter(conflict=True).count()
        notify(
            users=users_with(LEVEL_PERMISSIONS[level]),
            message=f"Portfolio {portfolio.number} ({portfolio.month:%Y-%m}) waits for you"
            + (f": {conflicts} conflict(s) to decide." if conflicts else "."),
            url=url("production:portfolio-detail", portfolio.pk),
        )


@transaction.atomic
def portfolio_submit(*, user, portfolio: Portfolio) -> Portfolio:
    require(user, EDIT, "Your role may not submit the portfolio.")
    portfolio = _draft(portfolio)
    _enter_level(portfolio, Level.PLANNER, user)
    return portfolio


def acting_level(portfolio: Portfolio, user) -> str | None:
    """The step `user` may decide: the one waiting, or the approver escalation added."""
    if portfolio.status != Portfolio.Status.IN_APPROVAL:
        return None
    if may(user, LEVEL_PERMISSIONS[portfolio.level]):
        return portfolio.level
    if portfolio.escalated_to and may(user, LEVEL_PERMISSIONS[portfolio.escalated_to]):
        return portfolio.escalated_to
    return None


def _on_route(portfolio: Portfolio, user, doing: str) -> tuple[Portfolio, str]:
    portfolio = _lock(portfolio)
    if portfolio.status != Portfolio.Status.IN_APPROVAL:
        raise ConflictError(
            f"Portfolio {portfolio.number} is {portfolio.get_status_display()}; nothing to {doing}."
        )
    level = acting_level(portfolio, user)
    if level is None:
        waiting = Level(portfolio.level).label
        if portfolio.escalated_to:
            waiting = f"{waiting} or the {Level(portfolio.escalated_to).label}"
        raise PermissionDenied(f"The portfolio waits for the {waiting}.")
    return portfolio, level


def _in_place(portfolio: Portfolio, level: str, note: str) -> str:
    if level == portfolio.level:
        return note
    return f"In place of the {Level(portfolio.level).label}, after escalation. {note}".strip()


@transaction.atomic
def portfolio_approve(*, user, portfolio: Portfolio, note: str = "") -> Portfolio:
    portfolio, level = _on_route(portfolio, user, "approve")
    PortfolioStep.objects.create(
        portfolio=portfolio,
        level=level,
        decision=PortfolioStep.Decision.APPROVED,
        by=user,
        note=_in_place(portfolio, level, note or "")[:500],
    )
    _enter_level(portfolio, NEXT_LEVEL[level], user)
    if portfolio.status == Portfolio.Status.AGREED:
        people = {pl.salesperson for pl in portfolio.lines.select_related("salesperson")}
        notify(
            users=[p for p in people if p is not None] + [portfolio.created_by],
            message=f"Portfolio {portfolio.number} ({portfolio.month:%Y-%m}) is agreed.",
            url=url("production:portfolio-detail", portfolio.pk),
        )
    return portfolio


@transaction.atomic
def portfolio_reject(*, user, portfolio: Portfolio, reason: str) -> Portfolio:
    """Back to draft with the reason: salespeople re-prioritize and re-submit."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the portfolio goes back.", field="reason")
    portfolio, level = _on_route(portfolio, user, "reject")
    PortfolioStep.objects.create(
        portfolio=portfolio,
        level=level,
        decision=PortfolioStep.Decision.REJECTED,
        by=user,
        note=_in_place(portfolio, level, reason)[:500],
    )
    portfolio.status, portfolio.level, portfolio.level_since = Portfolio.Status.DRAFT, "", None
    portfolio.escalated_to, portfolio.escalated_at = "", None
    portfolio.stamp(user)
    portfolio.save(update_fields=[*ROUTE_FIELDS, "updated_at", "updated_by"])
    people = {pl.salesperson for pl in portfolio.lines.select_related("salesperson")}
    notify(
        users=[p for p in people if p is not None],
        message=f"Portfolio {portfolio.number} sent back: {reason}"[:500],
        url=url("production:portfolio-detail", portfolio.pk),
    )
    return portfolio


@transaction.atomic
def portfolio_cancel(*, user, portfolio: Portfolio) -> Portfolio:
    require(user, BUILD, "Only production planning or a manager may drop a portfolio.")
    portfolio = _draft(portfolio)
    portfolio.status = Portfolio.Status.CANCELLED
    portfolio.stamp(user)
    portfolio.save(update_fields=["status", "updated_at", "updated_by"])
    return portfolio


# The escalation rule lives with the salesperson's escalation of a refused request.
from production.services.portfolio_route import portfolio_escalate  # noqa: E402,F401
