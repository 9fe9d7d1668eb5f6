"""Home-page panels of materials (registered in MaterialsConfig.ready()): purchase order
lines due (receipts for the warehouse, deliveries to chase for purchasing), stock counts
waiting for the manager, lots on inspection hold. Each runs a count and one LIMITed query."""

import datetime as dt

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy

from erp.roles import Role
from erp.templatetags.erp_format import qty
from erp.workqueue import ROWS, Queue, Row, register_panel
from materials.models import (
    InspectionLot,
    InspectionStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    StockAdjustment,
)

PO_DUE_DAYS = 7  # purchasing chases what suppliers owe within a week


def _open_po_lines(until: dt.date):
    return PurchaseOrderLine.objects.filter(
        purchase_order__status=PurchaseOrder.Status.OPEN,
        received_quantity__lt=F("quantity"),
        due_date__lte=until,
    )


def _po_rows(lines, today: dt.date) -> list[Row]:
    rows = lines.select_related("purchase_order__supplier", "item").order_by(
        "due_date", "purchase_order__po_no", "line"
    )[:ROWS]
    return [
        Row(
            label=f"{pl.purchase_order.po_no}/{pl.line}",
            url=reverse("materials:purchase-order-detail", args=[pl.purchase_order.po_no]),
            detail=f"{pl.purchase_order.supplier.code} · {pl.item.code} × {qty(pl.open_quantity)}",
            figure=pl.due_date.isoformat(),
            tone="danger" if pl.due_date < today else "",
        )
        for pl in rows
    ]


def receipts_due(user, today: dt.date) -> Queue:
    """Purchase order lines due today or before and not (fully) received: goods the
    warehouse expects at the dock."""
    lines = _open_po_lines(today)
    return Queue(
        count=lines.count(),
        rows=_po_rows(lines, today),
        see_all=reverse("materials:purchase-order-list"),
    )


def purchase_orders_due(user, today: dt.date) -> Queue:
    """Purchase order lines due within a week or late: what purchasing chases."""
    lines = _open_po_lines(today + dt.timedelta(days=PO_DUE_DAYS))
    return Queue(
        count=lines.count(),
        rows=_po_rows(lines, today),
        see_all=reverse("materials:purchase-order-list"),
    )


def stock_counts_to_approve(user, today: dt.date) -> Queue:
    waiting = StockAdjustment.objects.filter(status=StockAdjustment.Status.REQUESTED)
    rows = waiting.select_related("item").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=waiting.count(),
        rows=[
            Row(
                label=a.number,
                url=reverse("materials:adjustment-detail", args=[a.number]),
                detail=f"{a.item.code}: {qty(a.book_quantity)} → {qty(a.counted_quantity)}",
                figure=a.created_at.date().isoformat(),
            )
            for a in rows
        ],
        see_all=reverse("materials:adjustment-list"),
    )


def inspections_waiting(user, today: dt.date) -> Queue:
    """Lots on inspection hold: goods received that nobody may use until quality decides."""
    waiting = InspectionLot.objects.filter(status=InspectionStatus.ON_HOLD)
    rows = waiting.select_related("item").order_by("created_at", "pk")[:ROWS]
    return Queue(
        count=waiting.count(),
        rows=[
            Row(
                label=lot.number,
                url=reverse("materials:inspection-detail", args=[lot.number]),
                detail=f"{lot.item.code} × {qty(lot.quantity)}",
                figure=lot.created_at.date().isoformat(),
                tone="warning" if (today - lot.created_at.date()).days > 2 else "",
            )
            for lot in rows
        ],
        see_all=reverse("materials:inspection-list"),
    )


def register() -> None:
    W, P, Q, M = (
        Role.WAREHOUSE.value,
        Role.PURCHASING.value,
        Role.QUALITY.value,
        Role.MANAGER.value,
    )
    register_panel(
        (W,),
        "receipts-due",
        gettext_lazy("Receipts due today"),
        receipts_due,
        order=10,
        empty=gettext_lazy("No purchase is due at the dock."),
    )
    register_panel(
        (P,),
        "po-due",
        gettext_lazy("Purchase orders due"),
        purchase_orders_due,
        order=20,
        empty=gettext_lazy("No supplier owes anything this week."),
    )
    register_panel(
        (M,),
        "stock-counts",
        gettext_lazy("Stock counts to approve"),
        stock_counts_to_approve,
        order=6,
        empty=gettext_lazy("No stock count waits."),
    )
    register_panel(
        (Q,),
        "inspections",
        gettext_lazy("Lots on inspection hold"),
        inspections_waiting,
        order=10,
        empty=gettext_lazy("Nothing waits for inspection."),
    )
