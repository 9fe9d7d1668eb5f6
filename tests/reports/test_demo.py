"""The demo factory the quick start loads: believable, complete, and loaded once."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer
from erp.roles import Role, user_roles
from materials.models import BomLine, Item, Process
from orders.models import SalesOrderLine, Shipment
from production.models import MrpRun, PlannedOrder
from reports.demo.generator import SCALES, build_demo_workbook


def test_the_generator_is_seeded_and_sized():
    one = build_demo_workbook(scale="small", today=dt.date(2026, 11, 23))
    two = build_demo_workbook(scale="small", today=dt.date(2026, 11, 23))
    assert all(one[name].equals(two[name]) for name in one)
    assert len(one["Items"]) == sum(
        (SCALES["small"].finished, SCALES["small"].semi, SCALES["small"].raw)
    )
    assert len(one["Customers"]) == 50


@pytest.mark.django_db
def test_load_demo_builds_the_factory_and_one_user_per_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    users = get_user_model().objects.all()
    for role in Role.values:
        user = users.get(username=role)
        assert role in user_roles(user)
        assert user.check_password(f"{role}123")
        assert f"password: {role}123" in out
    assert Item.objects.count() == 300 and Customer.objects.count() == 50
    assert Process.objects.filter(defect_rate__gt=0).exists()
    assert BomLine.objects.count() > 300
    shipped = Shipment.objects.values_list("ship_date", flat=True)
    assert min(shipped) < timezone.localdate() - dt.timedelta(days=600)
    assert SalesOrderLine.objects.filter(status="open").exists()
    assert MrpRun.objects.get().status == "succeeded" and PlannedOrder.objects.exists()
    call_command("load_demo")  # a second time: already loaded, nothing doubled
    assert "already loaded" in capsys.readouterr().out
    assert Item.objects.count() == 300 and MrpRun.objects.count() == 1
