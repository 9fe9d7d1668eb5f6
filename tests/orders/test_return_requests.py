"""Return requests (退料申请): production asks from the shop floor, checked against the
return limits at once; the warehouse confirms what arrived (the return slip, stock and
ledger move then, not before) or rejects with a reason; each side is told."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from erp.roles import Role
from materials.models import Location, StockBalance, StockMove
from materials.services.stock import StockChange, apply_stock_changes
from orders.errors import ReturnLimitExceeded
from orders.models import MaterialSlip, OrderMaterial, ReturnRequest, ReturnRequestStatus
from orders.services import return_requests as rr
from orders.services.slips import SlipLineInput as L
from orders.services.slips import issue_slip
from tests.factories import (
    BomLineFactory,
    ItemFactory,
    ProcessFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

D = Decimal
PR, W = Role.PRODUCTION.value, Role.WAREHOUSE.value


@pytest.fixture
def floor(db, make_user):
    """SO1 line 1: 50 F <- 2 S; 40 S picked."""
    p1 = ProcessFactory(code="P1", defect_rate=D("0.02"))
    f = ItemFactory(code="F", kind="finished")
    s = ItemFactory(code="S", kind="semi")
    BomLineFactory(parent=f, component=s, quantity=D("2"), process=p1)
    order = SalesOrderFactory(order_no="SO1")
    SalesOrderLineFactory(order=order, line=1, item=f, quantity=D("50"))
    usable = Location.objects.get(warehouse__code="MAIN", kind="usable")
    apply_stock_changes(changes=[StockChange(s.pk, usable.pk, D("500"))], kind="receipt")
    clerk = make_user(W)
    issue_slip(kind="pick", order_no="SO1", lines=[L(1, "S", D("40"))], user=clerk)
    return {"clerk": clerk, "foreman": make_user(PR), "s": s}


def stock(item, kind="usable"):
    row = StockBalance.objects.filter(item=item, location__kind=kind).first()
    return row.quantity if row else D(0)


def request(floor, *lines, note=""):
    return rr.request_return(user=floor["foreman"], order_no="SO1", lines=list(lines), note=note)


def test_a_request_moves_no_stock_until_the_warehouse_confirms(floor):
    moves = StockMove.objects.count()
    made = request(floor, L(1, "S", D("5"), "surplus"), L(1, "S", D("2"), "defective"))
    assert made.status == ReturnRequestStatus.REQUESTED
    assert made.number.startswith("RQ-")
    assert StockMove.objects.count() == moves and stock(floor["s"]) == D("460")
    assert not MaterialSlip.objects.filter(kind="return").exists()
    assert Notification.objects.filter(user=floor["clerk"], message__contains=made.number)

    slip = rr.confirm_return_request(request=made, user=floor["clerk"])
    made.refresh_from_db()
    assert made.status == ReturnRequestStatus.CONFIRMED and made.slip == slip
    assert made.decided_by == floor["clerk"]
    assert stock(floor["s"]) == D("465") and stock(floor["s"], "quarantine") == D("2")
    counter = OrderMaterial.objects.get(item=floor["s"])
    assert (counter.returned_surplus, counter.returned_defective) == (D("5"), D("2"))
    assert Notification.objects.filter(user=floor["foreman"], message__contains=slip.number)


def test_the_warehouse_confirms_fewer_than_requested(floor):
    made = request(floor, L(1, "S", D("5"), "surplus"))
    line = made.lines.get()
    rr.confirm_return_request(request=made, user=floor["clerk"], quantities={line.pk: D("3")})
    assert stock(floor["s"]) == D("463")
    with pytest.raises(DomainError, match="between 0 and"):
        other = request(floor, L(1, "S", D("1"), "surplus"))
        rr.confirm_return_request(
            request=other, user=floor["clerk"], quantities={other.lines.get().pk: D("2")}
        )


def test_a_request_beyond_what_the_line_holds_is_refused_at_once(floor):
    with pytest.raises(ReturnLimitExceeded):
        request(floor, L(1, "S", D("41"), "surplus"))
    with pytest.raises(DomainError, match="defective or surplus"):
        request(floor, L(1, "S", D("1")))
    assert not ReturnRequest.objects.exists()
    assert not MaterialSlip.objects.filter(kind="return").exists()


def test_rejecting_needs_a_reason_and_deciding_twice_is_refused(floor):
    made = request(floor, L(1, "S", D("5"), "surplus"))
    with pytest.raises(DomainError, match="why"):
        rr.reject_return_request(request=made, user=floor["clerk"], reason=" ")
    rr.reject_return_request(request=made, user=floor["clerk"], reason="nothing arrived")
    made.refresh_from_db()
    assert made.status == ReturnRequestStatus.REJECTED
    assert made.decision_note == "nothing arrived"
    assert Notification.objects.filter(user=floor["foreman"], message__contains="nothing arrived")
    with pytest.raises(ConflictError):
        rr.confirm_return_request(request=made, user=floor["clerk"])
    assert stock(floor["s"]) == D("460")


def test_production_opens_the_request_on_the_slip_page_and_the_warehouse_confirms(floor):
    foreman, clerk = Client(), Client()
    foreman.force_login(floor["foreman"])
    clerk.force_login(floor["clerk"])
    url = reverse("orders:slip-create")
    page = foreman.get(url, {"order": "SO1", "kind": "pick"})
    assert (
        page.status_code == 200
        and page.context["request_mode"]
        and page.context["kind"] == "return"
    )
    key = page.context["rows"][0]["row"].key
    answer = foreman.post(
        url,
        {
            "order": "SO1",
            "kind": "return",
            "warehouse": "MAIN",
            f"qty-{key}": "4",
            f"reason-{key}": "surplus",
        },
    )
    made = ReturnRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("orders:return-request-detail", args=[made.number])
    assert stock(floor["s"]) == D("460")

    queue = clerk.get(reverse("orders:return-request-list"))
    assert made.number in queue.content.decode()
    line = made.lines.get()
    done = clerk.post(
        reverse("orders:return-request-confirm", args=[made.number]), {f"qty-{line.pk}": "4"}
    )
    assert done.status_code == 302 and stock(floor["s"]) == D("464")
    assert (
        foreman.post(reverse("orders:return-request-confirm", args=[made.number])).status_code
        == 403
    )


def test_production_may_not_issue_slips_through_the_page(floor):
    foreman = Client()
    foreman.force_login(floor["foreman"])
    page = foreman.get(reverse("orders:slip-create"), {"order": "SO1"})
    key = page.context["rows"][0]["row"].key
    foreman.post(
        reverse("orders:slip-create"),
        {"order": "SO1", "kind": "pick", "warehouse": "MAIN", f"qty-{key}": "4"},
    )
    assert not MaterialSlip.objects.filter(kind="pick").exclude(created_by=floor["clerk"]).exists()


def test_api_request_confirm_and_reject(floor, api_client_for, make_user):
    foreman = api_client_for(PR)
    body = {
        "order_no": "SO1",
        "lines": [{"line": 1, "item": "S", "quantity": "3", "reason": "surplus"}],
    }
    made = foreman.post("/api/v1/return-requests/", body, format="json")
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert made.json()["status"] == "requested" and made.json()["lines"][0]["item"] == "S"
    assert (
        foreman.post(f"/api/v1/return-requests/{number}/confirm/", {}, format="json").status_code
        == 403
    )

    clerk = api_client_for(W)
    too_many = {"lines": [{"id": made.json()["lines"][0]["id"], "quantity": "9"}]}
    refused = clerk.post(f"/api/v1/return-requests/{number}/confirm/", too_many, format="json")
    assert refused.status_code == 400 and "between 0 and" in refused.json()["detail"]
    slip = clerk.post(f"/api/v1/return-requests/{number}/confirm/", {}, format="json")
    assert slip.status_code == 201 and slip.json()["kind"] == "return"
    again = clerk.post(f"/api/v1/return-requests/{number}/reject/", {"reason": "x"}, format="json")
    assert again.status_code == 409

    bad = foreman.post(
        "/api/v1/return-requests/",
        {**body, "lines": [{"line": 1, "item": "S", "quantity": "99", "reason": "surplus"}]},
        format="json",
    )
    assert bad.status_code == 409
    assert (
        api_client_for(Role.SALES.value)
        .post("/api/v1/return-requests/", body, format="json")
        .status_code
        == 403
    )


def test_queue_runs_a_fixed_number_of_queries(floor, make_user, django_assert_max_num_queries):
    for _n in range(15):
        request(floor, L(1, "S", D("1"), "surplus"))
    clerk = Client()
    clerk.force_login(floor["clerk"])
    with django_assert_max_num_queries(12):
        assert clerk.get(reverse("orders:return-request-list")).status_code == 200
