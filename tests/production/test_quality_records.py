"""Quality records (issue 13): NCRs (不合格品报告) opened by hand, from an in-process check
or by themselves when goods are rejected on inspection; their disposition moves the goods
out of quarantine as it says; the actual defect rate per process by month beside the
standard rate; cost only for managers."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from erp.roles import Role
from materials.models import InspectionLot, StockBalance, SupplierReturn
from materials.services.inspection import decide_inspection
from materials.services.receipts import goods_receipt
from production.models import DailyReport, InProcessCheck, NcrStatus, Nonconformance
from production.selectors_quality import defect_rates_by_month
from production.services.quality import dispose_ncr, open_ncr, record_check
from tests.clock import today
from tests.factories import (
    ItemFactory,
    ProcessFactory,
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    WorkCenterFactory,
    WorkOrderFactory,
)

D = Decimal


def stock(item, kind):
    row = StockBalance.objects.filter(item=item, location__kind=kind).first()
    return row.quantity if row else D(0)


@pytest.fixture
def floor(db, make_user):
    steel = ItemFactory(code="STEEL", inspect_on_receipt=True, standard_cost=D("2.5"))
    line = PurchaseOrderLineFactory(
        purchase_order=PurchaseOrderFactory(po_no="PO1"), line=1, item=steel, quantity=D("100")
    )
    qc = make_user(Role.QUALITY.value)
    clerk = make_user(Role.WAREHOUSE.value)
    goods_receipt(user=clerk, purchase_line=line, quantity=D("100"))
    lot = InspectionLot.objects.get()
    decide_inspection(user=qc, lot=lot, accepted="70", rejected="30", defect_reason="rust")
    return {"steel": steel, "qc": qc, "clerk": clerk, "lot": lot}


def test_rejected_goods_get_their_ncr_with_cost(floor):
    ncr = Nonconformance.objects.get()
    assert ncr.number.startswith("NCR-") and ncr.source == "incoming"
    assert (ncr.quantity, ncr.defect_reason, ncr.cost) == (D("30"), "rust", D("75.00"))
    assert ncr.inspection_lot == floor["lot"] and ncr.supplier == floor["lot"].supplier
    assert ncr.status == NcrStatus.OPEN


@pytest.mark.parametrize(
    "disposition, quarantine, usable, returned",
    [("scrap", 0, 70, 0), ("use_as_is", 0, 100, 0), ("return", 0, 70, 30), ("rework", 30, 70, 0)],
)
def test_disposition_moves_the_goods_as_it_says(floor, disposition, quarantine, usable, returned):
    ncr = Nonconformance.objects.get()
    dispose_ncr(user=floor["qc"], ncr=ncr, disposition=disposition, note="MRB")
    ncr.refresh_from_db()
    assert ncr.status == NcrStatus.CLOSED and ncr.disposed_by == floor["qc"]
    assert stock(floor["steel"], "quarantine") == D(quarantine)
    assert stock(floor["steel"], "usable") == D(usable)
    assert sum((r.quantity for r in SupplierReturn.objects.all()), D(0)) == D(returned)
    with pytest.raises(ConflictError, match="disposed already"):
        dispose_ncr(user=floor["qc"], ncr=ncr, disposition="scrap")


def test_ncr_refusals(floor):
    ncr = Nonconformance.objects.get()
    with pytest.raises(DomainError, match="Choose"):
        dispose_ncr(user=floor["qc"], ncr=ncr, disposition="burn")
    chair = ItemFactory(code="CHAIR", kind="finished")
    other = open_ncr(
        user=floor["qc"], source="customer", item=chair, quantity="2", defect_reason="loose leg"
    )
    with pytest.raises(DomainError, match="supplier"):
        dispose_ncr(user=floor["qc"], ncr=other, disposition="return")
    with pytest.raises(DomainError, match="reason"):
        open_ncr(user=floor["qc"], source="other", item=chair, quantity="1", defect_reason="")
    with pytest.raises(DomainError, match="greater than 0"):
        open_ncr(user=floor["qc"], source="other", item=chair, quantity="0", defect_reason="x")
    with pytest.raises(DomainError, match="found"):
        open_ncr(user=floor["qc"], source="moon", item=chair, quantity="1", defect_reason="x")


def test_in_process_check_opens_an_ncr_and_feeds_the_monthly_rate(floor):
    process = ProcessFactory(code="WELD", defect_rate=D("0.02"))
    wo = WorkOrderFactory(wo_no="WO1", item=ItemFactory(code="FRAME", kind="finished"))
    record_check(
        user=floor["qc"],
        work_order=wo,
        process=process,
        inspected="50",
        defective="5",
        defect_reason="porosity",
        raise_ncr=True,
    )
    ncr = Nonconformance.objects.get(source="in_process")
    assert (ncr.work_order, ncr.process, ncr.quantity) == (wo, process, D("5"))
    with pytest.raises(DomainError, match="More defective"):
        record_check(
            user=floor["qc"],
            work_order=wo,
            process=process,
            inspected="5",
            defective="6",
            defect_reason="x",
        )
    with pytest.raises(DomainError, match="reason"):
        record_check(user=floor["qc"], work_order=wo, process=process, inspected="5", defective="1")
    DailyReport.objects.create(
        date=today(),
        work_center=WorkCenterFactory(),
        process=process,
        work_order=wo,
        good_quantity=D("97"),
        defect_quantity=D("3"),
    )
    [row] = defect_rates_by_month(since=today().replace(day=1))
    assert (row["standard"], row["reported"], row["checked"]) == (D("0.02"), D("0.03"), D("0.1"))
    assert row["above"]
    assert InProcessCheck.objects.count() == 1


def test_pages_roles_and_cost_visibility(floor, make_user, django_assert_max_num_queries):
    ncr = Nonconformance.objects.get()
    qc, manager, sales = Client(), Client(), Client()
    qc.force_login(floor["qc"])
    manager.force_login(make_user(Role.MANAGER.value))
    sales.force_login(make_user(Role.SALES.value))
    detail = reverse("production:ncr-detail", args=[ncr.number])
    assert qc.get(detail).status_code == 200 and not qc.get(detail).context["show_costs"]
    assert "75.00" not in qc.get(detail).content.decode()
    assert manager.get(detail).context["show_costs"]
    assert sales.get(reverse("production:ncr-list")).status_code == 200  # a document all read
    assert not sales.get(detail).context["show_costs"]
    assert sales.get(reverse("production:ncr-create")).status_code == 403
    assert sales.post(reverse("production:ncr-dispose", args=[ncr.number])).status_code == 403
    made = qc.post(
        reverse("production:ncr-create"),
        {
            "source": "other",
            "item": "STEEL",
            "quantity": "3",
            "defect_reason": "dent",
            "supplier": "NOPE",
        },
    )
    assert made.status_code == 200 and "NOPE" in made.content.decode()
    made = qc.post(
        reverse("production:ncr-create"),
        {"source": "other", "item": "STEEL", "quantity": "3", "defect_reason": "dent"},
    )
    assert made.status_code == 302
    done = qc.post(
        reverse("production:ncr-dispose", args=[ncr.number]), {"disposition": "scrap"}, follow=True
    )
    assert done.status_code == 200 and stock(floor["steel"], "quarantine") == 0
    assert qc.get(reverse("production:check-list")).status_code == 200
    assert qc.get(reverse("production:defect-rates")).status_code == 200
    with django_assert_max_num_queries(12):
        assert manager.get(reverse("production:ncr-list") + "?status=all").status_code == 200


def test_ncr_and_check_api(floor, api_client_for):
    qc = api_client_for(Role.QUALITY.value)
    number = Nonconformance.objects.get().number
    listed = qc.get("/api/v1/ncrs/?status=open").json()["results"]
    assert listed[0]["number"] == number and "cost" not in listed[0]
    manager = api_client_for(Role.MANAGER.value)
    assert manager.get(f"/api/v1/ncrs/{number}/").json()["cost"] == "75.000000"
    bad = qc.post(f"/api/v1/ncrs/{number}/dispose/", {"disposition": "burn"}, format="json")
    assert bad.status_code == 400 and "disposition" in bad.json()
    done = qc.post(f"/api/v1/ncrs/{number}/dispose/", {"disposition": "scrap"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    again = qc.post(f"/api/v1/ncrs/{number}/dispose/", {"disposition": "scrap"}, format="json")
    assert again.status_code == 409
    made = qc.post(
        "/api/v1/ncrs/",
        {"source": "other", "item": "STEEL", "quantity": "2", "defect_reason": "bent"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert (
        qc.post("/api/v1/ncrs/", {"source": "other", "item": "NOPE"}, format="json").status_code
        == 400
    )
    process = ProcessFactory(code="P9")
    WorkOrderFactory(wo_no="WO9", item=ItemFactory(code="X9", kind="finished"))
    check = qc.post(
        "/api/v1/in-process-checks/",
        {
            "work_order": "WO9",
            "process": "P9",
            "inspected": "10",
            "defective": "2",
            "defect_reason": "burr",
            "raise_ncr": True,
        },
        format="json",
    )
    assert check.status_code == 201, check.content
    assert Nonconformance.objects.filter(source="in_process", process=process).exists()
    sales = api_client_for(Role.SALES.value)
    assert sales.post("/api/v1/in-process-checks/", {}, format="json").status_code == 403
    assert (
        sales.post(
            f"/api/v1/ncrs/{number}/dispose/", {"disposition": "scrap"}, format="json"
        ).status_code
        == 403
    )
