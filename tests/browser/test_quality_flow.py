"""Quality control in a real browser, at desktop and tablet width: a receipt of an item
inspected on receipt waits on hold; quality opens Inspections from the menu, accepts part
and rejects the rest with a reason; the NCR opened by itself is scrapped out of
quarantine."""

from decimal import Decimal

import pytest

from erp.roles import Role
from materials.models import InspectionLot, StockBalance
from materials.services.receipts import goods_receipt
from production.models import Nonconformance
from tests.factories import (
    ItemFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1280, 768])
def test_quality_decides_an_inspection_and_scraps_the_rejects(page, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    clerk = UserFactory(username="wang", roles=[Role.WAREHOUSE.value])
    UserFactory(username="qc", roles=[Role.QUALITY.value])
    steel = ItemFactory(code="STEEL", name="Steel strip", inspect_on_receipt=True)
    line = PurchaseOrderLineFactory(
        purchase_order=PurchaseOrderFactory(po_no="PO1"),
        line=1,
        item=steel,
        quantity=Decimal("100"),
    )
    goods_receipt(user=clerk, purchase_line=line, quantity=Decimal("100"))
    lot = InspectionLot.objects.get()

    log_in("qc")
    page.goto("/materials/inspections/")
    assert lot.number in page.get_by_test_id("inspection-table").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=lot.number).click()
    page.fill("#id_sample_size", "13")
    page.fill("#id_accepted", "90")
    page.fill("#id_rejected", "10")
    page.fill("#id_defect_reason", "rust")
    with page.expect_navigation():
        page.get_by_test_id("decide").click()
    assert page.get_by_test_id("inspection-status").inner_text() == "inspected"
    assert "rust" in page.get_by_test_id("decisions").inner_text()

    ncr = Nonconformance.objects.get()
    page.goto(f"/production/quality/ncrs/{ncr.number}/")
    page.select_option("#id_disposition", "scrap")
    with page.expect_navigation():
        page.get_by_test_id("dispose").click()
    assert page.get_by_test_id("ncr-status").inner_text() == "closed"
    quarantine = StockBalance.objects.get(item=steel, location__kind="quarantine")
    usable = StockBalance.objects.get(item=steel, location__kind="usable")
    assert (quarantine.quantity, usable.quantity) == (Decimal("0"), Decimal("90"))
