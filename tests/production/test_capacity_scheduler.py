"""The finite-capacity scheduler on small cases with a known answer (no database)."""

import datetime as dt
from decimal import Decimal

from production.planning.calendar import (
    DowntimeSpan,
    MachineDay,
    capacity_minutes,
    downtime_minutes,
    iso_week_label,
)
from production.planning.scheduler import Capacity, Job, StepSpec, schedule

D = Decimal
MON = dt.date(2026, 3, 2)
CUT, WELD = 1, 2


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def capacity(days: int = 14, minutes: str = "480", machines=(CUT, WELD)) -> Capacity:
    """Machines working Monday to Friday, `minutes` a day."""
    free = {
        m: [D(minutes) if day(n).weekday() < 5 else D(0) for n in range(days)] for m in machines
    }
    return Capacity(MON, days, free, {CUT: "CUT", WELD: "WELD"})


def job(key, *steps, due=None, key_account=False, margin="100", earliest=MON, blocked=""):
    return Job(
        key=key,
        steps=[StepSpec(seq, 1, machine, D(minutes)) for seq, machine, minutes in steps],
        due_date=due or day(10),
        key_account=key_account,
        margin=D(margin),
        earliest=earliest,
        tiebreak=(str(key), 1),
        blocked=blocked,
    )


def placed(outcomes, key):
    return next(o for o in outcomes if o.job.key == key)


def test_an_overload_moves_the_rest_to_the_next_free_day():
    outcomes, _ = schedule([job("X", (10, CUT, 360)), job("Y", (10, CUT, 360))], capacity())
    x, y = placed(outcomes, "X"), placed(outcomes, "Y")
    assert x.placed[0].day_minutes == {day(0): D(360)}
    assert y.placed[0].day_minutes == {day(0): D(120), day(1): D(240)}
    assert (y.placed[0].start, y.placed[0].end) == (day(0), day(1))


def test_the_weekend_is_skipped():
    # 5 full days of work on a Monday-to-Friday machine end on Friday; one minute more
    # goes to the next Monday.
    outcomes, _ = schedule([job("X", (10, CUT, 2401))], capacity())
    step = outcomes[0].placed[0]
    assert step.start == day(0)
    assert step.end == day(7)
    assert step.day_minutes[day(4)] == D(480)
    assert step.day_minutes[day(7)] == D(1)
    assert day(5) not in step.day_minutes and day(6) not in step.day_minutes


def test_key_customer_first_then_due_date():
    jobs = [
        job("EARLY", (10, CUT, 480), due=day(1)),
        job("KEY", (10, CUT, 480), due=day(9), key_account=True),
        job("LATE", (10, CUT, 480), due=day(8)),
    ]
    outcomes, _ = schedule(jobs, capacity())
    assert [o.job.key for o in outcomes] == ["KEY", "EARLY", "LATE"]
    assert placed(outcomes, "KEY").placed[0].start == day(0)
    assert placed(outcomes, "EARLY").placed[0].start == day(1)
    assert placed(outcomes, "LATE").placed[0].start == day(2)


def test_then_margin_per_hour_on_the_bottleneck():
    # CUT is the bottleneck (most loaded). Same due date: P earns 100 in 2 h on CUT
    # (50/h), Q earns 90 in 1 h (90/h): Q first. R does not use CUT at all: it takes
    # nothing from the bottleneck and goes first among equals.
    jobs = [
        job("P", (10, CUT, 120), margin="100"),
        job("Q", (10, CUT, 60), margin="90"),
        job("R", (10, WELD, 30), margin="1"),
        job("S", (10, CUT, 2000), margin="1", due=day(11)),
    ]
    outcomes, bottleneck = schedule(jobs, capacity())
    assert bottleneck == CUT
    assert [o.job.key for o in outcomes] == ["R", "Q", "P", "S"]
    assert placed(outcomes, "Q").margin_per_hour == D(90)
    assert placed(outcomes, "P").margin_per_hour == D(50)
    assert placed(outcomes, "R").margin_per_hour is None


def test_routing_steps_run_in_sequence_on_their_machines():
    # CUT is full on Monday; the weld step starts the day the cut ends, not before.
    jobs = [
        job("FULL", (10, CUT, 480), due=day(1)),
        job("B", (10, CUT, 240), (20, WELD, 600), due=day(2)),
    ]
    outcomes, _ = schedule(jobs, capacity())
    cut, weld = placed(outcomes, "B").placed
    assert cut.day_minutes == {day(1): D(240)}
    assert weld.day_minutes == {day(1): D(480), day(2): D(120)}


def test_work_waits_for_its_earliest_day():
    outcomes, _ = schedule([job("X", (10, CUT, 60), earliest=day(3))], capacity())
    assert outcomes[0].placed[0].day_minutes == {day(3): D(60)}


def test_a_job_that_does_not_fit_is_left_unscheduled_and_takes_nothing():
    cap = capacity(days=7)  # Monday to Sunday: 5 x 480 = 2400 minutes on each machine
    jobs = [
        job("BIG", (10, CUT, 100), (20, WELD, 2500), due=day(1)),
        job("SMALL", (10, CUT, 2400), due=day(2)),
    ]
    outcomes, _ = schedule(jobs, cap)
    big, small = placed(outcomes, "BIG"), placed(outcomes, "SMALL")
    assert not big.scheduled and big.placed == []
    assert "WELD" in big.reason and "step 20" in big.reason
    # BIG's cut minutes were given back: SMALL gets the whole week of CUT.
    assert small.scheduled
    assert sum(small.placed[0].day_minutes.values()) == D(2400)


def test_a_blocked_job_keeps_its_reason():
    outcomes, _ = schedule([job("X", (10, CUT, 60), blocked="Short of R.")], capacity())
    assert outcomes[0].reason == "Short of R." and outcomes[0].placed == []


def test_a_step_without_minutes_takes_no_capacity():
    outcomes, _ = schedule([job("X", (10, CUT, 0), (20, WELD, 60))], capacity())
    first, second = outcomes[0].placed
    assert first.day_minutes == {} and first.start == MON
    assert second.day_minutes == {MON: D(60)}


def test_capacity_is_hours_per_day_on_working_days_less_downtime():
    machine = MachineDay(CUT, D("7.5"), 6)
    lost = downtime_minutes(
        [DowntimeSpan(CUT, day(1), day(2), D(2)), DowntimeSpan(CUT, day(3), day(3), None)],
        MON,
        day(6),
    )
    minutes = [capacity_minutes(machine, day(n), lost) for n in range(7)]
    assert minutes == [D(450), D(330), D(330), D(0), D(450), D(450), D(0)]
    assert iso_week_label(MON) == "2026-W10"
