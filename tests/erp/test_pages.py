"""The master-data pages and the home page: who may open them, what they show, and that
they stay at a fixed number of queries however many rows there are."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from customers.models import Contact
from erp.models import Profile
from erp.navigation import role_title
from erp.roles import Role
from materials import selectors_pages
from materials.models import ItemKind, Location
from materials.services.stock import StockChange, apply_stock_changes
from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    ItemFactory,
    ProcessFactory,
    RoutingFactory,
    SalesOrderLineFactory,
    UserFactory,
    WarehouseFactory,
    WorkCenterFactory,
)

pytestmark = pytest.mark.django_db

ROLES = Role.values
MASTER_PAGES = ["item-list", "item-detail", "process-list", "customer-list", "customer-detail"]


@pytest.fixture
def factory():
    """The public MRP example's BOM: F <- 2 S at P1 (2%); S <- 0.4 R at P2 (5%)."""
    p1 = ProcessFactory(code="P1", name="Cutting", defect_rate=Decimal("0.02"))
    p2 = ProcessFactory(code="P2", name="Welding", defect_rate=Decimal("0.05"))
    p2.work_center = WorkCenterFactory(code="M2", name="Welder")
    p2.save()
    f = ItemFactory(code="F", name="Frame", kind=ItemKind.FINISHED, standard_cost=Decimal("77.5"))
    s = ItemFactory(code="S", name="Side", kind=ItemKind.SEMI)
    r = ItemFactory(code="R", name="Steel", kind=ItemKind.RAW, uom="kg", decimals=3)
    BomLineFactory(parent=f, component=s, quantity=Decimal("2"), process=p1)
    BomLineFactory(parent=s, component=r, quantity=Decimal("0.4"), process=p2)
    RoutingFactory(item=f, seq=10, process=p1, work_center=WorkCenterFactory(code="M1"))
    customer = CustomerFactory(code="C1", name="Acme Pipes", region="East", key_account=True)
    CustomerPhoneFactory(customer=customer, number="+86 138-0013-8000")
    Contact.objects.create(customer=customer, name="Ms Li", title="Buyer")
    SalesOrderLineFactory(order__order_no="SO1", order__customer=customer, item=f)
    return {"F": f, "S": s, "R": r, "customer": customer}


def url_of(name: str) -> str:
    if name == "item-detail":
        return reverse("materials:item-detail", args=["F"])
    if name == "customer-detail":
        return reverse("crm:customer-detail", args=["C1"])
    app = "crm" if name.startswith("customer") else "materials"
    return reverse(f"{app}:{name}")


def login(client, *roles: str, **kwargs):
    user = UserFactory(username="_".join(roles) or "norole", roles=roles, **kwargs)
    client.force_login(user)
    return user


@pytest.mark.parametrize("page", MASTER_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_view_master_data(client, factory, page, role):
    login(client, role)
    assert client.get(url_of(page)).status_code == 200


@pytest.mark.parametrize("page", MASTER_PAGES)
def test_a_user_without_a_role_is_refused(client, factory, page):
    login(client)
    response = client.get(url_of(page))
    assert response.status_code == 403
    assert b"Not allowed" in response.content


@pytest.mark.parametrize("page", [*MASTER_PAGES, "home", "preferences"])
def test_anonymous_visitors_go_to_the_login_page(client, factory, page):
    url = reverse(page) if page in ("home", "preferences") else url_of(page)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_codes_answer_404(client, factory):
    login(client, Role.SALES.value)
    assert client.get(reverse("materials:item-detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("crm:customer-detail", args=["NOPE"])).status_code == 404


def test_codes_with_a_slash_have_a_page(client, factory):
    ItemFactory(code="PIPE-20/3")
    login(client, Role.SALES.value)
    response = client.get(reverse("materials:item-detail", args=["PIPE-20/3"]))
    assert response.status_code == 200


# --- the items list ----------------------------------------------------------------------


def _items_with_stock(count: int) -> None:
    warehouse = WarehouseFactory(code="MAIN")
    usable = Location.objects.get(warehouse=warehouse, kind="usable")
    items = [ItemFactory(code=f"X{n:03d}", name=f"Bolt {n}") for n in range(count)]
    apply_stock_changes(
        changes=[StockChange(i.pk, usable.pk, Decimal("5"), Decimal("1")) for i in items],
        kind="count",
    )


def test_items_list_searches_code_and_name_and_filters_kind(client, factory):
    login(client, Role.WAREHOUSE.value)
    url = reverse("materials:item-list")
    page = client.get(url, {"q": "stee"}).context["page"]
    assert [i.code for i in page] == ["R"]
    page = client.get(url, {"kind": ItemKind.FINISHED}).context["page"]
    assert [i.code for i in page] == ["F"]
    page = client.get(url, {"q": "s"}).context["page"]
    assert {i.code for i in page} == {"S", "R"}  # "Side", "Steel"


def test_items_list_shows_usable_stock_and_pages_by_50(client):
    _items_with_stock(60)
    login(client, Role.WAREHOUSE.value)
    response = client.get(reverse("materials:item-list"))
    page = response.context["page"]
    assert len(page.object_list) == 50 and page.paginator.count == 60
    assert page.object_list[0].usable_stock == Decimal("5")
    assert client.get(reverse("materials:item-list"), {"page": 2}).context["page"].number == 2


def test_items_list_answers_htmx_with_the_results_only(client, factory):
    login(client, Role.SALES.value)
    response = client.get(reverse("materials:item-list"), {"q": "F"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'data-testid="item-table"' in response.content


@pytest.mark.parametrize("rows", [5, 35])
def test_items_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    _items_with_stock(rows)
    login(client, Role.MANAGER.value)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("materials:item-list"))
    assert len(response.context["page"].object_list) == rows


# --- the item page -----------------------------------------------------------------------


def test_bom_tree_floats_each_level_up_by_its_process_defect_rate(factory):
    rows, truncated = selectors_pages.bom_tree(item=factory["F"], quantity=Decimal("50"))
    assert not truncated
    assert [(r.level, r.component.code, r.quantity) for r in rows] == [
        (1, "S", Decimal("102")),  # 50 x 2 x 1.02
        (2, "R", Decimal("42.84")),  # 102 x 0.4 x 1.05
    ]
    assert rows[1].process.code == "P2" and rows[1].defect_rate == Decimal("0.05")


def test_bom_tree_shows_a_broken_cycle_instead_of_looping(factory):
    BomLineFactory(parent=factory["R"], component=factory["F"], quantity=Decimal("1"))
    rows, _truncated = selectors_pages.bom_tree(item=factory["F"])
    assert [r.component.code for r in rows] == ["S", "R", "F"]
    assert rows[-1].cycle


def test_item_page_shows_tree_where_used_routing_and_stock(client, factory):
    warehouse = WarehouseFactory(code="MAIN")
    locations = {loc.kind: loc for loc in Location.objects.filter(warehouse=warehouse)}
    r = factory["R"]
    apply_stock_changes(
        changes=[
            StockChange(r.pk, locations["usable"].pk, Decimal("20"), Decimal("3")),
            StockChange(r.pk, locations["quarantine"].pk, Decimal("1.5"), Decimal("3")),
        ],
        kind="count",
    )
    login(client, Role.PRODUCTION.value)
    page = client.get(reverse("materials:item-detail", args=["F"]), {"quantity": "50"})
    html = page.content.decode()
    assert "42.84" in html and "102" in html and "5%" in html
    assert [s.seq for s in page.context["routing"]] == [10]
    stock = client.get(reverse("materials:item-detail", args=["R"])).context["stock"]
    assert [(s.warehouse, s.usable, s.quarantine) for s in stock] == [
        ("MAIN", Decimal("20"), Decimal("1.5"))
    ]
    where_used = client.get(reverse("materials:item-detail", args=["S"])).context["where_used"]
    assert [line.parent.code for line in where_used] == ["F"]


def test_item_page_refuses_a_bad_quantity_with_a_message(client, factory):
    login(client, Role.SALES.value)
    response = client.get(reverse("materials:item-detail", args=["F"]), {"quantity": "-3"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["quantity"] == Decimal("1")


def test_item_page_query_count_is_bounded(client, factory, django_assert_max_num_queries):
    for n in range(35):
        BomLineFactory(parent=factory["S"], component=ItemFactory(code=f"B{n:02d}"))
    login(client, Role.MANAGER.value)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("materials:item-detail", args=["F"]))
    assert len(response.context["bom_rows"]) == 37


@pytest.mark.parametrize("role", ROLES)
def test_cost_fields_only_for_managers_and_admins(client, factory, role):
    login(client, role)
    sees_costs = role in (Role.MANAGER.value, Role.ADMIN.value)
    detail = client.get(reverse("materials:item-detail", args=["F"])).content.decode()
    listing = client.get(reverse("materials:item-list")).content.decode()
    assert ('data-testid="standard-cost"' in detail) is sees_costs
    assert ("77.5" in detail) is sees_costs
    assert ("Standard cost" in listing) is sees_costs
    assert ("Unit cost" in detail) is sees_costs


def test_defect_control_table_shows_rates_as_percent_and_machines(client, factory):
    login(client, Role.QUALITY.value)
    response = client.get(reverse("materials:process-list"))
    html = response.content.decode()
    assert "2%" in html and "5%" in html and "Welder" in html


# --- customers ---------------------------------------------------------------------------


def test_customer_search_by_code_name_and_phone_digits(client, factory):
    other = CustomerFactory(code="C2", name="Beta Tubes", region="North")
    CustomerPhoneFactory(customer=other, number="021-5555 1234")
    login(client, Role.SALES.value)
    url = reverse("crm:customer-list")

    def found(**params):
        return [c.code for c in client.get(url, params).context["page"]]

    assert found(q="acme") == ["C1"]
    assert found(q="C2") == ["C2"]
    assert found(q="138 0013 8000") == ["C1"]
    assert found(q="5555-1234") == ["C2"]
    assert found(region="North") == ["C2"]
    assert found(key_account="yes") == ["C1"]
    assert found(key_account="no") == ["C2"]


def test_customer_filter_by_salesperson(client, factory):
    seller = UserFactory(username="wang", roles=[Role.SALES.value])
    CustomerFactory(code="C3", name="Gamma", salesperson=seller)
    login(client, Role.MANAGER.value)
    page = client.get(reverse("crm:customer-list"), {"salesperson": seller.pk}).context["page"]
    assert [c.code for c in page] == ["C3"]


@pytest.mark.parametrize("rows", [5, 35])
def test_customer_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    seller = UserFactory(username="wang", roles=[Role.SALES.value])
    for n in range(rows):
        customer = CustomerFactory(code=f"K{n:03d}", region=f"R{n % 3}", salesperson=seller)
        CustomerPhoneFactory(customer=customer)
        CustomerPhoneFactory(customer=customer)
    login(client, Role.SALES.value)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("crm:customer-list"))
    assert len(response.context["page"].object_list) == rows


def test_customer_page_shows_contacts_phones_and_recent_orders(
    client, factory, django_assert_max_num_queries
):
    for n in range(30):
        SalesOrderLineFactory(order__order_no=f"SO-{n:02d}", order__customer=factory["customer"])
    login(client, Role.SALES.value)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("crm:customer-detail", args=["C1"]))
    html = response.content.decode()
    assert "Ms Li" in html and "+86 138-0013-8000" in html
    assert len(response.context["orders"]) == 20


# --- home, language, health --------------------------------------------------------------


def test_home_cards_link_each_role_to_its_pages(client, factory):
    login(client, Role.QUALITY.value)
    cards = client.get(reverse("home")).context["cards"]
    assert [c["role"] for c in cards] == [Role.QUALITY.value]
    urls = {link["url"] for link in cards[0]["links"]}
    assert reverse("materials:process-list") in urls


def test_the_administrators_card_leads_to_the_admin_site(client, factory):
    login(client, Role.ADMIN.value, is_staff=True)
    cards = client.get(reverse("home")).context["cards"]
    assert [c["role"] for c in cards] == [Role.ADMIN.value]
    urls = [link["url"] for link in cards[0]["links"]]
    assert urls[0] == reverse("admin:index")
    assert reverse("materials:item-list") in urls


def test_home_says_when_a_user_has_no_role(client):
    login(client)
    assert b"no role yet" in client.get(reverse("home")).content


def test_menu_language_switch_saves_the_choice_and_returns_to_the_page(client, factory):
    user = login(client, Role.SALES.value)
    back = reverse("materials:item-list") + "?q=F"
    response = client.post(reverse("preferences"), {"language": "zh-hans", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Profile.objects.get(user=user).language == "zh-hans"
    assert "物料" in client.get(back).content.decode()


def test_language_switch_ignores_a_foreign_next(client):
    login(client, Role.SALES.value)
    response = client.post(
        reverse("preferences"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("preferences")


def test_factory_words_are_translated():
    with translation.override("zh-hans"):
        assert translation.gettext("Customer orders") == "客户订单"
        assert translation.gettext("Defect-control table") == "不良控制比例表"
        assert translation.gettext("Sales follow-up") == "业务跟单"
        assert str(role_title(Role.WAREHOUSE.value)) == "仓管"
        assert translation.gettext("Warehouse") == "仓库"  # the place, not the clerk


def test_healthz_answers_json_with_the_database_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"]["ok"] is True
