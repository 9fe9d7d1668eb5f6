"""Reads of the quality records: NCRs, in-process checks, and the actual defect rate per
process by month (daily reports and checks) beside the defect-control table's rate."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from materials.models import Process
from production.models import DailyReport, InProcessCheck, Nonconformance

RATE = Decimal("0.0001")


def nonconformances(*, status: str = "", source: str = "", search: str = "") -> QuerySet:
    ncrs = Nonconformance.objects.select_related(
        "item",
        "supplier",
        "work_order",
        "process",
        "complaint",
        "inspection_lot",
        "created_by",
        "disposed_by",
    ).order_by("-created_at", "-pk")
    if status:
        ncrs = ncrs.filter(status=status)
    if source:
        ncrs = ncrs.filter(source=source)
    search = (search or "").replace("\x00", "").strip()
    if search:
        from django.db.models import Q

        ncrs = ncrs.filter(
            Q(number__icontains=search)
            | Q(item__code__icontains=search)
            | Q(defect_reason__icontains=search)
            | Q(work_order__wo_no__icontains=search)
            | Q(supplier__code__icontains=search)
        )
    return ncrs


def checks() -> QuerySet:
    return InProcessCheck.objects.select_related(
        "work_order__item", "process", "created_by"
    ).order_by("-date", "-pk")


def _rate(bad: Decimal, total: Decimal) -> Decimal | None:
    return (bad / total).quantize(RATE) if total else None


def defect_rates_by_month(*, since: dt.date) -> list[dict]:
    """Per process: its standard rate and, per month since `since`, the reported rate
    (daily reports: defective / (good + defective)) and the checked rate (in-process
    checks: defective / inspected). Three queries."""
    months: dict[int, dict[dt.date, dict]] = defaultdict(dict)
    reported = (
        DailyReport.objects.filter(date__gte=since)
        .annotate(month=TruncMonth("date"))
        .values("process_id", "month")
        .annotate(good=Sum("good_quantity"), bad=Sum("defect_quantity"))
    )
    for row in reported:
        cell = months[row["process_id"]].setdefault(row["month"], {})
        cell["reported"] = _rate(row["bad"], row["good"] + row["bad"])
    checked = (
        InProcessCheck.objects.filter(date__gte=since)
        .annotate(month=TruncMonth("date"))
        .values("process_id", "month")
        .annotate(inspected=Sum("inspected"), bad=Sum("defective"))
    )
    for row in checked:
        cell = months[row["process_id"]].setdefault(row["month"], {})
        cell["checked"] = _rate(row["bad"], row["inspected"])
    out = []
    for process in Process.objects.filter(pk__in=months).order_by("code"):
        for month in sorted(months[process.pk]):
            cell = months[process.pk][month]
            actual = [r for r in (cell.get("reported"), cell.get("checked")) if r is not None]
            out.append(
                {
                    "process": process,
                    "month": month,
                    "standard": process.defect_rate,
                    "reported": cell.get("reported"),
                    "checked": cell.get("checked"),
                    "above": any(r > process.defect_rate for r in actual),
                }
            )
    return out
