"""Escalation on the key-customer portfolio's approval route (the seed: "launch the
re-approval bringing higher management into the chain and motivate with financial figures").

portfolio_escalate: a step waiting longer than ESCALATE_AFTER adds the next approver up the
route (production planner -> production head -> manager); the one who waits is not skipped:
either may decide the step (production.services.portfolio.acting_level). The manager's step,
the last, is reminded.

portfolio_case_raise: a salesperson whose request to include his order was refused (it
stays out of the portfolio) escalates it to the manager with the financial case: words and
figures. portfolio_case_decide: the manager grants it (the order is included, by his
decision) or refuses it with the reason; the salesperson is told either way."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from erp.errors import ConflictError, DomainError
from erp.services import notify
from production.models import Portfolio, PortfolioCase, PortfolioLine, PortfolioStep
from production.services.common import fmt, may, require, url, users_with
from production.services.portfolio import (
    EDIT,
    ESCALATE_AFTER,
    LEVEL_PERMISSIONS,
    NEXT_LEVEL,
    Level,
)

AGREE = LEVEL_PERMISSIONS[Level.MANAGER]
MAX_CASE = 2000
MAX_FIGURES = 10
MAX_LABEL = 60


@transaction.atomic
def portfolio_escalate(
    *, now: dt.datetime | None = None, after: dt.timedelta = ESCALATE_AFTER
) -> int:
    """Every step waiting longer than `after` (since it began, or since its last escalation)
    gets the next approver added. Run it hourly (a Celery beat task); returns how many
    portfolios were escalated."""
    now = now or timezone.now()
    cutoff = now - after
    waiting = (
        Portfolio.objects.select_for_update(of=("self",))
        .filter(status=Portfolio.Status.IN_APPROVAL)
        .filter(Q(escalated_at__isnull=True, level_since__lt=cutoff) | Q(escalated_at__lt=cutoff))
    )
    moved = 0
    for portfolio in waiting:
        top = portfolio.escalated_to or portfolio.level
        upper = NEXT_LEVEL[top]
        since = timezone.localtime(portfolio.level_since)
        PortfolioStep.objects.create(
            portfolio=portfolio,
            level=portfolio.level,
            decision=PortfolioStep.Decision.ESCALATED,
            note=f"Waited since {since:%Y-%m-%d %H:%M}; "
            + (f"the {Level(upper).label} added." if upper else "reminded."),
        )
        if upper is not None:
            portfolio.escalated_to = upper
        portfolio.escalated_at = now
        portfolio.save(update_fields=["escalated_to", "escalated_at"])
        people = {u.pk: u for u in users_with(LEVEL_PERMISSIONS[upper or top])}
        people.update({u.pk: u for u in users_with(LEVEL_PERMISSIONS[portfolio.level])})
        notify(
            users=list(people.values()),
            message=f"Portfolio {portfolio.number} ({portfolio.month:%Y-%m}) waits for you: "
            f"the {Level(portfolio.level).label} step has waited since {since:%Y-%m-%d %H:%M}"
            + (f"; the {Level(upper).label} may decide it too." if upper else "."),
            url=url("production:portfolio-detail", portfolio.pk),
        )
        moved += 1
    return moved


def refused_request(line: PortfolioLine) -> bool:
    """The salesperson asked to include it and it stays out."""
    return line.request == PortfolioLine.Request.INCLUDE and not line.included


def parse_figures(figures: Any) -> dict[str, str]:
    """{label: amount}: at least one, at most MAX_FIGURES, amounts as decimals."""
    if not isinstance(figures, dict) or not figures:
        raise DomainError("Give the figures of the case (label and amount).", field="figures")
    if len(figures) > MAX_FIGURES:
        raise DomainError(f"At most {MAX_FIGURES} figures.", field="figures")
    clean = {}
    for label, amount in figures.items():
        label = str(label).strip()
        if not label or len(label) > MAX_LABEL:
            raise DomainError(
                f"Each figure needs a label of at most {MAX_LABEL} characters.", field="figures"
            )
        try:
            value = Decimal(str(amount).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise DomainError(f"'{label}' must be an amount.", field="figures") from None
        if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
            raise DomainError(f"'{label}' must be an amount.", field="figures")
        clean[label] = fmt(value.quantize(Decimal("0.01")))
    return clean


@transaction.atomic
def portfolio_case_raise(
    *, user, line: PortfolioLine, case: str, figures: dict[str, Any]
) -> PortfolioCase:
    """The salesperson escalates his refused request to the manager."""
    if not (may(user, EDIT) and line.salesperson_id == getattr(user, "pk", None)):
        raise PermissionDenied("A salesperson may escalate only the requests on his own orders.")
    line = (
        PortfolioLine.objects.select_for_update(of=("self",))
        .select_related("portfolio", "order_line__order")
        .get(pk=line.pk)
    )
    if line.portfolio.status == Portfolio.Status.CANCELLED:
        raise ConflictError(f"Portfolio {line.portfolio.number} is cancelled.")
    if not refused_request(line):
        raise ConflictError(
            "Only a request to include an order that was left out can be escalated."
        )
    if line.cases.filter(status=PortfolioCase.Status.OPEN).exists():
        raise ConflictError("This request is already escalated; wait for the manager.")
    case = (case or "").strip()
    if not case:
        raise DomainError("Give the financial case.", field="case")
    if len(case) > MAX_CASE:
        raise DomainError(f"The case has at most {MAX_CASE} characters.", field="case")
    escalation = PortfolioCase(line=line, case=case, figures=parse_figures(figures))
    escalation.stamp(user)
    escalation.save()
    ol = line.order_line
    people = {u.pk: u for u in users_with(AGREE)}
    if line.portfolio.created_by_id:
        people.setdefault(line.portfolio.created_by_id, line.portfolio.created_by)
    figures_text = ", ".join(f"{k} {v}" for k, v in escalation.figures.items())
    notify(
        users=list(people.values()),
        message=f"{user.get_username()} escalates order {ol.order.order_no}/{ol.line} left out "
        f"of portfolio {line.portfolio.number}: {case} ({figures_text})"[:500],
        url=url("production:portfolio-detail", line.portfolio_id),
    )
    return escalation


@transaction.atomic
def portfolio_case_decide(
    *, user, case: PortfolioCase, grant: bool, note: str = ""
) -> PortfolioCase:
    """The manager grants (the order is included) or refuses (with the reason)."""
    require(user, AGREE, "Only a manager decides an escalated request.")
    case = PortfolioCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.status != PortfolioCase.Status.OPEN:
        raise ConflictError(f"This escalation was already {case.get_status_display()}.")
    note = (note or "").strip()[:500]
    if not grant and not note:
        raise DomainError("Say why the request is refused.", field="note")
    line = (
        PortfolioLine.objects.select_for_update(of=("self",))
        .select_related("portfolio", "order_line__order", "salesperson")
        .get(pk=case.line_id)
    )
    portfolio = line.portfolio
    if portfolio.status == Portfolio.Status.CANCELLED:
        raise ConflictError(f"Portfolio {portfolio.number} is cancelled.")
    case.status = PortfolioCase.Status.GRANTED if grant else PortfolioCase.Status.REFUSED
    case.decided_by, case.decided_at, case.decision_note = user, timezone.now(), note
    case.stamp(user)
    case.save()
    ol = line.order_line
    if grant and not line.included:
        line.included, line.conflict = True, False
        line.reason = f"Included by the manager on the salesperson's case. {note}".strip()[:300]
        line.save(update_fields=["included", "conflict", "reason"])
        portfolio.total_income += line.marginal_income
        portfolio.stamp(user)
        portfolio.save(update_fields=["total_income", "updated_at", "updated_by"])
    words = "granted: the order is in the portfolio" if grant else f"refused: {note}"
    notify(
        users=[line.salesperson] if line.salesperson_id else [case.created_by],
        message=f"Your escalation of order {ol.order.order_no}/{ol.line} (portfolio "
        f"{portfolio.number}) was {words}"[:500],
        url=url("production:portfolio-detail", portfolio.pk),
    )
    return case
