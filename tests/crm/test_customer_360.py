"""A customer calls: any part of the number (any format, +86 or not) or the name finds them,
and one page shows contacts, tier and why, open orders with their execution status, open
amounts, the last contacts, open complaints and the last price quoted per product, in a
fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.customer360 import customer_360, next_anniversary, upcoming_birthdays
from crm.services.complaints import complaint_open
from crm.services.followups import followup_schedule
from crm.services.interactions import interaction_log
from customers.models import Contact, CustomerPhone
from orders.models import SalesOrder, SalesOrderLine
from production.models import WorkOrder
from reports.profit import services as tier_services
from reports.profit.rankings import compute_rankings
from tests.crm.profit_data import customer, earn, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(make_user):
    seller = make_user("sales", username="li", first_name="Li", last_name="Na")
    acme = customer("ACME", name="Acme Pipes", salesperson=seller, notes="Calls before 10:00")
    CustomerPhone.objects.create(customer=acme, number="+86 138-0013-8000")
    CustomerPhone.objects.create(customer=acme, number="021 5555 1234")
    boss = Contact.objects.create(customer=acme, name="Wang Wei", birthday=dt.date(1980, 3, 9))
    CustomerPhone.objects.create(customer=acme, contact=boss, number="139 1111 2222")
    customer("OTHER", name="Other Works")
    CustomerPhone.objects.create(customer=customer("OTHER"), number="13900001111")
    return acme


def lookup(client, q):
    return client.get(reverse("crm:customer-search"), {"q": q})


@pytest.fixture
def sales_client(make_user, acme):
    client = Client()
    client.force_login(acme.salesperson)
    return client


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "+86 138-0013-8000",
        "+8613800138000",
        "008613800138000",
        "8613800138000",
        "0013-80",  # any part
        "+86 21 5555 1234",  # landline without its leading 0
        "5555-1234",
        "139 1111",  # a contact's own number
        "acme",
        "Pipes",
    ],
)
def test_any_part_of_any_format_opens_the_customer(sales_client, typed):
    answer = lookup(sales_client, typed)
    assert answer.status_code == 302, typed
    assert answer["Location"] == reverse("crm:customer-360", args=["ACME"])


def test_several_matches_are_listed(sales_client):
    page = lookup(sales_client, "139")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ACME" in text and "OTHER" in text


def test_no_match_says_so(sales_client):
    page = lookup(sales_client, "99999999")
    assert "No customer matches" in page.content.decode()


def test_search_is_fast_with_thousands_of_customers(sales_client, django_assert_max_num_queries):
    from customers.models import Customer

    Customer.objects.bulk_create(Customer(code=f"K{n:05d}", name=f"Kunde {n}") for n in range(3000))
    phones = [
        CustomerPhone(customer=c, number=f"137{n:08d}", digits=f"137{n:08d}")
        for n, c in enumerate(Customer.objects.filter(code__startswith="K"))
    ]
    CustomerPhone.objects.bulk_create(phones)
    started = timezone.now()
    with django_assert_max_num_queries(8):
        page = lookup(sales_client, "137 0000 299")
    assert (timezone.now() - started).total_seconds() < 1
    assert page.status_code == 200 and page.content.count(b"/crm/360/K") == 10


def open_order(acme):
    widget = item("WIDGET")
    order = SalesOrder.objects.create(
        order_no="SO-9",
        customer=acme,
        order_date=dt.date(2026, 1, 5),
        status="in_production",
        material_status="partly",
    )
    SalesOrderLine.objects.create(
        order=order,
        line=1,
        item=widget,
        quantity=Decimal("10"),
        unit_price=Decimal("12.5"),
        due_date=dt.date(2026, 3, 1),
        shipped_quantity=Decimal("4"),
    )
    SalesOrderLine.objects.create(
        order=order,
        line=2,
        item=item("BOLT"),
        quantity=Decimal("100"),
        unit_price=Decimal("0.3"),
        due_date=dt.date(2026, 2, 20),
    )
    SalesOrderLine.objects.create(
        order=order,
        line=3,
        item=widget,
        quantity=Decimal("5"),
        unit_price=Decimal("12.5"),
        due_date=dt.date(2026, 1, 10),
        status="cancelled",
    )
    WorkOrder.objects.create(
        wo_no="WO-1",
        item=widget,
        quantity=Decimal("6"),
        completed_quantity=Decimal("3"),
        due_date=dt.date(2026, 2, 25),
        sales_order=order,
    )
    SalesOrder.objects.create(
        order_no="SO-OLD", customer=acme, order_date=dt.date(2025, 1, 5), status="closed"
    )
    return order


def test_open_orders_with_their_execution_status(acme):
    open_order(acme)
    view = customer_360(code="ACME")
    (order,) = view.orders
    assert order.order_no == "SO-9"
    assert order.ordered_amount == Decimal("155")  # 10 x 12.5 + 100 x 0.3; cancelled line out
    assert order.shipped_amount == Decimal("50")
    assert order.open_amount == Decimal("105")  # 6 x 12.5 + 100 x 0.3
    assert order.promised == dt.date(2026, 2, 20)
    assert (order.made_quantity, order.planned_quantity) == (Decimal("3"), Decimal("6"))
    assert [line.line for line in order.open_lines] == [2, 1]
    assert view.open_amount == Decimal("105")


def test_last_price_quoted_per_product(acme, make_user):
    seller = acme.salesperson
    widget, bolt = item("WIDGET"), item("BOLT")
    now = timezone.now()
    interaction_log(
        user=seller,
        customer=acme,
        kind="quote",
        reason="quotation",
        subject="First quote",
        occurred_at=now - dt.timedelta(days=30),
        quote_lines=[{"item": widget, "unit_price": "13"}, {"item": bolt, "unit_price": "0.35"}],
    )
    interaction_log(
        user=seller,
        customer=acme,
        kind="quote",
        reason="quotation",
        subject="Better price",
        occurred_at=now - dt.timedelta(days=2),
        quote_lines=[{"item": widget, "unit_price": "12.5", "quantity": "500"}],
    )
    quoted = {q.item.code: q for q in customer_360(code="ACME").quoted}
    assert quoted["WIDGET"].unit_price == Decimal("12.5")
    assert quoted["WIDGET"].quantity == Decimal("500")
    assert quoted["BOLT"].unit_price == Decimal("0.35")


def test_the_page_shows_everything_in_a_fixed_number_of_queries(
    sales_client, acme, django_assert_max_num_queries
):
    open_order(acme)
    seller = acme.salesperson
    for n in range(12):
        interaction_log(
            user=seller,
            customer=acme,
            kind="quote",
            reason="quotation",
            subject=f"Quote {n}",
            quote_lines=[{"item": item(f"Q{n}"), "unit_price": str(n + 1)}],
        )
    complaint_open(
        user=seller,
        customer=acme,
        category="quality",
        severity="high",
        description="Rusty welds on SO-9",
    )
    followup_schedule(user=seller, customer=acme, purpose="Check the rust fix")
    earn("ACME", "100", on="2025-05-05")
    compute_rankings(as_of=dt.date(2026, 2, 1))
    # 22 + the finances panel (aging row, last payment, exposure: three queries)
    with django_assert_max_num_queries(26):  # + the satisfaction score and trend
        page = sales_client.get(reverse("crm:customer-360", args=["ACME"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Wang Wei" in text and "Calls before 10:00" in text
    assert "SO-9" in text and "partly covered" in text and "2026-02-20" in text
    assert "105.00" in text  # open amount
    assert "Rusty welds" in text and "Check the rust fix" in text
    assert "Quote 11" in text and "Quote 1<" not in text  # the last 10 contacts
    tier = text[text.index('data-testid="tier"') :]
    assert "VIP" in tier and "Ranked 1 of 1" in tier
    assert "of the profit" not in tier  # shares are for managers


def test_managers_see_the_share_and_a_manual_tier_with_its_reason(acme, make_user):
    earn("ACME", "100", on="2025-05-05")
    compute_rankings(as_of=dt.date(2026, 2, 1))
    manager = make_user("manager")
    tier_services.tier_override_set(
        customer=acme, user=manager, tier="IMPORTANT", reason="Paying late"
    )
    client = Client()
    client.force_login(manager)
    text = client.get(reverse("crm:customer-360", args=["ACME"])).content.decode()
    tier = text[text.index('data-testid="tier"') :]
    assert "Important" in tier and "Paying late" in tier  # the tier by name


def test_not_ranked_yet(sales_client):
    text = sales_client.get(reverse("crm:customer-360", args=["ACME"])).content.decode()
    assert "Not ranked yet" in text


@pytest.mark.parametrize("role", ["warehouse", "purchasing", "production"])
def test_other_roles_may_not(make_user, acme, role):
    client = Client()
    client.force_login(make_user(role))
    assert client.get(reverse("crm:customer-360", args=["ACME"])).status_code == 403
    assert client.get(reverse("crm:customer-search")).status_code == 403


def test_unknown_customer_is_404(sales_client):
    assert sales_client.get(reverse("crm:customer-360", args=["NOPE"])).status_code == 404


def test_birthdays_and_anniversaries():
    today = dt.date(2026, 3, 5)
    assert next_anniversary(dt.date(1980, 3, 9), today) == dt.date(2026, 3, 9)
    assert next_anniversary(dt.date(1980, 3, 1), today) == dt.date(2027, 3, 1)
    assert next_anniversary(dt.date(1980, 2, 29), dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)
    soon = Contact(name="Soon", birthday=dt.date(1990, 3, 19))
    later = Contact(name="Later", birthday=dt.date(1990, 3, 20))
    assert [c.name for c, _ in upcoming_birthdays([later, soon], today=today)] == ["Soon"]


def test_enter_with_one_match_opens_the_page_typing_only_lists(sales_client):
    url = reverse("crm:customer-search")
    typing = sales_client.get(
        url, {"q": "acme"}, headers={"HX-Request": "true", "HX-Trigger": "id_q"}
    )
    assert typing.status_code == 200 and b'data-testid="lookup-results"' in typing.content
    assert b"<html" not in typing.content
    enter = sales_client.get(
        url, {"q": "acme"}, headers={"HX-Request": "true", "HX-Trigger": "lookup-form"}
    )
    assert enter["HX-Redirect"] == reverse("crm:customer-360", args=["ACME"])


def test_nul_characters_are_not_a_server_error(sales_client):
    assert sales_client.get("/crm/360/NO%00PE/").status_code == 404
    assert sales_client.get(reverse("crm:customer-search"), {"q": "\x00"}).status_code == 200
