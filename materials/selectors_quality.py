"""Reads of quality control: the inspection queue, one lot with its decisions and returns,
and the incoming rejection rate per supplier by month beside what was inspected."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from materials.models import InspectionDecision, InspectionLot, SupplierReturn


def inspection_lots(*, status: str = "", kind: str = "", search: str = "") -> QuerySet:
    lots = (
        InspectionLot.objects.select_related(
            "item", "warehouse", "supplier", "created_by", "goods_receipt"
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=InspectionDecision.objects.select_related("created_by").order_by("pk"),
            ),
            Prefetch(
                "supplier_returns",
                queryset=SupplierReturn.objects.select_related("created_by").order_by("pk"),
            ),
        )
        .order_by("-created_at", "-pk")
    )
    if status:
        lots = lots.filter(status=status)
    if kind:
        lots = lots.filter(kind=kind)
    search = (search or "").replace("\x00", "").strip()
    if search:
        lots = lots.filter(
            Q(number__icontains=search)
            | Q(item__code__icontains=search)
            | Q(source_number__icontains=search)
            | Q(supplier__code__icontains=search)
        )
    return lots


def inspection_lot(*, number: str) -> InspectionLot | None:
    return inspection_lots().filter(number=number).first()


def supplier_rejection_by_month(*, since: dt.date) -> list[dict]:
    """Per supplier and month of receipt: received, accepted and rejected on incoming
    inspection, and the rejection rate (rejected / decided). One query."""
    rows = (
        InspectionLot.objects.filter(kind="incoming", supplier__isnull=False)
        .filter(created_at__date__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("supplier__code", "supplier__name", "month")
        .annotate(received=Sum("quantity"), accepted=Sum("accepted"), rejected=Sum("rejected"))
        .order_by("supplier__code", "month")
    )
    out = []
    for row in rows:
        decided = row["accepted"] + row["rejected"]
        row["rate"] = (row["rejected"] / decided).quantize(Decimal("0.0001")) if decided else None
        out.append(row)
    return out
