"""Contact slips (联络单): raised by hand or proposed from plan attainment, each ending in a
decision: re-plan (a new plan revision), outsource (a purchase order tracked to receipt) or
accept the delay (a new promised date through an order change notice)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from erp.errors import ConflictError, DomainError
from erp.models import Notification

try:
    from materials.services.receipts import goods_receipt
except ImportError:  # before purchasing was split
    from materials.services.purchasing import goods_receipt
from orders.models import OrderChange
from production.models import ContactSlip, PlanStatus, ProductionPlan
from production.services.contact import (
    contact_slip_decide,
    contact_slip_raise,
    contact_slips_propose,
    slip_age_days,
)
from production.services.daily import DailyRow, daily_report_save
from production.services.plans import plan_approve, plan_submit
from production.services.proposal import plan_propose
from tests.factories import SupplierFactory, WarehouseFactory
from tests.production.plan_support import build_floor, day, grant_plan_permissions, order_line

D = Decimal


@pytest.fixture
def floor(db):
    grant_plan_permissions()
    WarehouseFactory(code="MAIN")
    return build_floor()


@pytest.fixture
def people(make_user):
    return {
        "sales": make_user("sales"),
        "production": make_user("production"),
        "seller": make_user("sales", username="li_sales"),
        "warehouse": make_user("warehouse"),
        "purchasing": make_user("purchasing"),
    }


@pytest.fixture
def behind(floor, people):
    """SO-1 (A 80 = 480 min on CUT Monday, approved); Monday's report: 50 good. SO-1's
    customer is followed by li_sales."""
    line = order_line("SO-1", floor.items["A"], 80, due=day(2), salesperson=people["seller"])
    order_line("SO-2", floor.items["A"], 10, due=day(3))
    plan = plan_propose(user=people["sales"], start=day(0), end=day(4))
    plan_submit(user=people["sales"], plan=plan)
    plan_approve(user=people["production"], plan=plan)
    daily_report_save(
        user=people["production"],
        date=day(0),
        work_center=floor.machines["CUT"],
        rows=[DailyRow(order_line=line, process=floor.processes["CUT"], good_quantity="50")],
    )
    return line, plan


def test_the_system_proposes_slips_for_orders_behind(behind, people):
    line, _plan = behind
    (slip,) = contact_slips_propose(user=people["production"], as_of=day(0))
    assert (slip.order, slip.order_line, slip.proposed_automatically) == (line.order, line, True)
    assert slip.number.startswith("CS-") and slip.status == "open"
    assert slip.behind_quantity == D(30)
    assert "80 pcs should be finished, 50 pcs are (37.5% of 80 pcs behind)" in slip.reason
    # the order's salesperson is told, not every salesperson
    assert Notification.objects.filter(user=people["seller"], message__contains=slip.number)
    assert not Notification.objects.filter(user=people["sales"], message__contains=slip.number)
    # proposing again adds nothing while the slip is open (the nightly run has no user)
    assert contact_slips_propose(user=people["production"], as_of=day(0)) == []
    assert contact_slips_propose(user=None, as_of=day(0)) == []
    with pytest.raises(PermissionDenied):
        contact_slips_propose(user=people["sales"], as_of=day(0))


def test_raised_by_hand_one_open_slip_per_line(behind, people):
    line, _plan = behind
    slip = contact_slip_raise(
        user=people["production"], order=line.order, order_line=line, reason="CUT blade broke"
    )
    assert slip.created_by == people["production"] and not slip.proposed_automatically
    with pytest.raises(ConflictError, match="still open"):
        contact_slip_raise(user=people["production"], order=line.order, reason="again")
    with pytest.raises(DomainError, match="reason"):
        contact_slip_raise(user=people["production"], order=line.order, order_line=line, reason=" ")
    with pytest.raises(PermissionDenied):
        contact_slip_raise(user=people["sales"], order=line.order, reason="x")


def test_decision_replan_drafts_a_revision(behind, people):
    line, plan = behind
    slip = contact_slip_raise(
        user=people["production"], order=line.order, order_line=line, reason="Behind"
    )
    slip = contact_slip_decide(
        user=people["seller"], slip=slip, decision="replan", today=day(1), note="Do it Tuesday"
    )
    assert (slip.status, slip.decision, slip.decided_by) == ("decided", "replan", people["seller"])
    revision = ProductionPlan.objects.get(number=plan.number, revision=2)
    assert slip.plan == revision and revision.status == PlanStatus.DRAFT
    assert revision.lines.get(order_line=line).start_date == day(1)
    assert "revision 2" in slip.decision_note and "Do it Tuesday" in slip.decision_note
    assert Notification.objects.filter(user=people["production"], message__contains="decided")
    with pytest.raises(ConflictError, match="already decided"):
        contact_slip_decide(user=people["seller"], slip=slip, decision="replan")


def test_decision_outsource_is_tracked_to_receipt(behind, people):
    line, _plan = behind
    supplier = SupplierFactory(code="SUB")
    slip = contact_slip_raise(
        user=people["production"], order=line.order, order_line=line, reason="x"
    )
    with pytest.raises(DomainError, match="supplier"):
        contact_slip_decide(user=people["sales"], slip=slip, decision="outsource", today=day(0))
    with pytest.raises(DomainError, match="greater than 0"):
        contact_slip_decide(
            user=people["sales"],
            slip=slip,
            decision="outsource",
            supplier=supplier,
            outsource_quantity="0",
            outsource_due_date=day(3),
            today=day(0),
        )
    slip = contact_slip_decide(
        user=people["sales"],
        slip=slip,
        decision="outsource",
        supplier=supplier,
        outsource_quantity="30",
        outsource_due_date=day(3),
        today=day(0),
    )
    po_line = slip.purchase_order.lines.get()
    assert (slip.purchase_order.supplier, po_line.item, po_line.quantity, po_line.due_date) == (
        supplier,
        line.item,
        D(30),
        day(3),
    )
    assert Notification.objects.filter(user=people["purchasing"], message__contains="Outsourced")
    goods_receipt(user=people["warehouse"], purchase_line=po_line, quantity=D(12))
    po_line.refresh_from_db()
    assert po_line.received_quantity == D(12)  # the slip's page shows the purchase line


def test_decision_accept_delay_changes_the_promised_date(behind, people):
    line, plan = behind
    slip = contact_slip_raise(
        user=people["production"], order=line.order, order_line=line, reason="x"
    )
    with pytest.raises(DomainError, match="after the current one"):
        contact_slip_decide(
            user=people["sales"],
            slip=slip,
            decision="accept_delay",
            new_promised_date=day(1),
            customer_informed=True,
        )
    with pytest.raises(DomainError, match="customer informed"):
        contact_slip_decide(
            user=people["sales"], slip=slip, decision="accept_delay", new_promised_date=day(9)
        )
    slip = contact_slip_decide(
        user=people["sales"],
        slip=slip,
        decision="accept_delay",
        new_promised_date=day(9),
        customer_informed=True,
    )
    line.refresh_from_db()
    assert line.due_date == day(9)
    change = OrderChange.objects.get(order=line.order)
    assert (slip.order_change, change.kind, slip.new_promised_date) == (change, "due_date", day(9))
    assert slip.number in change.reason
    # the approved plan now sees the order changed: its line needs a re-plan
    from production.selectors import stale_order_line_ids

    assert stale_order_line_ids(plan=plan) == {line.pk}


def test_who_decides_and_bad_decisions(behind, people):
    line, _plan = behind
    slip = contact_slip_raise(user=people["production"], order=line.order, reason="x")
    with pytest.raises(PermissionDenied):
        contact_slip_decide(user=people["production"], slip=slip, decision="replan")
    with pytest.raises(DomainError, match="replan, outsource or accept_delay"):
        contact_slip_decide(user=people["sales"], slip=slip, decision="shrug")
    assert ContactSlip.objects.get(pk=slip.pk).status == "open"


def test_open_slips_age(behind, people):
    line, _plan = behind
    slip = contact_slip_raise(user=people["production"], order=line.order, reason="x")
    ContactSlip.objects.filter(pk=slip.pk).update(created_at=slip.created_at - dt.timedelta(days=4))
    slip.refresh_from_db()
    assert slip_age_days(slip) == 4
