"""The home page as a work queue: what each panel lists for a scenario, who sees which
panel, and that the page runs a fixed number of queries whatever the factory holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm import workqueue as crm_workqueue
from crm.models import FollowUp
from erp.roles import Role
from erp.workqueue import Queue, panels_for, register_panel, registered, unregister_panel
from materials.models import (
    InspectionKind,
    InspectionLot,
    Location,
    PurchaseOrder,
    StockAdjustment,
    StockBalance,
    Warehouse,
)
from orders.models import MaterialSlip, MaterialStatus, OrderChange, SlipKind
from orders.models_returns import ReturnRequest
from orders.receivables.models import CreditApproval
from production.models import (
    ContactSlip,
    DailyReport,
    MrpRun,
    Nonconformance,
    PlanLine,
    PlannedOrder,
    PlanStatus,
    Portfolio,
    ProductionPlan,
)
from tests.clock import in_days, today
from tests.factories import (
    CustomerFactory,
    ItemFactory,
    ProcessFactory,
    PurchaseOrderLineFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    UserFactory,
    WorkCenterFactory,
)


@pytest.fixture(autouse=True)
def _quotations_table(db):
    """The quotations panel needs its table; while that migration is not in the tree the
    panel is left out here, and put back afterwards."""
    missing = "crm_quotation" not in connection.introspection.table_names()
    if missing:
        unregister_panel("quotations-expiring")
    yield
    if missing:
        crm_workqueue.register()


def keys(user) -> list[str]:
    return [p["key"] for p in panels_for(user, today())]


def panel(user, key: str) -> Queue:
    return next(p["queue"] for p in panels_for(user, today()) if p["key"] == key)


def labels(queue: Queue) -> list[str]:
    return [row.label for row in queue.rows]


@pytest.fixture
def people(db):
    return {r: UserFactory(username=r, roles=[r]) for r in Role.values}


# --- the registry ---------------------------------------------------------------------------


def test_each_role_sees_its_own_panels(people):
    assert keys(people["sales"])[:1] == ["late-orders"]
    assert {"late-orders", "contact-slips", "follow-ups-due", "my-overdue"} <= set(
        keys(people["sales"])
    )
    assert {"receipts-due", "ready-to-pick", "ready-to-ship", "return-requests"} == set(
        keys(people["warehouse"])
    )
    assert {"late-shortfalls", "po-due"} == set(keys(people["purchasing"]))
    assert {"plans-to-approve", "daily-reports-missing", "contact-slips"} == set(
        keys(people["production"])
    )
    assert {"inspections", "open-ncrs"} == set(keys(people["quality"]))
    manager = keys(people["manager"])
    assert manager[:4] == [
        "credit-approvals",
        "stock-counts",
        "plans-to-approve",
        "portfolio-waiting",
    ]
    assert "late-orders" in manager and "receipts-due" not in manager
    # The administrator sees every panel.
    assert set(keys(people["admin"])) == {p.key for p in registered()}


def test_no_role_no_panel(db):
    assert panels_for(UserFactory(username="nobody"), today()) == []


def test_register_refuses_an_unknown_role():
    with pytest.raises(ValueError):
        register_panel(("cook",), "x", "X", lambda user, day: Queue(count=0))


def test_a_panel_answering_none_is_hidden(people):
    register_panel(("quality",), "test-hidden", "Hidden", lambda user, day: None, order=1)
    try:
        assert "test-hidden" not in keys(people["quality"])
    finally:
        unregister_panel("test-hidden")


def test_the_core_imports_no_app_above_it():
    import erp.services
    import erp.views
    import erp.workqueue

    for module in (erp.services, erp.views, erp.workqueue):
        source = open(module.__file__).read()
        for app in ("materials", "orders", "production", "crm", "customers", "reports"):
            assert f"from {app}" not in source and f"import {app}" not in source, (module, app)


# --- sales and manager ------------------------------------------------------------------------


def test_late_and_at_risk_orders_of_the_salesperson(people):
    seller = people["sales"]
    mine = CustomerFactory(code="MINE", salesperson=seller)
    other = CustomerFactory(code="OTHER")
    late = SalesOrderFactory(order_no="SO-LATE", customer=mine)
    SalesOrderLineFactory(order=late, due_date=in_days(-3))
    risky = SalesOrderFactory(order_no="SO-RISK", customer=mine, material_status="short")
    SalesOrderLineFactory(order=risky, due_date=in_days(3))
    covered = SalesOrderFactory(order_no="SO-OK", customer=mine, material_status="covered")
    SalesOrderLineFactory(order=covered, due_date=in_days(3))
    far = SalesOrderFactory(order_no="SO-FAR", customer=mine, material_status="short")
    SalesOrderLineFactory(order=far, due_date=in_days(30))
    shipped = SalesOrderFactory(order_no="SO-SHIPPED", customer=mine)
    SalesOrderLineFactory(
        order=shipped, due_date=in_days(-3), quantity=Decimal(5), shipped_quantity=Decimal(5)
    )
    theirs = SalesOrderFactory(order_no="SO-THEIRS", customer=other)
    SalesOrderLineFactory(order=theirs, due_date=in_days(-3))

    queue = panel(seller, "late-orders")
    assert queue.count == 2 and labels(queue) == ["SO-LATE", "SO-RISK"]
    assert [r.tone for r in queue.rows] == ["danger", "warning"]
    assert queue.rows[0].url == reverse("orders:order-detail", args=["SO-LATE"])
    # The manager sees everyone's.
    assert labels(panel(people["manager"], "late-orders")) == ["SO-LATE", "SO-THEIRS", "SO-RISK"]


def test_follow_ups_due_today_or_overdue(people):
    seller = people["sales"]
    acme = CustomerFactory(code="ACME", salesperson=seller)
    for days, owner in ((-2, seller), (0, seller), (3, seller), (-1, people["manager"])):
        FollowUp.objects.create(customer=acme, owner=owner, due_date=in_days(days), purpose="x")
    queue = panel(seller, "follow-ups-due")
    assert queue.count == 2
    assert [r.tone for r in queue.rows] == ["danger", ""]
    assert queue.see_all == reverse("crm:followup-list")
    assert panel(people["manager"], "follow-ups-due").count == 3


def test_open_contact_slips_of_the_salespersons_orders(people):
    seller = people["sales"]
    mine = SalesOrderFactory(order_no="SO-M", customer=CustomerFactory(salesperson=seller))
    other = SalesOrderFactory(order_no="SO-O")
    ContactSlip.objects.create(number="CS-1", order=mine, reason="behind")
    ContactSlip.objects.create(number="CS-2", order=other, reason="behind")
    ContactSlip.objects.create(
        number="CS-3", order=mine, reason="done", status="decided", decision="replan"
    )
    assert labels(panel(seller, "contact-slips")) == ["CS-1"]
    assert panel(people["production"], "contact-slips").count == 2


def test_quotations_expiring_this_week(people):
    quotations = pytest.importorskip("crm.models_quotations")
    if "quotations-expiring" not in keys(people["sales"]):
        pytest.skip("quotations are not in this tree yet")
    seller = people["sales"]
    acme = CustomerFactory(code="ACME", salesperson=seller)
    for number, valid, status in (
        ("QT-SOON", 2, "sent"),
        ("QT-LATER", 20, "sent"),
        ("QT-GONE", -1, "sent"),
        ("QT-DONE", 2, "cancelled"),
    ):
        quotations.Quotation.objects.create(
            number=number,
            customer=acme,
            salesperson=seller,
            quote_date=in_days(-10),
            valid_until=in_days(valid),
            status=status,
        )
    queue = panel(seller, "quotations-expiring")
    assert queue.count == 1 and labels(queue) == ["QT-SOON"]
    assert queue.rows[0].tone == "warning"


def test_order_changes_of_the_week(people):
    order = SalesOrderFactory(
        order_no="SO-C", customer=CustomerFactory(salesperson=people["sales"])
    )
    OrderChange.objects.create(number="OC-NEW", order=order, kind="due_date", reason="r")
    OrderChange.objects.create(
        number="OC-OLD",
        order=order,
        kind="due_date",
        reason="r",
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    assert labels(panel(people["sales"], "recent-changes")) == ["OC-NEW"]


def test_credit_approvals_waiting(people):
    order = SalesOrderFactory(order_no="SO-CR", status="credit_hold")
    money = {"order_value": 100, "exposure": 0, "credit_limit": 50}
    CreditApproval.objects.create(order=order, customer=order.customer, **money)
    done = SalesOrderFactory(order_no="SO-CR2")
    CreditApproval.objects.create(order=done, customer=done.customer, decision="approved", **money)
    queue = panel(people["manager"], "credit-approvals")
    assert queue.count == 1 and labels(queue) == ["SO-CR"]


# --- warehouse and purchasing -----------------------------------------------------------------


def test_receipts_due_and_purchase_orders_due(people):
    PurchaseOrderLineFactory(purchase_order__po_no="PO-LATE", line=1, due_date=in_days(-1))
    PurchaseOrderLineFactory(purchase_order__po_no="PO-TODAY", line=1, due_date=in_days(0))
    PurchaseOrderLineFactory(purchase_order__po_no="PO-SOON", line=1, due_date=in_days(5))
    PurchaseOrderLineFactory(
        purchase_order__po_no="PO-IN",
        line=1,
        due_date=in_days(-1),
        quantity=Decimal(3),
        received_quantity=Decimal(3),
    )
    PurchaseOrderLineFactory(
        purchase_order__po_no="PO-X",
        purchase_order__status=PurchaseOrder.Status.CANCELLED,
        line=1,
        due_date=in_days(-1),
    )
    receipts = panel(people["warehouse"], "receipts-due")
    assert receipts.count == 2 and labels(receipts) == ["PO-LATE/1", "PO-TODAY/1"]
    assert receipts.rows[0].tone == "danger"
    assert labels(panel(people["purchasing"], "po-due")) == ["PO-LATE/1", "PO-TODAY/1", "PO-SOON/1"]


def test_orders_ready_to_pick_and_to_ship(people):
    main = Warehouse.objects.get(code="MAIN")
    usable = Location.objects.get(warehouse=main, kind="usable")
    ready = SalesOrderFactory(order_no="SO-PICK", material_status=MaterialStatus.COVERED)
    line = SalesOrderLineFactory(order=ready, due_date=in_days(2), quantity=Decimal(4))
    picked = SalesOrderFactory(order_no="SO-PICKED", material_status=MaterialStatus.COVERED)
    SalesOrderLineFactory(order=picked, due_date=in_days(2))
    MaterialSlip.objects.create(number="PK-1", kind=SlipKind.PICK, order=picked, warehouse=main)
    short = SalesOrderFactory(order_no="SO-SHORT", material_status=MaterialStatus.SHORT)
    SalesOrderLineFactory(order=short, due_date=in_days(2), item=line.item)
    draft = SalesOrderFactory(
        order_no="SO-DRAFT", status="draft", material_status=MaterialStatus.COVERED
    )
    SalesOrderLineFactory(order=draft, due_date=in_days(2))
    assert labels(panel(people["warehouse"], "ready-to-pick")) == ["SO-PICK"]

    StockBalance.objects.create(item=line.item, location=usable, quantity=Decimal(4))
    ship = panel(people["warehouse"], "ready-to-ship")
    # SO-SHORT's line (10 of the same item) is not covered by 4 in stock.
    assert ship.count == 1 and labels(ship) == [f"SO-PICK/{line.line}"]
    assert "order=SO-PICK" in ship.rows[0].url


def test_return_requests_to_confirm(people):
    main = Warehouse.objects.get(code="MAIN")
    order = SalesOrderFactory(order_no="SO-RR")
    ReturnRequest.objects.create(number="RR-1", order=order, warehouse=main)
    ReturnRequest.objects.create(number="RR-2", order=order, warehouse=main, status="rejected")
    assert labels(panel(people["warehouse"], "return-requests")) == ["RR-1"]


def test_late_shortfalls_of_the_latest_run(people):
    assert panel(people["purchasing"], "late-shortfalls").count == 0  # no run yet
    item = ItemFactory(code="STEEL")
    old = MrpRun.objects.create(as_of=in_days(-9), trigger="t", status="succeeded")
    run = MrpRun.objects.create(as_of=today(), trigger="t", status="succeeded")
    MrpRun.objects.filter(pk=old.pk).update(started_at=timezone.now() - dt.timedelta(days=9))

    def planned(on_run, release, late=False, kind="purchase"):
        return PlannedOrder.objects.create(
            run=on_run,
            item=item,
            kind=kind,
            quantity=Decimal(5),
            due_date=release + dt.timedelta(days=7),
            release_date=release,
            late=late,
        )

    planned(run, in_days(-2))
    planned(run, in_days(4), late=True)
    planned(run, in_days(4))  # still time to order
    planned(run, in_days(-2), kind="production")
    planned(old, in_days(-5))
    queue = panel(people["purchasing"], "late-shortfalls")
    assert queue.count == 2 and labels(queue) == ["STEEL", "STEEL"]
    assert today().isoformat() in queue.note


# --- production, quality, manager -------------------------------------------------------------


def test_plans_awaiting_approval(people):
    for number, status in (("PP-1", PlanStatus.SUBMITTED), ("PP-2", PlanStatus.DRAFT)):
        ProductionPlan.objects.create(
            number=number, period_start=today(), period_end=in_days(6), status=status
        )
    assert labels(panel(people["production"], "plans-to-approve")) == ["PP-1 r1"]
    assert panel(people["manager"], "plans-to-approve").count == 1


def test_machines_whose_daily_report_is_missing(people):
    plan = ProductionPlan.objects.create(
        number="PP-A", period_start=in_days(-1), period_end=in_days(5), status="approved"
    )
    process = ProcessFactory(code="CUT")
    line = SalesOrderLineFactory(due_date=in_days(5))
    machines = {code: WorkCenterFactory(code=code) for code in ("M1", "M2", "M3")}
    for code, start, end in (("M1", -1, 2), ("M2", 0, 0), ("M3", 2, 4)):
        PlanLine.objects.create(
            plan=plan,
            order_line=line,
            item=line.item,
            quantity=Decimal(1),
            process=process,
            work_center=machines[code],
            start_date=in_days(start),
            end_date=in_days(end),
            due_date=line.due_date,
        )
    DailyReport.objects.create(
        date=today(), work_center=machines["M2"], process=process, order_line=line
    )
    queue = panel(people["production"], "daily-reports-missing")
    assert queue.count == 1 and labels(queue) == ["M1"]
    assert "machine=M1" in queue.rows[0].url


def test_quality_queues(people):
    item = ItemFactory(code="BOLT")
    main = Warehouse.objects.get(code="MAIN")
    for number, status in (("IL-1", "on_hold"), ("IL-2", "done")):
        InspectionLot.objects.create(
            number=number,
            kind=InspectionKind.INCOMING,
            status=status,
            item=item,
            warehouse=main,
            quantity=Decimal(5),
        )
    for number, status in (("NCR-1", "open"), ("NCR-2", "closed")):
        Nonconformance.objects.create(
            number=number, source="other", status=status, item=item, quantity=1, defect_reason="x"
        )
    assert labels(panel(people["quality"], "inspections")) == ["IL-1"]
    assert labels(panel(people["quality"], "open-ncrs")) == ["NCR-1"]


def test_manager_approvals(people):
    item = ItemFactory(code="NUT")
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    counts = {"item": item, "location": usable, "counted_quantity": 1, "book_quantity": 2}
    StockAdjustment.objects.create(number="ADJ-1", reason="count", **counts)
    StockAdjustment.objects.create(number="ADJ-2", reason="count", status="approved", **counts)
    Portfolio.objects.create(
        number="PF-1", month=today().replace(day=1), status="in_approval", level="manager"
    )
    Portfolio.objects.create(
        number="PF-2",
        month=(today().replace(day=1) - dt.timedelta(days=1)).replace(day=1),
        status="in_approval",
        level="planner",
    )
    manager = people["manager"]
    assert labels(panel(manager, "stock-counts")) == ["ADJ-1"]
    assert labels(panel(manager, "portfolio-waiting")) == ["PF-1"]


# --- the page ---------------------------------------------------------------------------------


def test_home_page_shows_the_panels_with_links(client, people):
    seller = people["sales"]
    order = SalesOrderFactory(order_no="SO-HOME", customer=CustomerFactory(salesperson=seller))
    SalesOrderLineFactory(order=order, due_date=in_days(-1))
    client.force_login(seller)
    html = client.get(reverse("home")).content.decode()
    block = html[html.index('data-testid="late-orders"') :]
    assert reverse("orders:order-detail", args=["SO-HOME"]) in block
    assert 'data-testid="late-orders-count">1<' in html
    assert 'data-testid="role-card-sales"' in html


def _busy_factory(seller):
    """Several of everything, so that a query per row would show."""
    main = Warehouse.objects.get(code="MAIN")
    for n in range(6):
        customer = CustomerFactory(code=f"BUSY{n}", salesperson=seller)
        order = SalesOrderFactory(order_no=f"SO-B{n}", customer=customer)
        SalesOrderLineFactory(order=order, due_date=in_days(-1))
        ContactSlip.objects.create(number=f"CS-B{n}", order=order, reason="behind")
        FollowUp.objects.create(customer=customer, owner=seller, due_date=today(), purpose="x")
        ReturnRequest.objects.create(number=f"RR-B{n}", order=order, warehouse=main)
        OrderChange.objects.create(number=f"OC-B{n}", order=order, kind="due_date", reason="r")
        PurchaseOrderLineFactory(purchase_order__po_no=f"PO-B{n}", line=1, due_date=today())
        ProductionPlan.objects.create(
            number=f"PP-B{n}", period_start=today(), period_end=today(), status="submitted"
        )


# Queries of the page besides the panels: session, user, roles, notifications, the menu.
@pytest.mark.parametrize(
    "role,most", [(r, n) for r, n in zip(Role.values, (18, 14, 9, 12, 10, 28, 43), strict=True)]
)
def test_home_page_queries_do_not_grow_with_the_factory(
    client, people, role, most, django_assert_max_num_queries
):
    _busy_factory(people["sales"])
    user = people[role]
    if role == Role.ADMIN.value:
        user.is_staff = True
        user.save()
    client.force_login(user)
    client.get(reverse("home"))  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    for n in range(6, 12):  # twice as much of everything
        customer = CustomerFactory(code=f"MORE{n}", salesperson=people["sales"])
        order = SalesOrderFactory(order_no=f"SO-M{n}", customer=customer)
        SalesOrderLineFactory(order=order, due_date=in_days(-1))
        ContactSlip.objects.create(number=f"CS-M{n}", order=order, reason="behind")
    with django_assert_max_num_queries(most), CaptureQueriesContext(connection) as many:
        assert client.get(reverse("home")).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
