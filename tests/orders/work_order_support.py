"""Shared set-up of the work-order slip tests: the warehouse floor of warehouse_support
(F <- 2 S at P1 2%; S <- 0.4 kg R at P2 5%; order SO1; R 500 kg, S 500, F 100 in MAIN)
plus work orders: WO-S makes 100 S (limit: R 42 kg), WO-F makes 7 F (limit: S 15 pcs,
7 x 2 x 1.02 = 14.28 rounded up; R is not a direct component of F)."""

from decimal import Decimal

from orders.models import WorkOrderMaterial
from tests.factories import WorkOrderFactory
from tests.orders.warehouse_support import build_floor

D = Decimal


def build_work_order_floor(make_user) -> dict:
    floor = build_floor(make_user)
    floor["wo_s"] = WorkOrderFactory(wo_no="WO-S", item=floor["s"], quantity=D("100"))
    floor["wo_f"] = WorkOrderFactory(
        wo_no="WO-F", item=floor["f"], quantity=D("7"), sales_order=floor["order"]
    )
    return floor


def wo_counters(wo_no: str, item) -> WorkOrderMaterial:
    return WorkOrderMaterial.objects.get(work_order__wo_no=wo_no, item=item)
