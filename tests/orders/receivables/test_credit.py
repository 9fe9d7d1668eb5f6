"""The credit check at order confirmation (CONTRACT 8): limit, overdue invoices, the hold,
approval and rejection."""

from decimal import Decimal

import pytest

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from orders.errors import OrderStateError
from orders.models import OrderStatus
from orders.receivables.credit import (
    CreditDecisionForbidden,
    approve_credit,
    credit_check,
    reject_credit,
)
from orders.receivables.exposure import credit_exposure
from orders.receivables.models import CreditApproval, CreditDecision, InvoiceStatus
from orders.services.shipments import ship
from orders.services.slips import SlipLineInput, issue_slip
from tests.orders.receivables.credit_support import (
    build_credit_shop,
    confirm,
    credit_settings,
    draft,
    invoice,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contract_settings():
    with credit_settings():
        yield


@pytest.fixture
def credit_shop(db, make_user):
    return build_credit_shop(make_user)


ORDER_VALUE = D("706.25")  # 50 x 12.5 x 1.13


def _limit(shop, limit):
    shop["customer"].credit_limit = D(limit)
    shop["customer"].save()


def test_limit_zero_is_no_limit(credit_shop):
    confirm(credit_shop, draft(credit_shop, "1000"))  # exposure 14,125.00
    order = confirm(credit_shop, draft(credit_shop))
    assert order.status == OrderStatus.CONFIRMED
    assert not CreditApproval.objects.exists()


def test_exactly_at_the_limit_confirms(credit_shop):
    confirm(credit_shop, draft(credit_shop, "8", "12.5"))  # exposure 100 x 1.13 = 113.00
    _limit(credit_shop, D("113.00") + ORDER_VALUE)
    figures = credit_check(draft(credit_shop))
    assert (figures.exposure, figures.order_value) == (D("113.00"), ORDER_VALUE)
    order = confirm(credit_shop, draft(credit_shop))
    assert order.status == OrderStatus.CONFIRMED
    assert order.confirmed_by == credit_shop["sales"]


def test_one_cent_above_the_limit_holds(credit_shop):
    confirm(credit_shop, draft(credit_shop, "8", "12.5"))
    _limit(credit_shop, D("113.00") + ORDER_VALUE - D("0.01"))
    order = confirm(credit_shop, draft(credit_shop))
    assert order.status == OrderStatus.CREDIT_HOLD
    assert order.confirmed_at is None
    approval = CreditApproval.objects.get(order=order)
    assert approval.decision == CreditDecision.PENDING
    assert (approval.order_value, approval.exposure, approval.credit_limit) == (
        ORDER_VALUE,
        D("113.00"),
        D("819.24"),
    )
    assert approval.over_limit and not approval.overdue
    assert approval.created_by == credit_shop["sales"]
    # The managers are told, with a link to the queue.
    note = Notification.objects.get(user=credit_shop["manager"])
    assert order.order_no in note.message and "exposure 113.00" in note.message
    assert "limit 819.24" in note.message
    assert note.url == "/orders/credit/"


def test_open_invoices_and_unallocated_credit_count_in_the_exposure(credit_shop):
    invoice(credit_shop["customer"], due_in_days=10, gross="500.00", allocated="100.00")
    _limit(credit_shop, D("400.00") + ORDER_VALUE)
    assert confirm(credit_shop, draft(credit_shop)).status == OrderStatus.CONFIRMED
    invoice(credit_shop["customer"], due_in_days=10, gross="0.01")
    assert confirm(credit_shop, draft(credit_shop, "1", "0")).status == OrderStatus.CREDIT_HOLD


def test_held_order_is_not_counted_twice_and_not_in_the_exposure(credit_shop):
    _limit(credit_shop, "100")
    held = confirm(credit_shop, draft(credit_shop))
    assert held.status == OrderStatus.CREDIT_HOLD
    assert credit_exposure(credit_shop["customer"]) == D("0.00")
    # Confirming again leaves it waiting, with its one pending approval.
    again = confirm(credit_shop, held)
    assert again.status == OrderStatus.CREDIT_HOLD
    assert CreditApproval.objects.filter(order=held).count() == 1


@pytest.mark.parametrize(("days", "held"), [(30, False), (31, True)])
def test_overdue_days(credit_shop, days, held):
    invoice(credit_shop["customer"], due_in_days=-days)
    order = confirm(credit_shop, draft(credit_shop))
    assert order.status == (OrderStatus.CREDIT_HOLD if held else OrderStatus.CONFIRMED)
    if held:
        approval = CreditApproval.objects.get(order=order)
        assert approval.overdue and not approval.over_limit and approval.overdue_days == 31


def test_paid_or_cancelled_invoices_are_not_overdue(credit_shop):
    customer = credit_shop["customer"]
    invoice(customer, due_in_days=-90, gross="100.00", allocated="100.00")
    invoice(customer, due_in_days=-90, status=InvoiceStatus.CANCELLED)
    invoice(customer, due_in_days=-10)
    figures = credit_check(draft(credit_shop))
    assert figures.overdue_days == 10 and not figures.held


def test_approval_confirms_and_tells_the_salesperson(credit_shop):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    approve_credit(approval=approval, by=credit_shop["manager"], reason="Paid in advance")
    order.refresh_from_db()
    approval.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.confirmed_by == credit_shop["manager"] and order.confirmed_at is not None
    assert approval.decision == CreditDecision.APPROVED
    assert approval.decided_by == credit_shop["manager"] and approval.decided_at is not None
    assert approval.reason == "Paid in advance"
    note = Notification.objects.get(user=credit_shop["sales"])
    assert "approved" in note.message and "Paid in advance" in note.message
    assert note.url == f"/orders/order/{order.order_no}/"
    # Once confirmed, its value counts in the exposure.
    assert credit_exposure(credit_shop["customer"]) == ORDER_VALUE


def test_rejection_needs_a_reason_and_returns_the_order_to_draft(credit_shop):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    with pytest.raises(DomainError) as refused:
        reject_credit(approval=approval, by=credit_shop["manager"], reason="  ")
    assert refused.value.field == "reason"
    order.refresh_from_db()
    assert order.status == OrderStatus.CREDIT_HOLD
    reject_credit(approval=approval, by=credit_shop["manager"], reason="Two invoices unpaid")
    order.refresh_from_db()
    approval.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert approval.decision == CreditDecision.REJECTED
    assert approval.reason == "Two invoices unpaid"
    note = Notification.objects.get(user=credit_shop["sales"])
    assert "rejected" in note.message and "Two invoices unpaid" in note.message
    # The draft may be confirmed again: checked again, a new approval.
    assert confirm(credit_shop, order).status == OrderStatus.CREDIT_HOLD
    assert CreditApproval.objects.filter(order=order).count() == 2


def test_deciding_twice_is_refused(credit_shop):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    approve_credit(approval=approval, by=credit_shop["manager"])
    with pytest.raises(ConflictError, match="already decided"):
        reject_credit(approval=approval, by=credit_shop["manager"], reason="No")
    with pytest.raises(ConflictError):
        approve_credit(approval=approval, by=credit_shop["manager"])


def test_an_order_no_longer_on_hold_is_not_decided(credit_shop):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    order.status = OrderStatus.CANCELLED
    order.save()
    with pytest.raises(ConflictError, match="no longer waits"):
        approve_credit(approval=approval, by=credit_shop["manager"])


@pytest.mark.parametrize("role", ["sales", "warehouse"])
def test_only_managers_decide(credit_shop, role):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    with pytest.raises(CreditDecisionForbidden) as refused:
        approve_credit(approval=approval, by=credit_shop[role])
    assert refused.value.status_code == 403
    with pytest.raises(CreditDecisionForbidden):
        reject_credit(approval=approval, by=credit_shop[role], reason="no")


def test_admin_decides(credit_shop, admin_user):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    approve_credit(approval=CreditApproval.objects.get(order=order), by=admin_user)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_held_orders_are_not_shipped_nor_picked(credit_shop):
    _limit(credit_shop, "100")
    order = confirm(credit_shop, draft(credit_shop))
    with pytest.raises(OrderStateError, match="nothing can be shipped"):
        ship(user=credit_shop["warehouse"], order_no=order.order_no, lines=[(1, D("1"))])
    with pytest.raises(OrderStateError, match="nothing can be issued"):
        issue_slip(
            kind="pick",
            order_no=order.order_no,
            lines=[SlipLineInput(line=1, item="F", quantity=D("1"))],
            user=credit_shop["warehouse"],
        )
