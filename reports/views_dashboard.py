"""The manager's dashboard: profit trend by month, top and bottom customers, tiers and their
moves, lifecycle classes with their rule, the product margin map. Served from the latest
ranking run's snapshots; a manager can start a run now."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erp.errors import DomainError
from erp.roles import Role, has_role
from reports.kpi.tiles import dashboard_tiles
from reports.profit.charts import COUNT, SCORE, bar_chart, scatter
from reports.profit.dashboard import dashboard as dashboard_data
from reports.profit.dashboard import margin
from reports.profit.lifecycle import lifecycle_rules


def manager_required(view):
    """Profit figures are for managers and administrators (403 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.MANAGER.value):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@manager_required
def dashboard(request):
    from crm.selectors_relationship import complaint_trend, open_follow_up_counts
    from orders.receivables.aging import dso

    today = timezone.localdate()
    board = dashboard_data()
    complaints = complaint_trend(today=today)
    products = [(p, margin(p)) for p in board.products]
    context = {
        "board": board,
        "tiles": (tiles := dashboard_tiles(today=today)),
        "satisfaction_chart": bar_chart(
            [(f"{row['month']:%Y-%m}", row["score"]) for row in tiles.satisfaction_trend],
            x_title=_("Month answered"),
            y_title=_("Average score (1–5)"),
            unit=SCORE,
        ),
        "trend": bar_chart(
            [(f"{m.month:%Y-%m}", m.profit) for m in board.months],
            x_title=_("Month shipped"),
            y_title=_("Profit"),
        ),
        "tier_chart": bar_chart(
            [(label, count) for _v, label, count in board.tiers],
            x_title=_("Tier"),
            y_title=_("Customers"),
            unit=COUNT,
        ),
        "margin_map": scatter(
            [(p.item.code, p.revenue, m) for p, m in products if m is not None],
            x_title=_("Revenue"),
            y_title=_("Margin (profit / revenue)"),
        ),
        "products": products,
        "lifecycle_rules": lifecycle_rules(board.settings.migrating_drop),
        "year_query": f"year={board.year}" if board.year else "",
        "products_query": f"year={board.products_year}" if board.products_year else "",
        "trend_query": _trend_query(board),
        "complaints": complaints,
        "complaints_max": max([row["count"] for row in complaints] + [1]),
        "follow_ups": open_follow_up_counts(today=today),
        "receivables": dso(as_of=today),
    }
    return render(request, "reports/dashboard.html", context)


def _trend_query(board) -> str:
    """The months the trend shows, for its Excel download."""
    if not board.months:
        return ""
    first, last = board.months[0].month, board.months[-1].month
    end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return f"from={first:%Y-%m-%d}&to={end:%Y-%m-%d}"


@manager_required
@require_POST
def rankings_run(request):
    """Start a ranking run (in the background when a worker is there)."""
    from reports.tasks import rankings_on_demand

    try:
        rankings_on_demand.delay_on_commit(request.user.pk)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Ranking run started; the dashboard shows it when it has finished.")
        )
    return redirect("reports:dashboard")
