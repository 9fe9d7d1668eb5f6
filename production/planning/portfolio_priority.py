"""The agreed key-customer portfolio drives the plan (the monthly assignment agreed in the
system is what production makes). Reads only.

For a plan period, the agreed portfolios of the months it touches say, per order line:
agreed in (tier 0: scheduled before anything else), left out (tier 2: scheduled after
everything else, never ahead of an agreed line) or nothing (tier 1)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from production.models import Portfolio, PortfolioLine

AGREED_IN, NOT_IN_ONE, LEFT_OUT = 0, 1, 2


@dataclass(frozen=True)
class Standing:
    tier: int
    line: PortfolioLine  # the portfolio line that decided it


def portfolio_standing(
    *, line_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, Standing]:
    """Per order line in an agreed portfolio of a month from `start`'s to `end`'s: its
    standing. Agreed in any of them wins over left out of another. One query."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = (
        PortfolioLine.objects.filter(
            order_line_id__in=ids,
            portfolio__status=Portfolio.Status.AGREED,
            portfolio__month__gte=start.replace(day=1),
            portfolio__month__lte=end,
        )
        .select_related("portfolio", "salesperson", "order_line__order__customer__salesperson")
        .order_by("portfolio__month", "pk")
    )
    standing: dict[int, Standing] = {}
    for pl in rows:
        tier = AGREED_IN if pl.included else LEFT_OUT
        known = standing.get(pl.order_line_id)
        if known is None or tier < known.tier:
            standing[pl.order_line_id] = Standing(tier, pl)
    return standing
