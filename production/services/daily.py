"""Daily production reports (生产日报表): per day, machine, process and order line the good
output, the defects by reason, the hours worked and the operator. Production enters a whole
machine-day at once (the entry page, a shop-floor terminal); saving again corrects it.

Rules: the process is a step of the item's routing; quantities fit the item's unit; a
machine works at most 24 hours a day; nothing is reported for a day still to come or for a
cancelled or closed order line. A row is for a customer order line or for a work order (any
work order: a sub-assembly's too, which no order line names); a cancelled work order takes
nothing. Good output of an item's last routing step is finished
goods: the warehouse is told there is something to receive (成品入库)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from erp.errors import DomainError
from erp.services import notify
from materials.models import Process, Routing, WorkCenter
from orders.models import LineStatus, SalesOrderLine
from orders.states import OPEN_STATES
from production.models import DailyDefect, DailyReport, WorkOrder
from production.services.common import fmt, parse_quantity, require, url, users_with

MAX_ROWS = 500
MAX_OPERATOR = DailyReport._meta.get_field("operator").max_length
MAX_NOTE = DailyReport._meta.get_field("note").max_length
MAX_REASON = DailyDefect._meta.get_field("reason").max_length
HOURS_A_DAY = Decimal(24)


@dataclass
class DailyRow:
    """One row of a machine-day: what one process did for one order line, or for one work
    order (give one of the two)."""

    order_line: SalesOrderLine | None
    process: Process
    good_quantity: Any = 0
    defects: Sequence[tuple[str, Any]] = field(default_factory=list)  # (reason, quantity)
    hours: Any = 0
    operator: str = ""
    note: str = ""
    work_order: WorkOrder | None = None

    @property
    def item(self):
        return self.order_line.item if self.order_line is not None else self.work_order.item

    @property
    def key(self) -> tuple[int, int | None, int | None]:
        """(process, order line, work order): what a machine-day reports once."""
        if self.order_line is not None:
            return (self.process.pk, self.order_line.pk, None)
        return (self.process.pk, None, self.work_order.pk)


def _key(report: DailyReport) -> tuple[int, int | None, int | None]:
    if report.order_line_id is not None:
        return (report.process_id, report.order_line_id, None)
    return (report.process_id, None, report.work_order_id)


def _for_what(row: DailyRow | DailyReport) -> str:
    if row.order_line is not None:
        return f"order {row.order_line.order.order_no} line {row.order_line.line}"
    return f"work order {row.work_order.wo_no}"


def _where(n: int, row: DailyRow) -> str:
    return f"Row {n} ({_for_what(row)}, {row.process.code})"


def _fits(quantity: Decimal, row: DailyRow, where: str, what: str) -> None:
    item = row.item
    if quantity % item.quantum != 0:
        raise DomainError(
            f"{where}: {what} {fmt(quantity)} has more decimals than {item.code} is counted "
            f"in ({item.uom}, {item.decimals} decimals).",
            field="rows",
        )


def _clean(n: int, row: DailyRow, steps: dict[int, set[int]]) -> dict:
    where = _where(n, row)
    ol = row.order_line
    if ol is not None and (ol.status != LineStatus.OPEN or ol.order.status not in OPEN_STATES):
        raise DomainError(
            f"{where}: order {ol.order.order_no} line {ol.line} is not open for production.",
            field="rows",
        )
    if ol is None and row.work_order.status == WorkOrder.Status.CANCELLED:
        raise DomainError(f"{where}: work order {row.work_order.wo_no} is cancelled.", field="rows")
    if row.process.pk not in steps.get(row.item.pk, set()):
        raise DomainError(
            f"{where}: {row.process.code} is not a step of {row.item.code}'s routing.",
            field="rows",
        )
    good = parse_quantity(row.good_quantity, field="rows", what=f"{where}: the good quantity")
    _fits(good, row, where, "the good quantity")
    hours = parse_quantity(row.hours, field="rows", what=f"{where}: the hours")
    if hours > HOURS_A_DAY:
        raise DomainError(f"{where}: a day has 24 hours.", field="rows")
    defects: dict[str, Decimal] = {}
    for reason, quantity in row.defects:
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(f"{where}: give each defect's reason.", field="rows")
        if len(reason) > MAX_REASON:
            raise DomainError(
                f"{where}: a defect reason has at most {MAX_REASON} characters.", field="rows"
            )
        if reason in defects:
            raise DomainError(f"{where}: the defect reason {reason} appears twice.", field="rows")
        amount = parse_quantity(
            quantity, field="rows", what=f"{where}: the defects ({reason})", allow_zero=False
        )
        _fits(amount, row, where, f"the defects ({reason})")
        defects[reason] = amount
    operator, note = (row.operator or "").strip(), (row.note or "").strip()
    if len(operator) > MAX_OPERATOR or len(note) > MAX_NOTE:
        raise DomainError(
            f"{where}: the operator has at most {MAX_OPERATOR} characters, the note {MAX_NOTE}.",
            field="rows",
        )
    return {"good": good, "hours": hours, "defects": defects, "operator": operator, "note": note}


def last_steps(item_ids) -> dict[int, int]:
    """The process of each item's last routing step."""
    last: dict[int, int] = {}
    for item_id, process_id in (
        Routing.objects.filter(item_id__in=set(item_ids))
        .order_by("item_id", "seq")
        .values_list("item_id", "process_id")
    ):
        last[item_id] = process_id
    return last


@transaction.atomic
def daily_report_save(
    *, user, date: Any, work_center: WorkCenter, rows: Sequence[DailyRow], replace: bool = False
) -> list[DailyReport]:
    """Record (or correct) a machine's day. Each row replaces what was reported for its
    (process, order line) that day. With `replace`, rows of that machine-day left out are
    removed (the entry page sends the whole day). All or nothing."""
    require(user, "production.add_dailyreport", "Only production may enter daily reports.")
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date):
        raise DomainError("Give the day (YYYY-MM-DD).", field="date")
    if date > timezone.localdate():
        raise DomainError(f"{date} has not come yet; report a day that has.", field="date")
    if len(rows) > MAX_ROWS:
        raise DomainError(f"At most {MAX_ROWS} rows at once.", field="rows")
    for n, row in enumerate(rows, start=1):
        if (row.order_line is None) == (row.work_order is None):
            raise DomainError(
                f"Row {n}: give the order line or the work order (one of the two).",
                field="rows",
            )
    steps: dict[int, set[int]] = defaultdict(set)
    for item_id, process_id in Routing.objects.filter(
        item_id__in={r.item.pk for r in rows}
    ).values_list("item_id", "process_id"):
        steps[item_id].add(process_id)
    cleaned, seen = [], set()
    for n, row in enumerate(rows, start=1):
        key = row.key
        if key in seen:
            raise DomainError(f"{_where(n, row)} appears twice.", field="rows")
        seen.add(key)
        cleaned.append((row, _clean(n, row, steps)))

    existing = {
        _key(r): r
        for r in DailyReport.objects.select_for_update(of=("self",)).filter(
            date=date, work_center=work_center
        )
    }
    if replace:
        gone = [r.pk for key, r in existing.items() if key not in seen]
        DailyReport.objects.filter(pk__in=gone).delete()
        existing = {k: r for k, r in existing.items() if k in seen}
    others = sum((r.hours for key, r in existing.items() if key not in seen), Decimal(0))
    total = others + sum((c["hours"] for _r, c in cleaned), Decimal(0))
    if total > HOURS_A_DAY:
        raise DomainError(
            f"Machine {work_center.code} would work {fmt(total)} hours on {date}; a day has 24.",
            field="rows",
        )

    saved = []
    for row, clean in cleaned:
        report = existing.get(row.key) or DailyReport(
            date=date,
            work_center=work_center,
            process=row.process,
            order_line=row.order_line,
            work_order=row.work_order if row.order_line is None else None,
        )
        report.good_quantity = clean["good"]
        report.defect_quantity = sum(clean["defects"].values(), Decimal(0))
        report.hours, report.operator, report.note = (
            clean["hours"],
            clean["operator"],
            clean["note"],
        )
        report.stamp(user)
        report.save()
        report.defects.all().delete()
        DailyDefect.objects.bulk_create(
            DailyDefect(report=report, reason=reason, quantity=quantity)
            for reason, quantity in clean["defects"].items()
        )
        saved.append(report)
    _tell_warehouse(saved, date)
    return saved


@transaction.atomic
def daily_report_delete(*, user, report: DailyReport) -> None:
    require(user, "production.change_dailyreport", "Only production may correct daily reports.")
    report.delete()


def _item(report: DailyReport):
    return report.order_line.item if report.order_line_id else report.work_order.item


def _tell_warehouse(reports: list[DailyReport], date: dt.date) -> None:
    last = last_steps(_item(r).pk for r in reports)
    finished = [r for r in reports if r.good_quantity > 0 and last.get(_item(r).pk) == r.process_id]
    if not finished:
        return
    words = ", ".join(
        f"{_short(r)} {fmt(r.good_quantity)} {_item(r).uom} {_item(r).code}" for r in finished
    )
    notify(
        users=users_with("production.add_finishedgoodsreceipt"),
        message=f"Finished on {date}, to receive into the warehouse: {words}"[:500],
        url=url("production:daily-summary"),
    )


def _short(report: DailyReport) -> str:
    if report.order_line_id:
        return f"{report.order_line.order.order_no}/{report.order_line.line}"
    return report.work_order.wo_no
