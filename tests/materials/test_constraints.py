"""The database itself refuses what the invariants forbid, whatever code writes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from materials.models import BomLine, Item, Process, PurchaseOrderLine, WorkCenter
from orders.models import SalesOrderLine, Shipment
from production.models import WorkOrder
from tests.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["1", "1.5", "-0.01"])
def test_defect_rate_must_be_in_0_1(rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Process.objects.create(code="P", defect_rate=Decimal(rate))


@pytest.mark.django_db
def test_defect_rate_just_below_one_is_allowed():
    assert Process.objects.create(code="P", defect_rate=Decimal("0.999999")).pk


@pytest.mark.django_db
def test_codes_are_unique():
    ItemFactory(code="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(code="A", name="again", kind="raw")


@pytest.mark.django_db
def test_bom_quantity_positive_and_not_own_component():
    parent, comp = ItemFactory(kind="finished"), ItemFactory()
    for quantity in (Decimal("0"), Decimal("-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            BomLine.objects.create(parent=parent, component=comp, quantity=quantity)
    with pytest.raises(IntegrityError), transaction.atomic():
        BomLine.objects.create(parent=parent, component=parent, quantity=Decimal("1"))


@pytest.mark.django_db
def test_quantities_must_be_positive_on_documents():
    order = SalesOrderFactory()
    item = ItemFactory(kind="finished")
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesOrderLine.objects.create(
            order=order, line=1, item=item, quantity=Decimal("0"), due_date=dt.date(2026, 1, 1)
        )
    po = PurchaseOrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseOrderLine.objects.create(
            purchase_order=po, item=item, quantity=Decimal("-5"), due_date=dt.date(2026, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkOrder.objects.create(
            wo_no="W", item=item, quantity=Decimal("0"), due_date=dt.date(2026, 1, 1)
        )


@pytest.mark.django_db
def test_shipped_and_received_cannot_exceed_the_quantity():
    line = SalesOrderLineFactory(quantity=Decimal("10"))
    line.shipped_quantity = Decimal("11")
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Shipment.objects.create(
            number="X", order_line=line, ship_date=dt.date(2026, 1, 1), quantity=Decimal("0")
        )
    po_line = PurchaseOrderLine(
        purchase_order=PurchaseOrderFactory(),
        item=ItemFactory(),
        quantity=Decimal("5"),
        received_quantity=Decimal("6"),
        due_date=dt.date(2026, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        po_line.save()


@pytest.mark.django_db
def test_machine_hours_and_days_are_sane():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkCenter.objects.create(code="M", hours_per_day=Decimal("25"))
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkCenter.objects.create(code="M", days_per_week=8)
