"""Create, read, change and delete master data through the API: the shapes of the
answers, the rules the services keep, and who-and-when on every write."""

from decimal import Decimal

import pytest

from customers.models import Customer
from materials.models import BomLine, Item, Location, Process, Routing, Warehouse
from tests.factories import SalesOrderLineFactory

pytestmark = pytest.mark.django_db


def test_item_round_trip_with_decimals_as_strings(admin_api):
    body = {"code": "R9", "name": "Steel strip", "kind": "raw", "uom": "kg", "decimals": 3}
    body |= {"standard_cost": "4.25", "safety_stock": "100.5"}
    response = admin_api.post("/api/v1/items/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["standard_cost"] == "4.250000"
    assert data["safety_stock"] == "100.500000"
    assert data["updated_by"] == "admin_user"
    item = Item.objects.get(code="R9")
    assert item.created_by.username == "admin_user" and item.created_at is not None

    response = admin_api.patch("/api/v1/items/R9/", {"name": "Steel strip 2mm"}, format="json")
    assert response.status_code == 200
    assert admin_api.get("/api/v1/items/R9/").json()["name"] == "Steel strip 2mm"

    assert admin_api.delete("/api/v1/items/R9/").status_code == 204
    assert not Item.objects.filter(code="R9").exists()
    assert admin_api.get("/api/v1/items/R9/").status_code == 404


def test_codes_with_dots_are_addressable(admin_api):
    body = {"code": "M6.5", "name": "Rod", "kind": "raw"}
    assert admin_api.post("/api/v1/items/", body, format="json").status_code == 201
    assert admin_api.get("/api/v1/items/M6.5/").status_code == 200


def test_duplicate_code_is_a_400_on_the_code_field(admin_api, factory_data):
    response = admin_api.post(
        "/api/v1/items/", {"code": "F1", "name": "again", "kind": "raw"}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_item_rules_answer_per_field(admin_api):
    body = {"code": "X", "name": "X", "kind": "raw", "decimals": 7, "list_price": "-1"}
    response = admin_api.post("/api/v1/items/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"decimals", "list_price"}
    assert not Item.objects.filter(code="X").exists()


def test_deleting_an_item_still_used_is_a_409_naming_the_users(admin_api, factory_data):
    SalesOrderLineFactory(item=factory_data["f1"])
    response = admin_api.delete("/api/v1/items/R1/")
    assert response.status_code == 409
    assert "1 BOM line" in response.json()["detail"]
    response = admin_api.delete("/api/v1/items/F1/")
    assert response.status_code == 409
    assert "1 order line" in response.json()["detail"]
    assert Item.objects.filter(code__in=["R1", "F1"]).count() == 2


def test_bom_line_shape_and_writes(admin_api, factory_data):
    response = admin_api.get("/api/v1/bom-lines/", {"parent": "F1"})
    (line,) = response.json()["results"]
    assert {k: line[k] for k in ("parent", "component", "quantity", "process")} == {
        "parent": "F1",
        "component": "S1",
        "quantity": "2.000000",
        "process": "P1",
    }
    body = {"parent": "F1", "component": "R1", "quantity": "0.5", "process": None}
    response = admin_api.post("/api/v1/bom-lines/", body, format="json")
    assert response.status_code == 201, response.json()
    new_id = response.json()["id"]
    assert response.json()["process"] is None
    response = admin_api.patch(
        f"/api/v1/bom-lines/{new_id}/", {"quantity": "0.75", "process": "P1"}, format="json"
    )
    assert response.status_code == 200
    line = BomLine.objects.get(pk=new_id)
    assert line.quantity == Decimal("0.75") and line.process.code == "P1"
    assert line.updated_by.username == "admin_user"
    assert admin_api.delete(f"/api/v1/bom-lines/{new_id}/").status_code == 204


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"parent": "F1", "component": "F1", "quantity": "1"}, "component", "itself"),
        ({"parent": "F1", "component": "S1", "quantity": "1"}, "component", "already has"),
        ({"parent": "F1", "component": "R1", "quantity": "0"}, "quantity", "greater than 0"),
        ({"parent": "F1", "component": "R1", "quantity": "-2"}, "quantity", "greater than 0"),
        ({"parent": "F1", "component": "NOPE", "quantity": "1"}, "component", "NOPE"),
        ({"parent": "F1", "component": "R1"}, "quantity", "required"),
        ({"parent": "F1", "component": "R1", "quantity": "1", "process": "P9"}, "process", "P9"),
    ],
)
def test_bom_line_rules(admin_api, factory_data, body, field, words):
    response = admin_api.post("/api/v1/bom-lines/", body, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert BomLine.objects.count() == 2


def test_process_is_the_defect_control_table(api_client_for, factory_data):
    quality = api_client_for("quality")
    body = {"code": "P2", "name": "Weld", "defect_rate": "0.05", "work_center": "WC1"}
    response = quality.post("/api/v1/processes/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["defect_rate"] == "0.050000"
    for rate in ("1", "-0.01", "1.000000"):
        response = quality.patch("/api/v1/processes/P2/", {"defect_rate": rate}, format="json")
        assert response.status_code == 400, rate
        assert "defect_rate" in response.json()
    assert Process.objects.get(code="P2").defect_rate == Decimal("0.05")
    response = quality.patch("/api/v1/processes/P2/", {"work_center": "WC404"}, format="json")
    assert response.status_code == 400 and "WC404" in response.json()["work_center"][0]


def test_work_center_capacity_rules(api_client_for):
    production = api_client_for("production")
    body = {"code": "MILL", "hours_per_day": "25", "days_per_week": 0}
    response = production.post("/api/v1/work-centers/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"hours_per_day", "days_per_week"}
    body = {"code": "MILL", "hours_per_day": "16", "days_per_week": 6}
    assert production.post("/api/v1/work-centers/", body, format="json").status_code == 201


def test_routing_steps(api_client_for, factory_data):
    production = api_client_for("production")
    body = {
        "item": "F1",
        "seq": 20,
        "process": "P1",
        "work_center": "WC1",
        "minutes_per_unit": "1.5",
    }
    response = production.post("/api/v1/routings/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["item"] == "F1" and response.json()["minutes_per_unit"] == "1.500000"
    response = production.post("/api/v1/routings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["seq"] == ["F1 already has step 20."]
    assert production.get("/api/v1/routings/", {"item": "F1"}).json()["count"] == 2
    assert production.get("/api/v1/routings/", {"item": "S1"}).json()["count"] == 0
    step = Routing.objects.get(item__code="F1", seq=20)
    assert production.delete(f"/api/v1/routings/{step.pk}/").status_code == 204


def test_deleting_a_process_still_in_a_bom_is_409(admin_api, factory_data):
    response = admin_api.delete("/api/v1/processes/P1/")
    assert response.status_code == 409
    assert "BOM line" in response.json()["detail"]


def test_creating_a_warehouse_creates_its_locations(admin_api):
    response = admin_api.post(
        "/api/v1/warehouses/", {"code": "WH2", "name": "Second"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["locations"]) == ["inspection", "quarantine", "usable"]
    warehouse = Warehouse.objects.get(code="WH2")
    assert sorted(Location.objects.filter(warehouse=warehouse).values_list("kind", flat=True)) == [
        "inspection",
        "quarantine",
        "usable",
    ]
    assert warehouse.created_by.username == "admin_user"


def test_supplier_crud(api_client_for):
    purchasing = api_client_for("purchasing")
    body = {"code": "SUP9", "name": "Steel Co", "phone": "021-5555"}
    assert purchasing.post("/api/v1/suppliers/", body, format="json").status_code == 201
    response = purchasing.patch("/api/v1/suppliers/SUP9/", {"name": "Steel Co Ltd"}, format="json")
    assert response.json()["name"] == "Steel Co Ltd"


def test_customer_with_phones_and_contacts(api_client_for, factory_data):
    sales = api_client_for("sales")
    customer = factory_data["customer"]
    customer.contacts.create(name="Li Wei", title="Buyer")
    data = sales.get("/api/v1/customers/C001/").json()
    assert data["phones"] == ["+86 138 0013 8000"]
    assert data["contacts"][0]["name"] == "Li Wei" and data["contacts"][0]["phones"] == []

    body = {
        "code": "C002",
        "name": "Beta Tubes",
        "salesperson": "sales_user",
        "key_account": True,
        "phones": ["021-6666 1234", " 139 0000 1111 "],
    }
    response = sales.post("/api/v1/customers/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["phones"] == ["021-6666 1234", "139 0000 1111"]
    assert response.json()["salesperson"] == "sales_user"

    response = sales.patch(
        "/api/v1/customers/C002/", {"phones": ["139 0000 1111", "400-800-1234"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phones"] == ["139 0000 1111", "400-800-1234"]
    customer = Customer.objects.get(code="C002")
    phones = list(customer.phones.order_by("position"))
    assert [p.digits for p in phones] == ["13900001111", "4008001234"]
    assert all(p.created_by.username == "sales_user" for p in phones)
    assert customer.updated_by.username == "sales_user"


@pytest.mark.parametrize(
    ("phones", "message"),
    [(["   "], "no digits"), (["call me"], "no digits"), (["1" * 41], "40 characters")],
)
def test_customer_phone_rules(admin_api, phones, message):
    body = {"code": "C9", "name": "X", "phones": phones}
    response = admin_api.post("/api/v1/customers/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["phones"])
    assert not Customer.objects.filter(code="C9").exists()


def test_unknown_salesperson_is_a_400(admin_api):
    body = {"code": "C9", "name": "X", "salesperson": "ghost"}
    response = admin_api.post("/api/v1/customers/", body, format="json")
    assert response.status_code == 400
    assert "ghost" in response.json()["salesperson"][0]
