"""Home-page panels of production (registered in ProductionConfig.ready()): open contact
slips, plans awaiting approval, machines whose daily report for today is not entered, late
MRP shortfalls, the portfolio waiting for the manager, open nonconformance reports. Each
runs a fixed few queries (a count and one LIMITed query)."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.roles import Role
from erp.templatetags.erp_format import qty
from erp.workqueue import ROWS, Queue, Row, register_panel, sees_only_own
from production.models import (
    ContactSlip,
    DailyReport,
    MrpRun,
    NcrStatus,
    Nonconformance,
    PlanLine,
    PlannedOrder,
    PlanStatus,
    Portfolio,
    ProductionPlan,
)


def contact_slips(user, today: dt.date) -> Queue:
    """Open contact slips (联络单): production says an order is behind; sales decides."""
    slips = ContactSlip.objects.filter(status=ContactSlip.Status.OPEN)
    if sees_only_own(user):
        slips = slips.filter(order__customer__salesperson=user)
    rows = slips.select_related("order").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=slips.count(),
        rows=[
            Row(
                label=s.number,
                url=reverse("production:contact-slip-detail", args=[s.number]),
                detail=f"{s.order.order_no} {s.reason}"[:50],
                figure=s.created_at.date().isoformat(),
                tone="danger" if (today - s.created_at.date()).days > 2 else "warning",
            )
            for s in rows
        ],
        see_all=reverse("production:contact-slip-list"),
    )


def plans_awaiting_approval(user, today: dt.date) -> Queue:
    plans = ProductionPlan.objects.filter(status=PlanStatus.SUBMITTED)
    rows = plans.select_related("submitted_by").order_by("submitted_at", "pk")[:ROWS]
    return Queue(
        count=plans.count(),
        rows=[
            Row(
                label=f"{p.number} r{p.revision}",
                url=reverse("production:plan-detail", args=[p.pk]),
                detail=f"{p.period_start.isoformat()} – {p.period_end.isoformat()}",
                figure=(p.submitted_by.get_full_name() or p.submitted_by.get_username())
                if p.submitted_by
                else "",
            )
            for p in rows
        ],
        see_all=reverse("production:plan-list"),
    )


def daily_reports_missing(user, today: dt.date) -> Queue:
    """Machines with work in today's approved plan and no daily report for today yet."""
    from materials.models import WorkCenter

    busy = PlanLine.objects.filter(
        work_center=OuterRef("pk"),
        plan__status=PlanStatus.APPROVED,
        start_date__lte=today,
        end_date__gte=today,
    )
    reported = DailyReport.objects.filter(work_center=OuterRef("pk"), date=today)
    machines = WorkCenter.objects.filter(Exists(busy), ~Exists(reported))
    return Queue(
        count=machines.count(),
        rows=[
            Row(
                label=m.code,
                url=reverse("production:daily-report")
                + "?"
                + urlencode({"machine": m.code, "date": today.isoformat()}),
                detail=m.name,
            )
            for m in machines.order_by("code")[:ROWS]
        ],
        see_all=reverse("production:daily-report"),
        see_all_label=_("Daily production report"),
    )


def late_shortfalls(user, today: dt.date) -> Queue | None:
    """Purchases the latest MRP run says should have been ordered already (order-by date
    passed) or cannot arrive in time: not on any purchase order when the run was made."""
    run = (
        MrpRun.objects.filter(status=MrpRun.Status.SUCCEEDED).order_by("-started_at", "-id").first()
    )
    if run is None:
        return Queue(count=0, see_all=reverse("production:shortfall-list"))
    late = PlannedOrder.objects.filter(run=run, kind=PlannedOrder.Kind.PURCHASE).filter(
        Q(late=True) | Q(release_date__lt=today)
    )
    rows = late.select_related("item").order_by("release_date", "item_id")[:ROWS]
    return Queue(
        count=late.count(),
        rows=[
            Row(
                label=p.item.code,
                url=reverse("production:mrp-planned-order", args=[p.pk]),
                detail=_("%(quantity)s needed by %(date)s")
                % {"quantity": qty(p.quantity), "date": p.due_date.isoformat()},
                figure=p.release_date.isoformat(),
                tone="danger",
            )
            for p in rows
        ],
        see_all=reverse("production:shortfall-list"),
        note=_("MRP run of %(date)s") % {"date": run.as_of.isoformat()},
    )


def portfolio_waiting(user, today: dt.date) -> Queue:
    """Key-customer portfolios waiting for the manager's agreement (or escalated to them)."""
    level = Portfolio.Level.MANAGER
    waiting = Portfolio.objects.filter(status=Portfolio.Status.IN_APPROVAL).filter(
        Q(level=level) | Q(escalated_to=level)
    )
    return Queue(
        count=waiting.count(),
        rows=[
            Row(
                label=p.number,
                url=reverse("production:portfolio-detail", args=[p.pk]),
                detail=p.month.strftime("%Y-%m"),
                figure=p.level_since.date().isoformat() if p.level_since else "",
            )
            for p in waiting.order_by("month", "pk")[:ROWS]
        ],
        see_all=reverse("production:portfolio"),
    )


def open_ncrs(user, today: dt.date) -> Queue:
    """Nonconformance reports waiting for their disposition."""
    ncrs = Nonconformance.objects.filter(status=NcrStatus.OPEN)
    rows = ncrs.select_related("item").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=ncrs.count(),
        rows=[
            Row(
                label=n.number,
                url=reverse("production:ncr-detail", args=[n.number]),
                detail=f"{n.item.code} × {qty(n.quantity)} {n.defect_reason}"[:50],
                figure=n.created_at.date().isoformat(),
            )
            for n in rows
        ],
        see_all=reverse("production:ncr-list"),
    )


def register() -> None:
    S, P, PR, Q_, M = (
        Role.SALES.value,
        Role.PURCHASING.value,
        Role.PRODUCTION.value,
        Role.QUALITY.value,
        Role.MANAGER.value,
    )
    register_panel(
        (S, PR, M),
        "contact-slips",
        gettext_lazy("Open contact slips"),
        contact_slips,
        order=20,
        empty=gettext_lazy("No contact slip waits for a decision."),
    )
    register_panel(
        (PR, M),
        "plans-to-approve",
        gettext_lazy("Plans awaiting approval"),
        plans_awaiting_approval,
        order=7,
        empty=gettext_lazy("No plan waits for approval."),
    )
    register_panel(
        (PR,),
        "daily-reports-missing",
        gettext_lazy("Today's daily reports not entered"),
        daily_reports_missing,
        order=10,
        empty=gettext_lazy("Every machine planned today has its report."),
    )
    register_panel(
        (P,),
        "late-shortfalls",
        gettext_lazy("Late shortfalls"),
        late_shortfalls,
        order=10,
        empty=gettext_lazy("No shortfall is late."),
    )
    register_panel(
        (M,),
        "portfolio-waiting",
        gettext_lazy("Portfolio waiting for you"),
        portfolio_waiting,
        order=8,
        empty=gettext_lazy("No portfolio waits for your agreement."),
    )
    register_panel(
        (Q_, M),
        "open-ncrs",
        gettext_lazy("Open nonconformance reports"),
        open_ncrs,
        order=20,
        empty=gettext_lazy("No NCR waits for its disposition."),
    )
