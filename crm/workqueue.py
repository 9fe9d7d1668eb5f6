"""Home-page panels of the relationship layer (registered in CrmConfig.ready()): follow-ups
due (回访) and quotations expiring. Each runs a count and one LIMITed query."""

import datetime as dt
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import FollowUp, FollowUpStatus
from erp.roles import Role
from erp.templatetags.erp_format import money
from erp.workqueue import ROWS, Queue, Row, register_panel, sees_only_own

QUOTATION_DAYS = 7  # quotations whose validity ends within a week


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def follow_ups_due(user, today: dt.date) -> Queue:
    """Open follow-ups due today or overdue: the salesperson's own; everyone's for the
    manager (with whose they are)."""
    due = FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_date__lte=today)
    own = sees_only_own(user)
    if own:
        due = due.filter(owner=user)
    rows = due.select_related("customer", "owner").order_by("due_date", "id")[:ROWS]
    return Queue(
        count=due.count(),
        rows=[
            Row(
                label=f.customer.code,
                url=reverse("crm:customer-360", args=[f.customer.code]),
                detail=(f.customer.name if own else f"{f.customer.name} · {_owner(f)}")[:50],
                figure=_("today") if f.due_date == today else f.due_date.isoformat(),
                tone="danger" if f.due_date < today else "",
            )
            for f in rows
        ],
        see_all=reverse("crm:followup-list"),
    )


def _owner(followup) -> str:
    owner = followup.owner
    return (owner.get_full_name() or owner.get_username()) if owner else ""


def quotations_expiring(user, today: dt.date) -> Queue:
    """Open quotations (报价单) whose validity ends within a week: call the customer."""
    selectors = import_module("crm.selectors_quotations")
    expiring = selectors.quotations_expiring(user, today, QUOTATION_DAYS)
    return Queue(
        count=expiring.count(),
        rows=[
            Row(
                label=q.number,
                url=_url("crm:quotation-detail", q.number),
                detail=f"{q.customer.code} {money(q.total)}",
                figure=q.valid_until.isoformat(),
                tone="warning" if (q.valid_until - today).days <= 2 else "",
            )
            for q in expiring[:ROWS]
        ],
        see_all=_url("crm:quotation-list"),
    )


def register() -> None:
    S, M = Role.SALES.value, Role.MANAGER.value
    register_panel(
        (S, M),
        "follow-ups-due",
        gettext_lazy("Follow-ups due"),
        follow_ups_due,
        order=30,
        empty=gettext_lazy("No follow-up is due."),
    )
    # Quotations came with issue 14 (crm.selectors_quotations); the panel appears with them.
    try:
        selectors = import_module("crm.selectors_quotations")
    except ImportError:
        return
    if hasattr(selectors, "quotations_expiring"):
        register_panel(
            (S, M),
            "quotations-expiring",
            gettext_lazy("Quotations expiring"),
            quotations_expiring,
            order=40,
            empty=gettext_lazy("No quotation expires this week."),
        )
