"""Pages of the shop floor's daily reports and progress: the entry page per machine and day
(生产日报表, keyboard friendly), the summary (总表) per day and per order with defect rates
against the defect-control table, and plan attainment with the orders behind plan."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from erp.errors import DomainError
from erp.numbers import plain as _plain
from materials.models import Process, WorkCenter
from orders.models import SalesOrderLine
from production.models import DailyReport, PlanLine, PlanStatus, WorkOrder
from production.planning import progress
from production.services.daily import DailyRow, daily_report_save

DEFECT_PART = re.compile(r"^\s*(.+?)[\s:=]+([0-9]+(?:\.[0-9]+)?)\s*$")
EXTRA_ROWS = 3
MAX_FORM_ROWS = 200


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip()) if value else default
    except ValueError:
        return default


def parse_defects(text: str, where: str) -> list[tuple[str, str]]:
    """'burr 2, scratch 1' (or 'burr:2; scratch=1') -> [("burr", "2"), ("scratch", "1")]."""
    found = []
    for part in re.split(r"[,;，；\n]", text or ""):
        if not part.strip():
            continue
        match = DEFECT_PART.match(part)
        if match is None:
            raise DomainError(
                _("%(where)s: write the defects as reason and quantity, e.g. “burr 2, scratch 1”.")
                % {"where": where},
                field="rows",
            )
        found.append((match.group(1).strip(), match.group(2)))
    return found


def _defects_text(report: DailyReport) -> str:
    return ", ".join(f"{d.reason} {_plain(d.quantity)}" for d in report.defects.all())


def _planned_rows(machine: WorkCenter, day: dt.date) -> list[dict]:
    """The machine's day: what was reported, and what the plans in force have on it."""
    rows: dict[tuple[int, int | None, int | None], dict] = {}
    reports = (
        DailyReport.objects.filter(date=day, work_center=machine)
        .select_related("process", "order_line__order", "order_line__item", "work_order__item")
        .prefetch_related("defects")
    )
    lines = (
        PlanLine.objects.filter(
            plan__status=PlanStatus.APPROVED,
            work_center=machine,
            start_date__lte=day,
            end_date__gte=day,
        )
        .select_related("process", "order_line__order", "order_line__item")
        .order_by("priority", "seq")
    )
    for pl in lines:
        if pl.process_id is None:
            continue
        rows[(pl.process_id, pl.order_line_id, None)] = {
            "order_line": pl.order_line,
            "process": pl.process,
            "planned": progress.planned_on(pl, day),
            "planned_hours": (Decimal(pl.day_minutes.get(day.isoformat(), "0")) / 60).quantize(
                Decimal("0.01")
            ),
        }
    for report in reports:
        key = (report.process_id, report.order_line_id, None)
        if report.order_line_id is None:
            key = (report.process_id, None, report.work_order_id)
        row = rows.setdefault(
            key,
            {
                "order_line": report.order_line,
                "work_order": report.work_order,
                "process": report.process,
                "planned": None,
            },
        )
        row.update(
            good=_plain(report.good_quantity),
            defects=_defects_text(report),
            hours=_plain(report.hours),
            operator=report.operator,
            saved=True,
        )
    return list(rows.values())


def _typed(request) -> list[dict]:
    count = request.POST.get("rows", "0")
    count = min(int(count), MAX_FORM_ROWS) if count.isdigit() else 0
    names = (
        "order_line",
        "work_order",
        "order",
        "line",
        "process",
        "good",
        "defects",
        "hours",
        "operator",
    )
    return [
        {k: request.POST.get(f"row-{n}-{k}", "").replace("\x00", "").strip()[:200] for k in names}
        for n in range(count)
    ]


def _posted_rows(request) -> tuple[list[dict], list[DailyRow], list[str]]:
    """The rows of the entry form, as typed (to show again) and as service input. The order
    lines, work orders and processes are read in one query each. In a row of its own the
    order box takes an order number (and line) or a work order number."""
    typed = _typed(request)
    work_orders = {
        wo.pk: wo
        for wo in WorkOrder.objects.select_related("item").filter(
            Q(pk__in={int(t["work_order"]) for t in typed if t["work_order"].isdigit()})
            | Q(wo_no__in={t["order"] for t in typed if t["order"]})
        )
    }
    wo_by_number = {wo.wo_no: wo for wo in work_orders.values()}
    ids = {int(t["order_line"]) for t in typed if t["order_line"].isdigit()}
    numbers = {t["order"] for t in typed if t["order"] and not t["order_line"].isdigit()}
    found = SalesOrderLine.objects.select_related("order", "item").filter(
        Q(pk__in=ids) | Q(order__order_no__in=numbers)
    )
    by_id = {ol.pk: ol for ol in found}
    by_number = {(ol.order.order_no, str(ol.line)): ol for ol in by_id.values()}
    processes = Process.objects.in_bulk(
        [int(t["process"]) for t in typed if t["process"].isdigit()]
    )
    shown, rows, errors = [], [], []
    for n, t in enumerate(typed, start=1):
        extra = not t["order_line"].isdigit() and not t["work_order"].isdigit()
        line = work_order = None
        if t["work_order"].isdigit():
            work_order = work_orders.get(int(t["work_order"]))
        elif not extra:
            line = by_id.get(int(t["order_line"]))
        elif t["order"] in wo_by_number:
            work_order = wo_by_number[t["order"]]
        elif t["order"]:
            line = by_number.get((t["order"], t["line"] or "1"))
        process = processes.get(int(t["process"])) if t["process"].isdigit() else None
        shown.append(
            {**t, "order_line": line, "work_order": work_order, "process": process, "extra": extra}
        )
        if not any(t[k] for k in ("good", "defects", "hours")):
            continue
        where = _("Row %(n)s") % {"n": n}
        if line is None and work_order is None:
            errors.append(
                _("%(where)s: there is no order line %(order)s/%(line)s and no such work order.")
                % {"where": where, "order": t["order"] or "?", "line": t["line"] or 1}
            )
            continue
        if process is None:
            errors.append(_("%(where)s: choose the process.") % {"where": where})
            continue
        try:
            defects = parse_defects(t["defects"], where)
        except DomainError as refused:
            errors.append(refused.message)
            continue
        rows.append(
            DailyRow(
                order_line=line,
                work_order=work_order,
                process=process,
                good_quantity=t["good"] or "0",
                defects=defects,
                hours=t["hours"] or "0",
                operator=t["operator"],
            )
        )
    return shown, rows, errors


@login_required
@permission_required("production.view_dailyreport", raise_exception=True)
def daily_entry(request):
    """One page per machine and day: every planned order on it, typed in one go."""
    machines = list(WorkCenter.objects.order_by("code"))
    code = (request.GET.get("machine") or request.POST.get("machine") or "").replace("\x00", "")
    machine = next((m for m in machines if m.code == code), machines[0] if machines else None)
    day = _date(request.GET.get("date") or request.POST.get("date"), timezone.localdate())
    can_enter = request.user.has_perm("production.add_dailyreport")
    errors: list[str] = []
    rows: list[dict] = []
    if request.method == "POST" and machine is not None:
        if not can_enter:
            raise PermissionDenied
        rows, inputs, errors = _posted_rows(request)
        if not errors:
            try:
                daily_report_save(
                    user=request.user, date=day, work_center=machine, rows=inputs, replace=True
                )
            except DomainError as refused:
                errors.append(refused.message)
            else:
                messages.success(
                    request,
                    _("Daily report of %(machine)s on %(day)s saved.")
                    % {"machine": machine.code, "day": day.isoformat()},
                )
                return redirect(f"{request.path}?machine={machine.code}&date={day.isoformat()}")
    elif machine is not None:
        rows = _planned_rows(machine, day)
    processes = (
        list(Process.objects.filter(routings__work_center=machine).distinct()) if machine else []
    )
    extra = [r for r in rows if r.get("extra")]
    fixed = [r for r in rows if not r.get("extra")]
    extra += [{"extra": True} for _blank in range(max(0, EXTRA_ROWS - len(extra)))]
    for n, row in enumerate(fixed + extra):
        row["n"] = n
    context = {
        "machines": machines,
        "machine": machine,
        "day": day,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "rows": fixed,
        "extra_rows": extra,
        "row_count": len(fixed) + len(extra),
        "processes": processes,
        "errors": errors,
        "can_enter": can_enter,
    }
    return render(request, "production/daily_entry.html", context)


@login_required
@permission_required("production.view_dailyreport", raise_exception=True)
def daily_summary(request):
    """总表: the day's reports per process and machine; per order, cumulative good output
    against plan and the finished quantity; defect rates against the control table."""
    today = timezone.localdate()
    day = _date(request.GET.get("date"), today)
    since = _date(request.GET.get("since"), day.replace(day=1))
    if since > day:
        since = day
    order_no = request.GET.get("order", "").replace("\x00", "")[:40]
    context = {
        "day": day,
        "since": since,
        "order_no": order_no,
        "reports": progress.day_summary(day=day),
        "orders": progress.order_progress(as_of=day, order_no=order_no),
        "rates": progress.defect_rates(start=since, end=day),
        "can_receive": request.user.has_perm("production.add_finishedgoodsreceipt"),
    }
    return render(request, "production/daily_summary.html", context)


def parse_threshold(value: str | None) -> Decimal:
    try:
        percent = Decimal((value or "").strip() or "10")
    except InvalidOperation:
        percent = Decimal(10)
    if not percent.is_finite() or percent < 0 or percent > 100:
        percent = Decimal(10)
    return percent / 100


@login_required
@permission_required("production.view_productionplan", raise_exception=True)
def attainment(request):
    """Plan attainment: planned vs actual per order, per machine and per day; orders
    behind plan by more than the threshold highlighted."""
    today = timezone.localdate()
    day = _date(request.GET.get("date"), today)
    threshold = parse_threshold(request.GET.get("threshold"))
    since = _date(request.GET.get("since"), day - dt.timedelta(days=6))
    if since > day or (day - since).days > 62:
        since = day - dt.timedelta(days=6)
    orders = progress.order_progress(as_of=day, threshold=threshold)
    orders.sort(key=lambda o: (not o.is_behind, -o.behind_ratio, o.order_line.order.order_no))
    context = {
        "day": day,
        "since": since,
        "threshold_percent": _plain(threshold * 100),
        "orders": orders,
        "behind_count": sum(1 for o in orders if o.is_behind),
        "machine_days": progress.machine_days(start=since, end=day),
        "can_raise": request.user.has_perm("production.add_contactslip"),
    }
    return render(request, "production/daily_attainment.html", context)
