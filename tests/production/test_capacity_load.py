"""The machine-load view's figures: capacity per ISO week (working days, downtime) against
the approved plans' hours, overloads, the orders behind each bar; downtime rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from erp.errors import DomainError
from production.planning.capacity import machine_load
from production.services.downtime import downtime_create, downtime_delete, downtime_update
from production.services.plans import plan_approve, plan_line_update, plan_submit
from production.services.proposal import plan_propose
from tests.factories import WorkCenterFactory
from tests.production.plan_support import (
    build_floor,
    day,
    grant_plan_permissions,
    order_line,
    week,
)

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    return build_floor()


@pytest.fixture
def sales(make_user):
    return make_user("sales")


@pytest.fixture
def production(make_user):
    return make_user("production")


def approve(plan, sales, production):
    plan_submit(user=sales, plan=plan)
    return plan_approve(user=production, plan=plan)


def by_code(rows):
    return {row.machine.code: row for row in rows}


def test_capacity_per_week_counts_working_days_and_downtime(floor, production):
    downtime_create(
        user=production,
        work_center=floor.machines["CUT"],
        start_date=day(1),
        end_date=day(2),
        hours_per_day="3",
        reason="Blade change",
    )
    downtime_create(
        user=production, work_center=floor.machines["CUT"], start_date=day(7), reason="Holiday"
    )
    rows = by_code(machine_load(start=day(2), weeks=2))  # any day of the week: from its Monday
    cut, weld = rows["CUT"], rows["WELD"]
    assert [w.label for w in cut.weeks] == [week(0), week(7)]
    assert [w.monday for w in cut.weeks] == [day(0), day(7)]
    assert [w.capacity_hours for w in cut.weeks] == [D(34), D(32)]  # 40 - 2 x 3; 40 - 8
    assert [w.capacity_hours for w in weld.weeks] == [D(40), D(40)]


def test_load_of_approved_plans_with_overload_and_orders(floor, sales, production):
    order_line("SO-1", floor.items["A"], 300, due=day(4), customer="ACME")  # 1800 min = 30 h
    order_line("SO-2", floor.items["B"], 100, due=day(4))  # CUT 10 h, WELD 20 h
    plan = plan_propose(user=sales, start=day(0), end=day(4))
    assert by_code(machine_load(start=day(0), weeks=1))["CUT"].weeks[0].planned_minutes == 0
    approve(plan, sales, production)
    rows = by_code(machine_load(start=day(0), weeks=2))
    week = rows["CUT"].weeks[0]
    assert (week.planned_hours, week.capacity_hours, week.overloaded) == (D(40), D(40), False)
    assert week.utilization == D(1)
    orders = [(o.order_no, o.customer, o.hours) for o in week.order_list]
    assert orders == [("SO-1", "Customer ACME", D(30)), ("SO-2", "Customer C-SO-2", D(10))]
    # SO-2 is cut on Friday after SO-1: its 20 h of welding start on Friday (8 h) and
    # run on into the next week (12 h).
    assert [w.planned_hours for w in rows["WELD"].weeks] == [D(8), D(12)]
    assert not rows["CUT"].overloaded


def test_a_hand_moved_draft_shows_an_overload_in_preview(floor, sales, production):
    order_line("SO-1", floor.items["A"], 400, due=day(4))  # 40 h: the whole week of CUT
    first = plan_propose(user=sales, start=day(0), end=day(4))
    approve(first, sales, production)
    order_line("SO-2", floor.items["A"], 50, due=day(11))  # 5 h
    second = plan_propose(user=sales, start=day(0), end=day(11))
    line = second.lines.get()
    assert line.start_date == day(7)  # the first week is full
    plan_line_update(user=sales, line=line, start_date=day(3), end_date=day(4))
    approved_only = by_code(machine_load(start=day(0), weeks=2))["CUT"]
    assert not approved_only.overloaded
    preview = by_code(machine_load(start=day(0), weeks=2, preview=second))["CUT"]
    assert preview.weeks[0].planned_hours == D(45)
    assert preview.weeks[0].overloaded and preview.overloaded
    assert not preview.weeks[1].overloaded


def test_machine_filter_and_week_bounds(floor):
    rows = machine_load(start=day(0), weeks=500, machine_codes=["WELD"])
    assert [r.machine.code for r in rows] == ["WELD"]
    assert len(rows[0].weeks) == 52


def test_the_load_takes_a_fixed_number_of_queries(
    floor, sales, production, django_assert_max_num_queries
):
    for n in range(8):
        order_line(f"SO-{n}", floor.items["B"], 10 + n, due=day(4))
    for n in range(5):
        WorkCenterFactory(code=f"M{n}")
    approve(plan_propose(user=sales, start=day(0), end=day(4)), sales, production)
    with django_assert_max_num_queries(3):
        machine_load(start=day(0), weeks=8)


def test_downtime_rules(floor, production, sales):
    cut = floor.machines["CUT"]
    with pytest.raises(DomainError, match="before the first day"):
        downtime_create(
            user=production, work_center=cut, start_date=day(3), end_date=day(1), reason="x"
        )
    with pytest.raises(DomainError, match="Say why"):
        downtime_create(user=production, work_center=cut, start_date=day(3), reason=" ")
    with pytest.raises(DomainError, match="24 hours"):
        downtime_create(
            user=production, work_center=cut, start_date=day(3), hours_per_day="25", reason="x"
        )
    with pytest.raises(DomainError, match="greater than 0"):
        downtime_create(
            user=production, work_center=cut, start_date=day(3), hours_per_day="0", reason="x"
        )
    with pytest.raises(PermissionDenied):
        downtime_create(user=sales, work_center=cut, start_date=day(3), reason="x")
    downtime = downtime_create(user=production, work_center=cut, start_date=day(3), reason="Repair")
    assert (downtime.end_date, downtime.hours_per_day, downtime.created_by) == (
        day(3),
        None,
        production,
    )
    downtime = downtime_update(user=production, downtime=downtime, hours_per_day="4")
    assert downtime.hours_per_day == D(4)
    with pytest.raises(PermissionDenied):
        downtime_delete(user=sales, downtime=downtime)
    downtime_delete(user=production, downtime=downtime)
