"""Change-notice pages: applying one from the order, refusals shown on the form, the list
and the printable notice, who may apply; the notifications page and the navbar count."""

import datetime as dt

import pytest
from django.urls import reverse

from erp.models import Notification
from orders.models import OrderChange
from orders.services.changes import change_apply
from tests.orders.orders_support import build_shop, new_order


@pytest.fixture
def shop(db, make_user):
    return build_shop(make_user)


def post_change(client, order, **data):
    return client.post(reverse("orders:change-create", args=[order.order_no]), data)


def test_sales_applies_a_due_date_change_from_the_order(client, shop):
    order = new_order(shop)
    client.force_login(shop["sales"])
    page = client.get(reverse("orders:change-create", args=[order.order_no]), {"line": 1})
    assert page.status_code == 200 and page.context["form"]["order_line"].value() == "1"
    response = post_change(
        client,
        order,
        kind="due_date",
        order_line="1",
        new_due_date="2026-04-10",
        reason="customer asked",
    )
    change = OrderChange.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("orders:order-detail", args=[order.order_no])
    assert order.lines.get().due_date == dt.date(2026, 4, 10)
    detail = client.get(response.url)
    assert change.number in detail.content.decode()


def test_a_refusal_is_shown_on_the_field(client, shop):
    order = new_order(shop)
    line = order.lines.get()
    line.shipped_quantity = 30
    line.save()
    client.force_login(shop["sales"])
    response = post_change(
        client, order, kind="quantity", order_line="1", new_quantity="20", reason="less"
    )
    assert response.status_code == 200 and not OrderChange.objects.exists()
    assert response.context["form"].errors["new_quantity"] == [
        "Line 1: 30 pcs already shipped; the quantity cannot go below 30."
    ]
    response = post_change(client, order, kind="due_date", order_line="1", reason="")
    assert "reason" in response.context["form"].errors


def test_cancel_the_whole_order_from_the_page(client, shop):
    order = new_order(shop)
    client.force_login(shop["sales"])
    post_change(client, order, kind="cancel", order_line="", reason="customer went bust")
    order.refresh_from_db()
    assert order.status == "cancelled"
    detail = client.get(reverse("orders:order-detail", args=[order.order_no]))
    assert 'data-testid="new-change"' not in detail.content.decode()


@pytest.mark.parametrize("role", ["warehouse", "production", "manager"])
def test_only_sales_apply_changes(client, shop, make_user, role):
    order = new_order(shop)
    client.force_login(make_user(role, username=f"{role}-x"))
    assert client.get(reverse("orders:change-create", args=[order.order_no])).status_code == 403
    response = post_change(client, order, kind="cancel", order_line="", reason="x")
    assert response.status_code == 403 and not OrderChange.objects.exists()


def test_change_list_and_printable_notice(client, shop, make_user, django_assert_max_num_queries):
    for n in range(5):
        order = new_order(shop)
        change_apply(
            user=shop["sales"],
            order=order,
            kind="due_date",
            reason=f"r{n}",
            order_line=1,
            new_due_date=dt.date(2026, 4, 1),
        )
    change_apply(user=shop["sales"], order=order, kind="cancel", reason="gone", order_line=None)
    client.force_login(make_user("production", username="prod2"))
    client.get(reverse("orders:change-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orders:change-list"))
    assert len(response.context["page"]) == 6
    assert len(client.get(reverse("orders:change-list"), {"kind": "cancel"}).context["page"]) == 1
    only = client.get(reverse("orders:change-list"), {"order": order.order_no})
    assert len(only.context["page"]) == 2
    notice = OrderChange.objects.get(kind="cancel")
    response = client.get(reverse("orders:change-detail", args=[notice.number]))
    html = response.content.decode()
    assert response.status_code == 200 and "data-print" in html and "gone" in html
    assert client.get(reverse("orders:change-detail", args=["CN-0"])).status_code == 404


def test_notifications_page_and_navbar_count(client, shop, make_user):
    order = new_order(shop)
    change_apply(
        user=shop["warehouse"],
        order=order,
        kind="due_date",
        reason="moved",
        order_line=1,
        new_due_date=dt.date(2026, 4, 1),
    )
    client.force_login(shop["sales"])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in home
    page = client.get(reverse("notifications"))
    assert "moved" in page.content.decode() and len(page.context["page"]) == 1
    note = Notification.objects.get(user=shop["sales"])
    response = client.post(reverse("notifications-read"), {"id": note.pk, "next": note.url})
    assert response.status_code == 302 and response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_mark_all_read_touches_only_my_notifications(client, shop):
    order = new_order(shop)
    change_apply(
        user=shop["warehouse"],
        order=order,
        kind="due_date",
        reason="moved",
        order_line=1,
        new_due_date=dt.date(2026, 4, 1),
    )
    client.force_login(shop["sales"])
    response = client.post(reverse("notifications-read"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("notifications")
    assert not Notification.objects.filter(user=shop["sales"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=shop["production"], read_at__isnull=True).exists()
    # Someone else's notification cannot be marked through its id.
    theirs = Notification.objects.get(user=shop["production"])
    client.post(reverse("notifications-read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(reverse("notifications-read"), {"id": "x1"}).status_code == 302
