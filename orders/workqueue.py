"""Home-page panels of customer orders (registered in OrdersConfig.ready()): late and
at-risk orders, overdue invoices, orders ready to pick or to ship, return requests to
confirm, credit approvals and order changes. Each runs a count and one LIMITed query."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.roles import Role
from erp.templatetags.erp_format import money, qty
from erp.workqueue import ROWS, Queue, Row, register_panel, sees_only_own
from orders.models import (
    LineStatus,
    MaterialSlip,
    MaterialStatus,
    OrderChange,
    SalesOrder,
    SalesOrderLine,
    SlipKind,
)
from orders.models_returns import ReturnRequest, ReturnRequestStatus
from orders.states import OPEN_STATES, TAKING_STATES

AT_RISK_DAYS = 7  # as the order list: owed within a week while material is not covered
SHIP_DAYS = 7  # lines due within a week whose finished goods are in stock
PICK_DAYS = 14  # covered orders due within two weeks and not picked yet
CHANGE_DAYS = 7  # order changes of the last week, for the manager


def _owed_lines():
    return SalesOrderLine.objects.filter(
        status=LineStatus.OPEN, shipped_quantity__lt=F("quantity")
    ).order_by()


def _customer_filter(queryset, user, path: str = "customer"):
    if sees_only_own(user):
        return queryset.filter(**{f"{path}__salesperson": user})
    return queryset


def late_orders(user, today: dt.date) -> Queue:
    """Orders with an owed line past its due date (late) or due within a week while their
    material is not covered (at risk); the most urgent first."""
    owed = _owed_lines().filter(order=OuterRef("pk"))
    soon = today + dt.timedelta(days=AT_RISK_DAYS)
    late = Exists(owed.filter(due_date__lt=today))
    at_risk = ~Q(material_status=MaterialStatus.COVERED) & Exists(owed.filter(due_date__lte=soon))
    orders = _customer_filter(
        SalesOrder.objects.filter(status__in=TAKING_STATES).filter(late | at_risk), user
    )
    rows = (
        orders.annotate(
            is_late=late,
            next_due=Subquery(owed.values("order").annotate(d=Min("due_date")).values("d")[:1]),
        )
        .select_related("customer")
        .order_by("next_due", "order_no")[:ROWS]
    )
    return Queue(
        count=orders.count(),
        rows=[
            Row(
                label=o.order_no,
                url=reverse("orders:order-detail", args=[o.order_no]),
                detail=f"{o.customer.code} {o.customer.name}"[:40],
                figure=(_("late since %(date)s") if o.is_late else _("due %(date)s"))
                % {"date": o.next_due.isoformat() if o.next_due else ""},
                tone="danger" if o.is_late else "warning",
            )
            for o in rows
        ],
        see_all=reverse("orders:order-list") + "?status=active",
    )


def overdue_invoices(user, today: dt.date) -> Queue:
    """The overdue invoices of the salesperson's customers (everyone's for the manager)."""
    from orders.receivables.aging import open_invoices, overdue_by_salesperson

    own = sees_only_own(user)
    groups = overdue_by_salesperson(as_of=today)
    if own:
        groups = [g for g in groups if g.salesperson_id == user.pk]
    invoices = open_invoices(
        as_of=today, salesperson_id=user.pk if own else None, overdue_only=True, limit=ROWS
    )
    return Queue(
        count=sum(g.invoices for g in groups),
        rows=[
            Row(
                label=f"{i.customer} {i.invoice_no}",
                url=reverse("orders:customer-statement", args=[i.customer]),
                detail=_("%(days)d days overdue") % {"days": i.days_overdue},
                figure=money(i.open_amount),
                tone="danger" if i.days_overdue > 30 else "warning",
            )
            for i in invoices
        ],
        see_all=reverse("orders:receivables-aging"),
        see_all_label=_("Receivables aging"),
    )


def ready_to_ship(user, today: dt.date) -> Queue:
    """Owed lines of confirmed orders due within a week (or late) whose usable stock of the
    item covers what is still to ship: the warehouse can ship them now."""
    from materials.models import LocationKind, StockBalance

    in_stock = StockBalance.objects.filter(
        item=OuterRef("item"),
        location__kind=LocationKind.USABLE,
        quantity__gte=OuterRef("quantity") - OuterRef("shipped_quantity"),
    )
    lines = _owed_lines().filter(
        order__status__in=OPEN_STATES,
        due_date__lte=today + dt.timedelta(days=SHIP_DAYS),
    )
    lines = lines.filter(Exists(in_stock))
    rows = lines.select_related("order", "item").order_by("due_date", "order__order_no", "line")
    return Queue(
        count=lines.count(),
        rows=[
            Row(
                label=f"{ol.order.order_no}/{ol.line}",
                url=reverse("orders:shipment-create")
                + "?"
                + urlencode({"order": ol.order.order_no}),
                detail=f"{ol.item.code} × {qty(ol.open_quantity)}",
                figure=ol.due_date.isoformat(),
                tone="danger" if ol.due_date < today else "",
            )
            for ol in rows[:ROWS]
        ],
        see_all=reverse("orders:shipment-create"),
        see_all_label=_("Ship (delivery note)"),
    )


def ready_to_pick(user, today: dt.date) -> Queue:
    """Confirmed orders whose material is covered, with a line due within two weeks, on
    which no pick slip has been issued yet."""
    owed = _owed_lines().filter(order=OuterRef("pk"))
    picked = MaterialSlip.objects.filter(order=OuterRef("pk"), kind=SlipKind.PICK)
    orders = SalesOrder.objects.filter(
        status__in=OPEN_STATES, material_status=MaterialStatus.COVERED
    ).filter(
        Exists(owed.filter(due_date__lte=today + dt.timedelta(days=PICK_DAYS))), ~Exists(picked)
    )
    rows = (
        orders.annotate(
            next_due=Subquery(owed.values("order").annotate(d=Min("due_date")).values("d")[:1])
        )
        .select_related("customer")
        .order_by("next_due", "order_no")[:ROWS]
    )
    return Queue(
        count=orders.count(),
        rows=[
            Row(
                label=o.order_no,
                url=reverse("orders:slip-create") + "?" + urlencode({"order": o.order_no}),
                detail=o.customer.code,
                figure=o.next_due.isoformat() if o.next_due else "",
                tone="danger" if o.next_due and o.next_due < today else "",
            )
            for o in rows
        ],
        see_all=reverse("orders:slip-list"),
    )


def return_requests(user, today: dt.date) -> Queue:
    """Production's return requests (退料申请) waiting for the warehouse to confirm."""
    waiting = ReturnRequest.objects.filter(status=ReturnRequestStatus.REQUESTED)
    rows = waiting.select_related("order", "work_order").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=waiting.count(),
        rows=[
            Row(
                label=r.number,
                url=reverse("orders:return-request-detail", args=[r.number]),
                detail=str(r.order or r.work_order),
                figure=r.created_at.date().isoformat(),
            )
            for r in rows
        ],
        see_all=reverse("orders:return-request-list"),
    )


def credit_approvals(user, today: dt.date) -> Queue:
    """Orders stopped by the credit check, waiting for the manager (订单审核)."""
    from orders.receivables.models import CreditApproval, CreditDecision

    waiting = CreditApproval.objects.filter(decision=CreditDecision.PENDING)
    rows = waiting.select_related("order", "customer").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=waiting.count(),
        rows=[
            Row(
                label=a.order.order_no,
                url=reverse("orders:credit-approval-list"),
                detail=a.customer.code,
                figure=money(a.order_value),
            )
            for a in rows
        ],
        see_all=reverse("orders:credit-approval-list"),
    )


def recent_changes(user, today: dt.date) -> Queue:
    """Order change notices (订单变更通知单) of the last week (the salesperson's own)."""
    since = today - dt.timedelta(days=CHANGE_DAYS)
    changes = _customer_filter(
        OrderChange.objects.filter(created_at__date__gte=since), user, "order__customer"
    )
    rows = changes.select_related("order").order_by("-created_at", "-pk")[:ROWS]
    return Queue(
        count=changes.count(),
        rows=[
            Row(
                label=c.number,
                url=reverse("orders:change-detail", args=[c.number]),
                detail=f"{c.order.order_no} {c.get_kind_display()}",
                figure=c.created_at.date().isoformat(),
            )
            for c in rows
        ],
        see_all=reverse("orders:change-list"),
    )


def register() -> None:
    S, W, M = Role.SALES.value, Role.WAREHOUSE.value, Role.MANAGER.value
    register_panel(
        (S, M),
        "late-orders",
        gettext_lazy("Late and at-risk orders"),
        late_orders,
        order=10,
        empty=gettext_lazy("No order is late or at risk."),
    )
    register_panel(
        (S, M),
        "my-overdue",
        gettext_lazy("Overdue invoices"),
        overdue_invoices,
        order=50,
        empty=gettext_lazy("None of your customers has an overdue invoice."),
    )
    register_panel(
        (W,),
        "ready-to-pick",
        gettext_lazy("Orders ready to pick"),
        ready_to_pick,
        order=20,
        empty=gettext_lazy("No covered order waits for its pick slip."),
    )
    register_panel(
        (W,),
        "ready-to-ship",
        gettext_lazy("Order lines ready to ship"),
        ready_to_ship,
        order=25,
        empty=gettext_lazy("Nothing due this week is in stock to ship."),
    )
    register_panel(
        (W,),
        "return-requests",
        gettext_lazy("Return requests to confirm"),
        return_requests,
        order=30,
        empty=gettext_lazy("No return request waits."),
    )
    register_panel(
        (M,),
        "credit-approvals",
        gettext_lazy("Credit approvals waiting"),
        credit_approvals,
        order=5,
        empty=gettext_lazy("No order waits for credit approval."),
    )
    register_panel(
        (S, M),
        "recent-changes",
        gettext_lazy("Order changes this week"),
        recent_changes,
        order=60,
        empty=gettext_lazy("No order change this week."),
    )
