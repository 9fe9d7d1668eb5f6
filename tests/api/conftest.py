from decimal import Decimal

import pytest

from erp.roles import Role
from tests.factories import (
    BomLineFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    ItemFactory,
    ProcessFactory,
    RoutingFactory,
    SupplierFactory,
    WarehouseFactory,
    WorkCenterFactory,
)


@pytest.fixture
def admin_api(api_client_for):
    return api_client_for(Role.ADMIN.value)


@pytest.fixture
def factory_data(db):
    """A small factory: F1 <- 2 S1 at P1, S1 <- 0.4 R1; one routing step, one customer."""
    wc = WorkCenterFactory(code="WC1")
    p1 = ProcessFactory(code="P1", defect_rate=Decimal("0.02"), work_center=wc)
    f1 = ItemFactory(code="F1", kind="finished", standard_cost=Decimal("12.5"))
    s1 = ItemFactory(code="S1", kind="semi")
    r1 = ItemFactory(code="R1", kind="raw", uom="kg", decimals=3)
    BomLineFactory(parent=f1, component=s1, quantity=Decimal("2"), process=p1)
    BomLineFactory(parent=s1, component=r1, quantity=Decimal("0.4"))
    RoutingFactory(item=f1, seq=10, process=p1, work_center=wc)
    SupplierFactory(code="SUP1")
    WarehouseFactory(code="MAIN")
    customer = CustomerFactory(code="C001", name="Acme Pipes", region="East")
    CustomerPhoneFactory(customer=customer, number="+86 138 0013 8000")
    return {"wc": wc, "p1": p1, "f1": f1, "s1": s1, "r1": r1, "customer": customer}
