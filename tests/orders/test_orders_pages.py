"""Order pages: my orders with its filters and highlights, the detail with its history,
entering, editing and confirming a draft, who may do what, a bounded number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from materials.models import Warehouse
from orders.models import MaterialStatus, OrderStatus, SalesOrder
from orders.services.changes import change_apply
from orders.services.slips import SlipLineInput, issue_slip
from production.models import FinishedGoodsReceipt
from tests.factories import (
    CustomerFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    ShipmentFactory,
)
from tests.orders.orders_support import build_shop, new_order

D = Decimal


def today():
    """The factory's today, read when used (a module constant goes stale at midnight)."""
    return timezone.localdate()


@pytest.fixture
def shop(db, make_user):
    return build_shop(make_user)


def rows(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [o.order_no for o in response.context["page"]]


def order_for(customer, no, due, *, status="confirmed", material="unknown", shipped="0"):
    order = SalesOrderFactory(
        order_no=no,
        customer=customer,
        status=status,
        material_status=material,
        order_date=today() - dt.timedelta(days=30),
    )
    SalesOrderLineFactory(
        order=order, line=1, quantity=D("10"), shipped_quantity=D(shipped), due_date=due
    )
    return order


def test_sales_sees_their_customers_orders_by_default(client, shop, make_user):
    other_sales = make_user("sales", username="other")
    theirs = CustomerFactory(code="C2", salesperson=other_sales)
    order_for(shop["customer"], "MINE-1", today() + dt.timedelta(days=20))
    order_for(theirs, "THEIRS-1", today() + dt.timedelta(days=20))
    client.force_login(shop["sales"])
    assert rows(client.get(reverse("orders:order-list"))) == ["MINE-1"]
    # A plain salesperson cannot switch to everyone's orders.
    assert rows(client.get(reverse("orders:order-list"), {"scope": "all"})) == ["MINE-1"]


def test_managers_switch_between_all_and_mine(client, shop, make_user):
    order_for(shop["customer"], "MINE-1", today() + dt.timedelta(days=20))
    manager = make_user("manager")
    client.force_login(manager)
    assert rows(client.get(reverse("orders:order-list"))) == ["MINE-1"]
    assert rows(client.get(reverse("orders:order-list"), {"scope": "mine"})) == []
    response = client.get(reverse("orders:order-list"))
    assert b'name="scope"' in response.content


def test_filters_by_state_customer_and_due_week(client, shop):
    monday = today() - dt.timedelta(days=today().weekday()) + dt.timedelta(days=14)
    order_for(shop["customer"], "A", monday + dt.timedelta(days=2))
    order_for(shop["customer"], "B", monday + dt.timedelta(days=9))
    order_for(shop["customer"], "DONE", monday, status="closed")
    client.force_login(shop["sales"])
    url = reverse("orders:order-list")
    assert set(rows(client.get(url))) == {"A", "B"}  # active by default
    assert set(rows(client.get(url, {"status": "all"}))) == {"A", "B", "DONE"}
    assert rows(client.get(url, {"status": "closed"})) == ["DONE"]
    year, week, _ = monday.isocalendar()
    assert rows(client.get(url, {"week": f"{year}-W{week:02d}"})) == ["A"]
    assert rows(client.get(url, {"customer": "acme"})) == ["A", "B"]
    assert rows(client.get(url, {"customer": "nobody"})) == []
    response = client.get(url, {"week": "next week"})
    assert response.status_code == 200 and b"Give a week as 2026-W10." in response.content


def test_overdue_in_red_at_risk_in_amber(client, shop):
    order_for(shop["customer"], "LATE", today() - dt.timedelta(days=1))
    order_for(shop["customer"], "SOON", today() + dt.timedelta(days=3), material="short")
    order_for(shop["customer"], "SOON-OK", today() + dt.timedelta(days=3), material="covered")
    order_for(shop["customer"], "LATER", today() + dt.timedelta(days=30), material="short")
    order_for(
        shop["customer"],
        "SHIPPED-LATE",
        today() - dt.timedelta(days=1),
        shipped="10",
        status="shipped",
    )
    client.force_login(shop["sales"])
    response = client.get(reverse("orders:order-list"), {"status": "all"})
    flags = {o.order_no: (o.overdue_lines, o.at_risk_lines) for o in response.context["page"]}
    assert flags == {
        "LATE": (1, 0),
        "SOON": (0, 1),
        "SOON-OK": (0, 0),
        "LATER": (0, 0),
        "SHIPPED-LATE": (0, 0),
    }
    html = response.content.decode()
    assert 'class="table-danger" data-testid="order-row" data-order="LATE"' in html
    assert 'class="table-warning" data-testid="order-row" data-order="SOON"' in html
    assert 'class="" data-testid="order-row" data-order="SOON-OK"' in html


def test_material_status_badge_per_order(client, shop):
    order_for(shop["customer"], "SHORT", today() + dt.timedelta(days=30), material="short")
    client.force_login(shop["sales"])
    response = client.get(reverse("orders:order-list"))
    assert b'text-bg-danger" data-testid="material-status"' in response.content
    assert MaterialStatus.SHORT.label.encode() in response.content


@pytest.mark.parametrize("orders", [3, 30])
def test_list_page_runs_a_fixed_number_of_queries(
    client, shop, django_assert_max_num_queries, orders
):
    for n in range(orders):
        order_for(shop["customer"], f"Q{n:03d}", today() + dt.timedelta(days=n))
    client.force_login(shop["sales"])
    client.get(reverse("orders:order-list"))  # warm the session and permission caches
    # session, user, profile, permissions, roles, count, unread notifications, the page
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orders:order-list"))
    assert len(response.context["page"]) == orders


def test_htmx_filter_answers_only_the_table(client, shop):
    order_for(shop["customer"], "A", today() + dt.timedelta(days=3))
    client.force_login(shop["sales"])
    response = client.get(reverse("orders:order-list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b'data-order="A"' in response.content


def test_detail_shows_lines_and_history(client, shop):
    order = new_order(shop, ("F", "50", dt.date(2026, 3, 20)), ("K", "2.5", dt.date(2026, 3, 25)))
    issue_slip(
        kind="pick",
        order_no=order.order_no,
        lines=[SlipLineInput(1, "R", D("5"))],
        user=shop["warehouse"],
    )
    change_apply(
        user=shop["sales"],
        order=order,
        kind="due_date",
        reason="customer moved it",
        order_line=2,
        new_due_date=dt.date(2026, 4, 1),
    )
    line = order.lines.get(line=1)
    ShipmentFactory(number="SH-77", order_line=line, quantity=D("20"), ship_date=today())
    FinishedGoodsReceipt.objects.create(
        number="FG-9",
        item=line.item,
        order_line=line,
        warehouse=Warehouse.objects.get(),
        quantity=D("20"),
    )
    client.force_login(shop["production"])
    response = client.get(reverse("orders:order-detail", args=[order.order_no]))
    assert response.status_code == 200
    kinds = [e.kind for e in response.context["history"]]
    assert kinds == ["created", "confirmed", "slip", "change", "shipment", "receipt"]
    html = response.content.decode()
    assert "Order entered" in html and "Order confirmed" in html
    assert "customer moved it" in html and "2026-04-01" in html
    assert "R 5 kg" in html and "SH-77" in html and "FG-9" in html
    assert 'data-testid="new-change"' not in html  # production may look, not change
    assert 'data-testid="confirm-order"' not in html


def test_detail_shows_returns_due_for_a_cancelled_line(client, shop):
    order = new_order(shop)
    issue_slip(
        kind="pick",
        order_no=order.order_no,
        lines=[SlipLineInput(1, "R", D("12.5"))],
        user=shop["warehouse"],
    )
    change_apply(user=shop["sales"], order=order, kind="cancel", reason="gone", order_line=1)
    client.force_login(shop["warehouse"])
    response = client.get(reverse("orders:order-detail", args=[order.order_no]))
    assert 'data-testid="returns-due"' in response.content.decode()
    assert "R Steel — 12.5 kg" in response.content.decode()


def test_detail_query_count_is_bounded(client, shop, django_assert_max_num_queries):
    order = new_order(shop, *[("F", "5", dt.date(2026, 3, 20 + n)) for n in range(8)])
    client.force_login(shop["sales"])
    client.get(reverse("orders:order-detail", args=[order.order_no]))
    with django_assert_max_num_queries(18):
        client.get(reverse("orders:order-detail", args=[order.order_no]))


def test_unknown_order_is_404(client, shop):
    client.force_login(shop["sales"])
    assert client.get(reverse("orders:order-detail", args=["NOPE"])).status_code == 404


def test_sales_enters_and_confirms_an_order(client, shop):
    client.force_login(shop["sales"])
    response = client.get(reverse("orders:order-create"))
    assert response.status_code == 200 and b"data-order-entry" in response.content
    data = {
        "customer": "C1",
        "order_date": "2026-03-02",
        "customer_po": "PO-9",
        "notes": "",
        "order_no": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "F",
        "lines-0-quantity": "50",
        "lines-0-unit_price": "12.5",
        "lines-0-due_date": "2026-03-20",
        "lines-1-item": "K",
        "lines-1-quantity": "2.125",
        "lines-1-unit_price": "3",
        "lines-1-due_date": "2026-03-25",
        "lines-1-specification": "galvanised",
    }
    response = client.post(reverse("orders:order-create"), data)
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/order/{order.order_no}/")
    assert order.status == OrderStatus.DRAFT and order.lines.count() == 2
    response = client.post(reverse("orders:order-confirm", args=[order.order_no]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_a_bad_line_is_shown_on_its_row_and_nothing_is_saved(client, shop):
    client.force_login(shop["sales"])
    data = {
        "customer": "C1",
        "order_date": "2026-03-02",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "F",
        "lines-0-quantity": "1.5",
        "lines-0-unit_price": "1",
        "lines-0-due_date": "2026-03-20",
        "lines-1-item": "",
        "lines-1-quantity": "",
        "lines-1-unit_price": "0",
        "lines-1-due_date": "",
    }
    response = client.post(reverse("orders:order-create"), data)
    assert response.status_code == 200 and not SalesOrder.objects.exists()
    row = response.context["formset"].forms[0]
    assert row.errors["quantity"] == ["F is counted in pcs with 0 decimals; 1.5 has more."]
    data["customer"] = "NOBODY"
    response = client.post(reverse("orders:order-create"), data)
    assert response.context["form"].errors["customer"] == ["There is no customer NOBODY."]


def test_add_line_row_for_htmx(client, shop):
    client.force_login(shop["sales"])
    response = client.get(reverse("orders:order-line-row"), {"lines-TOTAL_FORMS": "3"})
    html = response.content.decode()
    assert 'name="lines-3-item"' in html
    assert 'name="lines-TOTAL_FORMS" value="4"' in html and 'hx-swap-oob="true"' in html


def test_edit_a_draft_and_a_confirmed_order_is_sent_to_change_notices(client, shop):
    order = new_order(shop, confirm=False)
    client.force_login(shop["sales"])
    url = reverse("orders:order-edit", args=[order.order_no])
    response = client.get(url)
    assert response.status_code == 200
    data = {
        "customer": "C1",
        "order_date": "2026-03-02",
        "customer_po": "",
        "notes": "rush",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-0-line": "1",
        "lines-0-item": "F",
        "lines-0-quantity": "60",
        "lines-0-unit_price": "12.5",
        "lines-0-due_date": "2026-03-20",
    }
    assert client.post(url, data).status_code == 302
    order.refresh_from_db()
    assert order.notes == "rush" and order.lines.get().quantity == D("60")
    client.post(reverse("orders:order-confirm", args=[order.order_no]))
    response = client.get(url)
    assert response.status_code == 302 and response.url.endswith(f"/order/{order.order_no}/")


def test_confirm_refusal_is_shown(client, shop):
    from orders.services.orders import order_create

    order = order_create(
        user=shop["sales"], customer=shop["customer"], order_date=dt.date(2026, 3, 2)
    )
    client.force_login(shop["sales"])
    response = client.post(reverse("orders:order-confirm", args=[order.order_no]), follow=True)
    assert b"has no lines; add one before confirming" in response.content


@pytest.mark.parametrize("role", ["warehouse", "production", "manager", "quality", "purchasing"])
def test_other_roles_may_view_but_not_enter_or_confirm(client, shop, make_user, role):
    order = new_order(shop, confirm=False)
    client.force_login(make_user(role, username=f"{role}-x"))
    assert client.get(reverse("orders:order-list")).status_code == 200
    assert client.get(reverse("orders:order-detail", args=[order.order_no])).status_code == 200
    assert client.get(reverse("orders:order-create")).status_code == 403
    assert client.get(reverse("orders:order-edit", args=[order.order_no])).status_code == 403
    assert client.post(reverse("orders:order-confirm", args=[order.order_no])).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_a_user_without_role_sees_nothing(client, shop, make_user):
    client.force_login(make_user(username="nobody"))
    assert client.get(reverse("orders:order-list")).status_code == 403


def test_close_an_order(client, shop):
    order = new_order(shop)
    client.force_login(shop["sales"])
    client.post(reverse("orders:order-close", args=[order.order_no]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
