"""Pages of the credit check: the confirm button's answer, the approval queue (订单审核)
for managers, approve / reject with a reason, the decision on the order page."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from erp.models import Notification
from orders.models import OrderStatus
from orders.receivables.models import CreditApproval
from tests.factories import CustomerFactory
from tests.orders.receivables.credit_support import (
    build_credit_shop,
    confirm,
    credit_settings,
    draft,
    invoice,
)

D = Decimal
QUEUE = "/orders/credit/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contract_settings():
    with credit_settings():
        yield


@pytest.fixture
def credit_shop(db, make_user):
    shop = build_credit_shop(make_user)
    shop["customer"].credit_limit = D("100")
    shop["customer"].save()
    return shop


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_confirm_button_tells_the_order_waits(client, credit_shop):
    order = draft(credit_shop)
    client.force_login(credit_shop["sales"])
    response = client.post(f"/orders/order/{order.order_no}/confirm/", follow=True)
    assert response.status_code == 200
    text = _messages(response)
    assert text == [
        f"Order {order.order_no} waits for credit approval: exposure 0.00, order value 706.25, "
        "limit 100.00. A manager decides; you will be told."
    ]
    page = response.content.decode()
    assert 'data-testid="credit-approval"' in page and "awaiting credit approval" in page
    assert 'data-testid="confirm-order"' not in page


def test_queue_lists_pending_and_is_for_managers(client, credit_shop, make_user):
    order = confirm(credit_shop, draft(credit_shop))
    invoice(credit_shop["customer"], due_in_days=-3)
    client.force_login(credit_shop["manager"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert order.order_no in page and "706.25" in page and "100.00" in page
    assert "1 open, 1 overdue" in page
    for role in ("sales", "warehouse"):
        client.force_login(credit_shop[role])
        assert client.get(QUEUE).status_code == 403


def test_queue_runs_a_fixed_number_of_queries(client, credit_shop, django_assert_max_num_queries):
    for n in range(5):
        customer = CustomerFactory(
            code=f"K{n}", salesperson=credit_shop["sales"], credit_limit=D("1")
        )
        confirm(credit_shop, draft(credit_shop, customer=customer))
    client.force_login(credit_shop["manager"])
    with django_assert_max_num_queries(14):
        response = client.get(QUEUE)
    assert response.content.decode().count('data-testid="approve-') == 5


def test_approve_from_the_queue(client, credit_shop):
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    client.force_login(credit_shop["manager"])
    response = client.post(f"{QUEUE}{approval.pk}/approve/", {"reason": ""}, follow=True)
    assert _messages(response) == [f"Credit approved: order {order.order_no} is confirmed."]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert Notification.objects.filter(user=credit_shop["sales"]).exists()
    # Twice: refused with the reason, nothing changes.
    response = client.post(f"{QUEUE}{approval.pk}/approve/", follow=True)
    assert "already decided" in _messages(response)[0]


def test_reject_needs_a_reason_and_the_order_page_shows_it(client, credit_shop):
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    client.force_login(credit_shop["manager"])
    response = client.post(f"{QUEUE}{approval.pk}/reject/", {"reason": ""}, follow=True)
    assert _messages(response) == ["Give the reason for rejecting the order."]
    response = client.post(f"{QUEUE}{approval.pk}/reject/", {"reason": "Pay INV first"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    client.force_login(credit_shop["sales"])
    page = client.get(f"/orders/order/{order.order_no}/").content.decode()
    assert 'data-testid="credit-reason"' in page and "Pay INV first" in page
    assert 'data-testid="confirm-order"' in page


def test_sales_cannot_decide_by_posting(client, credit_shop):
    order = confirm(credit_shop, draft(credit_shop))
    approval = CreditApproval.objects.get(order=order)
    client.force_login(credit_shop["sales"])
    assert client.post(f"{QUEUE}{approval.pk}/approve/").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.CREDIT_HOLD


def test_menu_entry_for_managers_only(client, credit_shop):
    client.force_login(credit_shop["manager"])
    assert QUEUE in client.get("/").content.decode()
    client.force_login(credit_shop["sales"])
    assert QUEUE not in client.get("/").content.decode()


def test_held_orders_are_listed_with_their_label(client, credit_shop):
    order = confirm(credit_shop, draft(credit_shop))
    client.force_login(credit_shop["sales"])
    page = client.get("/orders/").content.decode()
    assert order.order_no in page and "awaiting credit approval" in page


def test_an_order_cancelled_meanwhile_drops_out_of_the_queue(client, credit_shop):
    order = confirm(credit_shop, draft(credit_shop))
    order.status = OrderStatus.CANCELLED
    order.save()
    client.force_login(credit_shop["manager"])
    page = client.get(QUEUE).content.decode()
    assert order.order_no not in page and "No order waits for credit approval." in page
