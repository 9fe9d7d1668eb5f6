"""factory_boy factories for every model the tests build."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from customers.models import Customer, CustomerPhone
from materials.models import (
    BomLine,
    Item,
    ItemKind,
    Location,
    Process,
    PurchaseOrder,
    PurchaseOrderLine,
    Routing,
    Supplier,
    Warehouse,
    WorkCenter,
)
from orders.models import SalesOrder, SalesOrderLine, Shipment
from production.models import WorkOrder


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))


class WorkCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCenter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WC{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Machine {o.code}")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Process {o.code}")
    defect_rate = Decimal("0")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IT{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Item {o.code}")
    kind = ItemKind.RAW
    uom = "pcs"
    decimals = 0
    standard_cost = Decimal("1")
    list_price = Decimal("2")


class BomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BomLine

    parent = factory.SubFactory(ItemFactory, kind=ItemKind.FINISHED)
    component = factory.SubFactory(ItemFactory)
    quantity = Decimal("1")
    process = None


class RoutingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routing

    item = factory.SubFactory(ItemFactory, kind=ItemKind.FINISHED)
    seq = factory.Sequence(lambda n: n + 1)
    process = factory.SubFactory(ProcessFactory)
    work_center = factory.SubFactory(WorkCenterFactory)


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"WH{n}")

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        for kind in ("usable", "quarantine"):
            Location.objects.get_or_create(warehouse=self, kind=kind)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Customer {o.code}")


class CustomerPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerPhone

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"138 0000 {n:04d}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Supplier {o.code}")


class SalesOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrder
        django_get_or_create = ("order_no",)

    order_no = factory.Sequence(lambda n: f"SO{n:05d}")
    customer = factory.SubFactory(CustomerFactory)
    order_date = dt.date(2026, 1, 5)
    status = "confirmed"


class SalesOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrderLine

    order = factory.SubFactory(SalesOrderFactory)
    line = factory.Sequence(lambda n: n + 1)
    item = factory.SubFactory(ItemFactory, kind=ItemKind.FINISHED)
    quantity = Decimal("10")
    unit_price = Decimal("5")
    due_date = dt.date(2026, 2, 1)


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    number = factory.Sequence(lambda n: f"SH{n:06d}")
    order_line = factory.SubFactory(SalesOrderLineFactory)
    ship_date = dt.date(2026, 1, 20)
    quantity = Decimal("1")
    unit_cost = Decimal("1")


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder
        django_get_or_create = ("po_no",)

    po_no = factory.Sequence(lambda n: f"PO{n:05d}")
    supplier = factory.SubFactory(SupplierFactory)
    order_date = dt.date(2026, 1, 5)


class PurchaseOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderLine

    purchase_order = factory.SubFactory(PurchaseOrderFactory)
    line = factory.Sequence(lambda n: n + 1)
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("10")
    due_date = dt.date(2026, 2, 1)


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder
        django_get_or_create = ("wo_no",)

    wo_no = factory.Sequence(lambda n: f"WO{n:05d}")
    item = factory.SubFactory(ItemFactory, kind=ItemKind.FINISHED)
    quantity = Decimal("10")
    due_date = dt.date(2026, 2, 1)
