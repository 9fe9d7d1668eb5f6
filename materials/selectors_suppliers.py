"""Reads behind the supplier pages: the list with open purchase orders and late lines, and
one supplier's purchase orders and incoming-inspection record. No writes."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from materials.models import (
    InspectionKind,
    InspectionLot,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from materials.selectors_purchasing import purchase_order_list

QUALITY_MONTHS = 12


def _counted(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("purchase_order__supplier").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def supplier_list(*, search: str = "", today: dt.date) -> QuerySet[Supplier]:
    """Suppliers by code with open_orders (open purchase orders), late_lines (open lines
    past their due date) and last_order (date of the latest purchase order). The figures
    are correlated subqueries: the database computes them for the page's rows only."""
    open_orders = PurchaseOrder.objects.filter(
        supplier=OuterRef("pk"), status=PurchaseOrder.Status.OPEN
    )
    late = PurchaseOrderLine.objects.filter(
        purchase_order__supplier=OuterRef("pk"),
        purchase_order__status=PurchaseOrder.Status.OPEN,
        received_quantity__lt=F("quantity"),
        due_date__lt=today,
    )
    suppliers = Supplier.objects.annotate(
        open_orders=Coalesce(
            Subquery(
                open_orders.order_by().values("supplier").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        late_lines=Coalesce(_counted(late), 0),
        last_order=Subquery(
            PurchaseOrder.objects.filter(supplier=OuterRef("pk"))
            .order_by()
            .values("supplier")
            .annotate(d=Max("order_date"))
            .values("d")
        ),
    ).order_by("code")
    search = (search or "").strip().replace("\x00", "")
    if search:
        suppliers = suppliers.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(phone__icontains=search)
        )
    return suppliers


def supplier_by_code(*, code: str) -> Supplier | None:
    return Supplier.objects.filter(code=code).first()


def supplier_purchase_orders(*, supplier: Supplier) -> QuerySet[PurchaseOrder]:
    """The supplier's purchase orders, newest first, with lines (as the PO list)."""
    return purchase_order_list(supplier=supplier.code)


def supplier_quality(*, supplier: Supplier, since: dt.date) -> dict:
    """Incoming inspection of the supplier's goods since `since`, by month and in total:
    received, accepted, rejected and the rejection rate (rejected / decided). One query."""
    months = list(
        InspectionLot.objects.filter(
            supplier=supplier, kind=InspectionKind.INCOMING, created_at__date__gte=since
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(received=Sum("quantity"), accepted=Sum("accepted"), rejected=Sum("rejected"))
        .order_by("month")
    )
    total = {"received": Decimal(0), "accepted": Decimal(0), "rejected": Decimal(0)}
    for row in months:
        for key in total:
            total[key] += row[key] or 0
        row["rate"] = _rate(row["accepted"] or 0, row["rejected"] or 0)
    total["rate"] = _rate(total["accepted"], total["rejected"])
    return {"months": months, "total": total}


def _rate(accepted: Decimal, rejected: Decimal) -> Decimal | None:
    decided = accepted + rejected
    return (rejected / decided).quantize(Decimal("0.0001")) if decided else None
