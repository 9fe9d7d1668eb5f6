"""Daily production reports: entering and correcting a machine-day, the refusals, and the
aggregation behind the summary (总表): cumulative output against plan, finished quantity,
defect rates per process against the defect-control table."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from erp.errors import DomainError
from erp.models import Notification
from production.models import DailyReport
from production.planning.progress import day_summary, defect_rates, machine_days, order_progress
from production.services import finished_goods_receipt
from production.services.daily import DailyRow, daily_report_delete, daily_report_save
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.factories import WarehouseFactory
from tests.production.plan_support import build_floor, day, grant_plan_permissions, order_line

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    WarehouseFactory(code="MAIN")
    return build_floor()


@pytest.fixture
def production(make_user):
    return make_user("production")


@pytest.fixture
def planned(floor, make_user, production):
    """SO-1: 40 B (CUT 240 min Monday, WELD 480 min Monday); SO-2: 100 A (CUT 600 min:
    240 Monday, 360 Tuesday). Approved."""
    sales = make_user("sales")
    lines = {
        "SO-1": order_line("SO-1", floor.items["B"], 40, due=day(1)),
        "SO-2": order_line("SO-2", floor.items["A"], 100, due=day(2)),
    }
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    plan_submit(user=sales, plan=plan)
    plan_approve(user=production, plan=plan)
    return lines


def row(line, process, good="0", defects=(), hours="0", operator="Wang"):
    return DailyRow(
        order_line=line,
        process=process,
        good_quantity=good,
        defects=list(defects),
        hours=hours,
        operator=operator,
    )


def test_a_machine_day_is_saved_and_corrected(floor, planned, production):
    cut = floor.processes["CUT"]
    saved = daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[
            row(planned["SO-1"], cut, "38", [("burr", "1"), ("scratch", "1")], "4"),
            row(planned["SO-2"], cut, "40", [], "4"),
        ],
    )
    assert len(saved) == 2
    first = DailyReport.objects.get(order_line=planned["SO-1"])
    assert (first.good_quantity, first.defect_quantity, first.hours) == (D(38), D(2), D(4))
    assert {d.reason: d.quantity for d in first.defects.all()} == {"burr": D(1), "scratch": D(1)}
    assert first.created_by == production and first.operator == "Wang"
    # corrected: the same (process, order line) that day is replaced, not added
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[row(planned["SO-1"], cut, "39", [("burr", "1")], "4")],
        replace=True,
    )
    (only,) = DailyReport.objects.all()  # replace: SO-2's row of that day is gone
    assert (only.good_quantity, only.defect_quantity) == (D(39), D(1))
    assert list(only.defects.values_list("reason", flat=True)) == ["burr"]
    daily_report_delete(user=production, report=only)
    assert not DailyReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"process": "WELD-on-A"}, "not a step of A's routing"),
        ({"good": "1.5"}, "more decimals than A"),
        ({"good": "-1"}, "0 or more"),
        ({"hours": "25"}, "24 hours"),
        ({"defects": [("burr", "1"), ("burr", "2")]}, "appears twice"),
        ({"defects": [("", "1")]}, "reason"),
        ({"defects": [("burr", "0")]}, "greater than 0"),
        ({"good": "abc"}, "must be a number"),
    ],
)
def test_bad_rows_are_refused_in_words(floor, planned, production, change, message):
    process = floor.processes["WELD"] if change.get("process") else floor.processes["CUT"]
    bad = row(
        planned["SO-2"],
        process,
        change.get("good", "1"),
        change.get("defects", []),
        change.get("hours", "1"),
    )
    with pytest.raises(DomainError, match=message):
        daily_report_save(
            user=production, date=day(0), work_center=floor.machines["CUT"], rows=[bad]
        )
    assert not DailyReport.objects.exists()


def test_day_rules(floor, planned, production, make_user):
    cut, machine = floor.processes["CUT"], floor.machines["CUT"]
    with pytest.raises(DomainError, match="has not come yet"):
        daily_report_save(
            user=production,
            date=timezone.localdate() + dt.timedelta(days=2),
            work_center=machine,
            rows=[row(planned["SO-2"], cut, "1")],
        )
    daily_report_save(
        user=production,
        date=day(0),
        work_center=machine,
        rows=[row(planned["SO-1"], cut, "1", hours="20")],
    )
    with pytest.raises(DomainError, match="would work 25 hours"):
        daily_report_save(
            user=production,
            date=day(0),
            work_center=machine,
            rows=[row(planned["SO-2"], cut, "1", hours="5")],
        )
    with pytest.raises(DomainError, match="appears twice"):
        daily_report_save(
            user=production,
            date=day(1),
            work_center=machine,
            rows=[row(planned["SO-2"], cut, "1"), row(planned["SO-2"], cut, "2")],
        )
    planned["SO-2"].status = "cancelled"
    planned["SO-2"].save()
    with pytest.raises(DomainError, match="not open for production"):
        daily_report_save(
            user=production, date=day(1), work_center=machine, rows=[row(planned["SO-2"], cut, "1")]
        )
    for role in ("sales", "quality", "warehouse"):
        with pytest.raises(PermissionDenied):
            daily_report_save(
                user=make_user(role),
                date=day(1),
                work_center=machine,
                rows=[row(planned["SO-1"], cut, "1")],
            )


def test_last_step_output_tells_the_warehouse(floor, planned, production, make_user):
    clerk = make_user("warehouse")
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[row(planned["SO-1"], floor.processes["CUT"], "40")],  # B: CUT is not its last
    )
    assert not Notification.objects.filter(user=clerk).exists()
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["WELD"],
        rows=[row(planned["SO-1"], floor.processes["WELD"], "35")],
    )
    note = Notification.objects.get(user=clerk)
    assert "SO-1/1 35 pcs B" in note.message


def test_progress_against_plan(floor, planned, production, make_user):
    cut, weld = floor.processes["CUT"], floor.processes["WELD"]
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[
            row(planned["SO-1"], cut, "40", hours="4"),
            row(planned["SO-2"], cut, "30", hours="4"),
        ],
    )
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["WELD"],
        rows=[row(planned["SO-1"], weld, "20", [("crack", "2")], hours="8")],
    )
    progress = {p.order_line.order.order_no: p for p in order_progress(as_of=day(0))}
    so1, so2 = progress["SO-1"], progress["SO-2"]
    # SO-1: all 40 should be welded on Monday; 20 were: 50 % behind, flagged.
    assert [(s.line.seq, s.planned_to_date, s.good) for s in so1.steps] == [
        (10, D(40), D(40)),
        (20, D(40), D(20)),
    ]
    assert (so1.finished, so1.behind, so1.behind_ratio, so1.is_behind) == (
        D(20),
        D(20),
        D("0.5000"),
        True,
    )
    assert so1.attainment == D("0.5000")
    # SO-2: 240 of 600 minutes planned on Monday = 40 of 100 pcs; 30 done: 10 % behind,
    # not above the 10 % threshold.
    assert (so2.planned_to_date, so2.finished, so2.behind_ratio, so2.is_behind) == (
        D(40),
        D(30),
        D("0.1000"),
        False,
    )
    assert order_progress(as_of=day(0), threshold=D("0.05"))[1].is_behind
    # the last step's good output is finished goods; receipts count against it
    finished_goods_receipt(user=make_user("warehouse"), quantity=D(15), work_order=so1.work_order)
    (so1,) = order_progress(as_of=day(0), order_no="SO-1")
    assert (so1.received, so1.to_receive) == (D(15), D(5))

    days = {(m.machine.code, m.day): m for m in machine_days(start=day(0), end=day(1))}
    monday_cut = days[("CUT", day(0))]
    assert (monday_cut.planned_hours, monday_cut.planned_quantity) == (D(8), D(80))
    assert (monday_cut.good, monday_cut.hours) == (D(70), D(8))
    assert days[("CUT", day(1))].planned_quantity == D(60)


def test_defect_rates_against_the_control_table(floor, planned, production):
    cut, weld = floor.processes["CUT"], floor.processes["WELD"]  # control: 2 %
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[row(planned["SO-2"], cut, "98", [("burr", "2")])],
    )
    daily_report_save(
        user=production,
        date=day(0),
        work_center=floor.machines["WELD"],
        rows=[row(planned["SO-1"], weld, "36", [("crack", "3"), ("porosity", "1")])],
    )
    rates = {r.process.code: r for r in defect_rates(start=day(0), end=day(0))}
    assert (rates["P-CUT"].rate, rates["P-CUT"].above) == (D("0.0200"), False)
    assert (rates["P-WELD"].rate, rates["P-WELD"].control, rates["P-WELD"].above) == (
        D("0.1000"),
        D("0.02"),
        True,
    )
    assert rates["P-WELD"].reasons == {"crack": D(3), "porosity": D(1)}
    reports = day_summary(day=day(0))
    assert [(r.process.code, r.work_center.code) for r in reports] == [
        ("P-CUT", "CUT"),
        ("P-WELD", "WELD"),
    ]
