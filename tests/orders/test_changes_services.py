"""Order change notices: each kind, the refusals, nothing shipped or picked disappears,
re-planning and the people told."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from erp.errors import DomainError
from erp.models import Notification
from orders.errors import OrderStateError
from orders.models import LineStatus, OrderChange, OrderStatus
from orders.selectors.orders import returns_due
from orders.services.changes import change_apply
from orders.services.slips import SlipLineInput, issue_slip
from tests.factories import UserFactory
from tests.orders.orders_support import build_shop, new_order

D = Decimal


@pytest.fixture
def shop(db, make_user):
    return build_shop(make_user)


DUE = dt.date(2026, 3, 20)


def ship(line, quantity):
    line.shipped_quantity = D(quantity)
    line.save(update_fields=["shipped_quantity"])


def apply(shop, order, kind, line=1, **values):
    return change_apply(
        user=shop["sales"],
        order=order,
        kind=kind,
        reason="customer asked",
        order_line=line,
        **values,
    )


def messages_for(user):
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_due_date_change_is_recorded_and_applied(shop):
    order = new_order(shop)
    change = apply(shop, order, "due_date", new_due_date=dt.date(2026, 4, 2))
    line = order.lines.get()
    assert line.due_date == dt.date(2026, 4, 2)
    assert change.number.startswith("CN-") and change.created_by == shop["sales"]
    assert change.before == {"due_date": "2026-03-20"} and change.reason == "customer asked"
    assert change.order_line == line and change.new_due_date == dt.date(2026, 4, 2)


def test_quantity_change(shop):
    order = new_order(shop)
    change = apply(shop, order, "quantity", new_quantity="60")
    assert order.lines.get().quantity == D("60")
    assert change.before["quantity"] == "50" and change.new_quantity == D("60")


def test_specification_change(shop):
    order = new_order(shop)
    change = apply(shop, order, "specification", new_specification="  blue paint ")
    assert order.lines.get().specification == "blue paint"
    assert change.before == {"specification": ""} and change.new_specification == "blue paint"


def test_cancel_a_line_leaves_the_others(shop):
    order = new_order(shop, ("F", "50", DUE), ("K", "2", DUE))
    apply(shop, order, "cancel", line=2)
    order.refresh_from_db()
    assert dict(order.lines.values_list("line", "status")) == {1: "open", 2: "cancelled"}
    assert order.status == OrderStatus.CONFIRMED


def test_cancel_every_line_cancels_the_order(shop):
    order = new_order(shop)
    apply(shop, order, "cancel", line=1)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_cancel_the_whole_order(shop):
    order = new_order(shop, ("F", "50", DUE), ("K", "2", DUE))
    change = apply(shop, order, "cancel", line=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and change.order_line is None
    assert set(order.lines.values_list("status", flat=True)) == {LineStatus.CANCELLED}
    assert change.before["status"] == "confirmed"
    assert change.before["lines"]["2"] == {
        "status": "open",
        "quantity": "2",
        "shipped_quantity": "0",
    }


def test_a_draft_can_be_cancelled(shop):
    order = new_order(shop, confirm=False)
    apply(shop, order, "cancel", line=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_quantity_below_shipped_is_refused(shop):
    order = new_order(shop)
    ship(order.lines.get(), "30")
    with pytest.raises(DomainError) as refused:
        apply(shop, order, "quantity", new_quantity="29")
    assert str(refused.value) == (
        "Line 1: 30 pcs already shipped; the quantity cannot go below 30."
    )
    assert refused.value.field == "new_quantity"
    assert order.lines.get().quantity == D("50") and not OrderChange.objects.exists()


def test_quantity_down_to_shipped_ships_the_order(shop):
    order = new_order(shop)
    ship(order.lines.get(), "30")
    apply(shop, order, "quantity", new_quantity="30")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2.5", "F is counted in pcs with 0 decimals; 2.5 has more."),
        ("0", "The new quantity must be greater than 0."),
        ("-1", "The new quantity must be greater than 0."),
        ("many", "Give the new quantity as a number."),
        (None, "Give the new quantity as a number."),
        ("50", "Line 1 is already 50 pcs."),
    ],
)
def test_bad_quantities_are_refused(shop, value, message):
    order = new_order(shop)
    with pytest.raises(DomainError) as refused:
        apply(shop, order, "quantity", new_quantity=value)
    assert str(refused.value) == message


def test_a_kg_quantity_fits_three_decimals(shop):
    order = new_order(shop, ("K", "2", DUE))
    apply(shop, order, "quantity", new_quantity="2.125")
    assert order.lines.get().quantity == D("2.125")
    with pytest.raises(DomainError, match="K is counted in kg with 3 decimals; 2.1255 has more"):
        apply(shop, order, "quantity", new_quantity="2.1255")


def test_due_date_before_the_order_date_is_refused(shop):
    order = new_order(shop)
    with pytest.raises(DomainError, match="2026-03-01 is before the order date 2026-03-02"):
        apply(shop, order, "due_date", new_due_date=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="Give the new due date"):
        apply(shop, order, "due_date", new_due_date=None)


def test_reason_is_required(shop):
    order = new_order(shop)
    with pytest.raises(DomainError, match="Give the reason") as refused:
        change_apply(
            user=shop["sales"],
            order=order,
            kind="due_date",
            reason="  ",
            order_line=1,
            new_due_date=dt.date(2026, 4, 1),
        )
    assert refused.value.field == "reason"


def test_unknown_kind_and_line_are_refused(shop):
    order = new_order(shop)
    with pytest.raises(DomainError, match="must be cancel, due_date, quantity or specification"):
        apply(shop, order, "colour")
    with pytest.raises(DomainError, match="has no line 7"):
        apply(shop, order, "due_date", line=7, new_due_date=dt.date(2026, 4, 1))
    with pytest.raises(DomainError, match="Choose the order line"):
        apply(shop, order, "quantity", line=None, new_quantity="3")


@pytest.mark.parametrize("final", ["closed", "cancelled"])
def test_no_change_to_a_closed_or_cancelled_order(shop, final):
    order = new_order(shop)
    order.status = final
    order.save()
    with pytest.raises(OrderStateError, match=f"is {final}; it cannot be changed"):
        apply(shop, order, "due_date", new_due_date=dt.date(2026, 4, 1))


def test_a_cancelled_line_cannot_be_changed(shop):
    order = new_order(shop, ("F", "50", DUE), ("K", "2", DUE))
    apply(shop, order, "cancel", line=2)
    with pytest.raises(OrderStateError, match="Line 2 of order .* is cancelled"):
        apply(shop, order, "quantity", line=2, new_quantity="3")


def test_cancelling_a_shipped_line_closes_it_at_the_shipped_quantity(shop):
    order = new_order(shop, ("F", "50", DUE), ("K", "2", DUE))
    first = order.lines.get(line=1)
    ship(first, "30")
    change = apply(shop, order, "cancel", line=1)
    first.refresh_from_db()
    assert first.status == LineStatus.CLOSED and first.quantity == D("30")
    assert first.shipped_quantity == D("30")
    assert "Line 1 had 30 pcs shipped: it is closed at 30 pcs instead of cancelled." in (
        change.outcome
    )
    assert change.before == {"status": "open", "quantity": "50", "shipped_quantity": "30"}


def test_cancelling_an_order_with_shipments_closes_it(shop):
    order = new_order(shop, ("F", "50", DUE), ("K", "2", DUE))
    ship(order.lines.get(line=1), "30")
    order.status = OrderStatus.PARTLY_SHIPPED
    order.save()
    apply(shop, order, "cancel", line=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert dict(order.lines.values_list("line", "status")) == {1: "closed", 2: "cancelled"}


def test_cancel_with_material_picked_opens_the_returns_and_tells_the_warehouse(shop):
    order = new_order(shop)  # 50 F need 50 x 0.4 x 1.05 = 21 kg R
    issue_slip(
        kind="pick",
        order_no=order.order_no,
        lines=[SlipLineInput(1, "R", D("12.5"))],
        user=shop["warehouse"],
    )
    change = apply(shop, order, "cancel", line=1)
    assert "Material to return to the warehouse: R 12.5 kg (line 1)." in change.outcome
    (message,) = messages_for(shop["warehouse"])
    assert message.startswith(f"Returns due for order {order.order_no} after change")
    assert "R 12.5 kg (line 1)" in message
    assert [(d.item.code, d.quantity) for d in returns_due(lines=order.lines.all())] == [
        ("R", D("12.5"))
    ]
    # Once the warehouse takes it back, nothing is due.
    issue_slip(
        kind="return",
        order_no=order.order_no,
        lines=[SlipLineInput(1, "R", D("12.5"), "surplus")],
        user=shop["warehouse"],
    )
    assert returns_due(lines=order.lines.all()) == []


def test_quantity_below_what_was_picked_opens_returns(shop):
    order = new_order(shop)  # limit 21 kg
    issue_slip(
        kind="pick",
        order_no=order.order_no,
        lines=[SlipLineInput(1, "R", D("21"))],
        user=shop["warehouse"],
    )
    change = apply(shop, order, "quantity", new_quantity="40")  # needs 16.8 kg
    assert "R 4.2 kg (line 1)" in change.outcome
    assert "R 4.2 kg" in messages_for(shop["warehouse"])[0]
    increase = apply(shop, order, "quantity", new_quantity="45")  # needs 18.9 kg
    assert "R 2.1 kg (line 1)" in increase.outcome


def test_a_change_without_picks_opens_no_returns(shop):
    order = new_order(shop)
    change = apply(shop, order, "cancel", line=1)
    assert change.outcome == ""
    assert "Returns due" not in messages_for(shop["warehouse"])[0]


def test_replan_needed_and_the_people_told(shop):
    order = new_order(shop)
    assert order.replan_needed is False
    bystander = UserFactory(username="qc", roles=["quality"])
    change = change_apply(
        user=shop["warehouse"],  # applied by someone other than the salesperson
        order=order,
        kind="due_date",
        reason="customer moved the date",
        order_line=1,
        new_due_date=dt.date(2026, 4, 2),
    )
    order.refresh_from_db()
    assert order.replan_needed is True
    (told,) = messages_for(shop["sales"])
    assert told.startswith(f"Order change {change.number} on order {order.order_no} (C1)")
    assert "line 1 due date 2026-03-20 -> 2026-04-02" in told
    assert "Reason: customer moved the date" in told
    assert messages_for(shop["production"]) == [told]
    assert messages_for(shop["warehouse"]) == []  # the one who applied it
    assert messages_for(bystander) == []
    assert Notification.objects.get(user=shop["sales"]).url.endswith(f"/{order.order_no}/")


def test_e_mail_goes_to_people_with_an_address(shop, django_capture_on_commit_callbacks):
    order = new_order(shop)
    with django_capture_on_commit_callbacks(execute=True):
        apply(shop, order, "quantity", new_quantity="55")
    # The salesperson applied it; the warehouse clerk has an address, production has none.
    assert [m.to for m in mail.outbox] == [["zhao@example.com"]]


def test_a_refused_change_writes_nothing(shop):
    order = new_order(shop)
    ship(order.lines.get(), "30")
    with pytest.raises(DomainError):
        apply(shop, order, "quantity", new_quantity="10")
    order.refresh_from_db()
    assert order.replan_needed is False
    assert not Notification.objects.exists() and not OrderChange.objects.exists()
