"""Stock-count adjustments: the warehouse asks with a reason (the books at the count are
kept), a manager approves (the count becomes the balance even if the books moved since,
and says so) or rejects with a reason; nobody else decides. Service, REST and pages."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from erp.errors import ConflictError, DomainError
from erp.models import Notification
from materials.models import StockAdjustment, StockMove
from materials.services.adjustments import (
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
)
from tests.factories import ItemFactory
from tests.orders.warehouse_support import put_stock, stock

D = Decimal
URL = "/api/v1/stock-adjustments/"


@pytest.fixture
def shop(db, make_user):
    steel = ItemFactory(code="R", name="Steel", uom="kg", decimals=3)
    put_stock(steel, "100", D("3"))
    return {
        "steel": steel,
        "clerk": make_user("warehouse", username="clerk"),
        "boss": make_user("manager", username="boss", email="boss@example.com"),
        "admin": make_user("admin", username="root"),
        "sales": make_user("sales", username="sally"),
    }


def ask(shop, counted="97.5", reason="Counted at month end", **kwargs):
    return adjustment_request(
        user=shop["clerk"],
        item=shop["steel"],
        warehouse_code="MAIN",
        counted_quantity=counted,
        reason=reason,
        **kwargs,
    )


def test_a_request_records_the_books_and_changes_nothing(shop):
    adjustment = ask(shop)
    assert adjustment.number.startswith("ADJ-") and adjustment.status == "requested"
    assert adjustment.book_quantity == D("100") and adjustment.counted_quantity == D("97.5")
    assert adjustment.created_by == shop["clerk"] and adjustment.location.kind == "usable"
    assert stock(shop["steel"]) == D("100")
    assert Notification.objects.filter(
        user=shop["boss"], message__contains=adjustment.number
    ).exists()


def test_the_manager_approves_and_the_count_becomes_the_balance(shop):
    adjustment = adjustment_approve(user=shop["boss"], adjustment=ask(shop))
    assert adjustment.status == "approved" and adjustment.decided_by == shop["boss"]
    assert adjustment.decided_at is not None
    assert stock(shop["steel"]) == D("97.5")
    move = StockMove.objects.get(kind="adjustment")
    assert (move.quantity, move.document_type, move.document_number, move.created_by) == (
        D("-2.5"),
        "stock_adjustment",
        adjustment.number,
        shop["boss"],
    )
    assert adjustment.decision_note == "The count 97.5 kg is now the balance (-2.5 kg)."
    assert Notification.objects.filter(user=shop["clerk"], message__contains="approved").exists()


def test_books_that_moved_since_the_count_are_overruled_and_said_so(shop):
    adjustment = ask(shop, counted="97.5")
    put_stock(shop["steel"], "10")  # a receipt after the count
    adjustment = adjustment_approve(user=shop["boss"], adjustment=adjustment)
    assert stock(shop["steel"]) == D("97.5")
    assert "The books moved from 100 to 110 kg since the count." in adjustment.decision_note
    assert "(-12.5 kg)" in adjustment.decision_note


def test_a_count_equal_to_the_books_moves_nothing(shop):
    adjustment = adjustment_approve(user=shop["boss"], adjustment=ask(shop, counted="100"))
    assert (
        adjustment.status == "approved" and not StockMove.objects.filter(kind="adjustment").exists()
    )


def test_a_quarantine_count(shop):
    put_stock(shop["steel"], "4", kind="quarantine")
    adjustment = ask(shop, counted="0", location_kind="quarantine")
    adjustment_approve(user=shop["admin"], adjustment=adjustment)
    assert stock(shop["steel"], "quarantine") == D("0") and stock(shop["steel"]) == D("100")


@pytest.mark.parametrize("who", ["clerk", "sales"])
def test_only_a_manager_or_admin_decides(shop, who):
    adjustment = ask(shop)
    with pytest.raises(PermissionDenied):
        adjustment_approve(user=shop[who], adjustment=adjustment)
    with pytest.raises(PermissionDenied):
        adjustment_reject(user=shop[who], adjustment=adjustment, reason="no")
    adjustment.refresh_from_db()
    assert adjustment.status == "requested" and stock(shop["steel"]) == D("100")


def test_reject_needs_a_reason_and_keeps_it(shop):
    adjustment = ask(shop)
    with pytest.raises(DomainError, match="why"):
        adjustment_reject(user=shop["boss"], adjustment=adjustment, reason="  ")
    adjustment = adjustment_reject(user=shop["boss"], adjustment=adjustment, reason="Count again")
    assert adjustment.status == "rejected" and adjustment.decision_note == "Count again"
    assert stock(shop["steel"]) == D("100")
    with pytest.raises(ConflictError, match="already rejected by boss"):
        adjustment_approve(user=shop["boss"], adjustment=adjustment)


def test_an_approved_count_is_not_applied_twice(shop):
    adjustment = ask(shop)
    adjustment_approve(user=shop["boss"], adjustment=adjustment)
    with pytest.raises(ConflictError, match="already approved"):
        adjustment_approve(user=shop["boss"], adjustment=adjustment)
    assert StockMove.objects.filter(kind="adjustment").count() == 1


@pytest.mark.parametrize(
    "counted, reason, message",
    [
        ("1", "", "Say why"),
        ("1", "   ", "Say why"),
        ("1", "x" * 301, "300 characters"),
        ("-1", "r", "0 or more"),
        ("abc", "r", "must be a number"),
        ("NaN", "r", "0 or more"),
        ("1.0001", "r", "3 decimals"),
        ("1e20", "r", "too large"),
    ],
)
def test_bad_requests_are_refused(shop, counted, reason, message):
    with pytest.raises(DomainError, match=message):
        ask(shop, counted=counted, reason=reason)
    assert StockAdjustment.objects.count() == 0


def test_an_unknown_warehouse_is_refused(shop):
    with pytest.raises(DomainError, match="no warehouse X"):
        adjustment_request(
            user=shop["clerk"],
            item=shop["steel"],
            warehouse_code="X",
            counted_quantity="1",
            reason="r",
        )


class TestRest:
    def client(self, user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_request_then_approve(self, shop):
        clerk, boss = self.client(shop["clerk"]), self.client(shop["boss"])
        created = clerk.post(
            URL, {"item": "R", "counted_quantity": "98", "reason": "count"}, format="json"
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["status"] == "requested" and body["book_quantity"] == "100.000000"
        assert (
            body["difference"] == "-2.000000"
            and body["warehouse"] == "MAIN"
            and body["location"] == "usable"
        )
        assert clerk.post(f"{URL}{body['id']}/approve/").status_code == 403
        approved = boss.post(f"{URL}{body['id']}/approve/", headers={"Idempotency-Key": "a1"})
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        assert approved.json()["decided_by"] == "boss"
        retried = boss.post(f"{URL}{body['id']}/approve/", headers={"Idempotency-Key": "a1"})
        assert retried.status_code == 200 and retried.json() == approved.json()
        again = boss.post(f"{URL}{body['id']}/approve/")
        assert again.status_code == 409 and "already approved" in again.json()["detail"]
        assert stock(shop["steel"]) == D("98")

    def test_reject(self, shop):
        adjustment = ask(shop)
        boss = self.client(shop["boss"])
        no_reason = boss.post(f"{URL}{adjustment.pk}/reject/", {}, format="json")
        assert no_reason.status_code == 400 and no_reason.json()["detail"]
        rejected = boss.post(f"{URL}{adjustment.pk}/reject/", {"reason": "recount"}, format="json")
        assert rejected.status_code == 200 and rejected.json()["decision_note"] == "recount"
        assert boss.post(f"{URL}999999/reject/", {"reason": "x"}, format="json").status_code == 404

    def test_refusals_and_roles(self, shop):
        clerk = self.client(shop["clerk"])
        for bad in (
            {},
            {"item": "R", "counted_quantity": "abc", "reason": "r"},
            {"item": "R", "counted_quantity": "1e99", "reason": "r"},
            {"item": "R", "counted_quantity": "-1", "reason": "r"},
            {"item": "R", "counted_quantity": "1.0001", "reason": "r"},
            {"item": "NOPE", "counted_quantity": "1", "reason": "r"},
            {"item": "R", "counted_quantity": "1", "reason": ""},
            {"item": "R", "counted_quantity": "1", "reason": "r", "location": "attic"},
            {"item": "R", "counted_quantity": "1", "reason": "r", "warehouse": "X"},
        ):
            response = clerk.post(URL, bad, format="json")
            assert response.status_code == 400, (bad, response.content)
            assert response.json()["detail"]
        assert (
            self.client(shop["boss"])
            .post(URL, {"item": "R", "counted_quantity": "1", "reason": "r"}, format="json")
            .status_code
            == 403
        )
        assert (
            self.client(shop["sales"])
            .post(URL, {"item": "R", "counted_quantity": "1", "reason": "r"}, format="json")
            .status_code
            == 403
        )
        assert StockAdjustment.objects.count() == 0

    def test_list_is_a_fixed_number_of_queries(self, shop, django_assert_max_num_queries):
        for n in range(10):
            adjustment = ask(shop, counted=str(90 + n))
            if n % 2:
                adjustment_approve(user=shop["boss"], adjustment=adjustment)
        client = self.client(shop["sales"])
        with django_assert_max_num_queries(6):
            listed = client.get(URL)
        assert listed.json()["count"] == 10
        assert client.get(URL, {"status": "approved"}).json()["count"] == 5
        assert client.get(URL, {"item": "R", "warehouse": "MAIN"}).json()["count"] == 10


class TestPages:
    def test_the_warehouse_asks_and_the_manager_approves_from_the_list(self, client, shop):
        client.force_login(shop["clerk"])
        form = client.get(reverse("materials:adjustment-create"), {"item": "R"})
        assert form.status_code == 200
        response = client.post(
            reverse("materials:adjustment-create"),
            {
                "item": "R",
                "warehouse": "MAIN",
                "location": "usable",
                "counted_quantity": "99",
                "reason": "count",
            },
        )
        adjustment = StockAdjustment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "materials:adjustment-detail", args=[adjustment.number]
        )
        page = client.get(reverse("materials:adjustment-list"))
        assert (
            adjustment.number in page.content.decode()
            and f"approve-{adjustment.number}" not in page.content.decode()
        )
        assert (
            client.post(
                reverse("materials:adjustment-approve", args=[adjustment.number])
            ).status_code
            == 403
        )
        client.force_login(shop["boss"])
        listed = client.get(reverse("materials:adjustment-list"), {"status": "requested"})
        assert f'data-testid="approve-{adjustment.number}"' in listed.content.decode()
        done = client.post(
            reverse("materials:adjustment-approve", args=[adjustment.number]), {"next": "list"}
        )
        assert done.status_code == 302 and done["Location"] == reverse("materials:adjustment-list")
        assert stock(shop["steel"]) == D("99")
        detail = re.sub(
            r"\s+",
            " ",
            client.get(
                reverse("materials:adjustment-detail", args=[adjustment.number])
            ).content.decode(),
        )
        assert "The count 99 kg is now the balance (-1 kg)." in detail
        ledger = client.get(reverse("materials:stock-ledger", args=["R"])).content.decode()
        assert reverse("materials:adjustment-detail", args=[adjustment.number]) in ledger

    def test_reject_from_the_page_and_bad_input(self, client, shop):
        client.force_login(shop["clerk"])
        bad = client.post(
            reverse("materials:adjustment-create"),
            {
                "item": "R",
                "warehouse": "MAIN",
                "location": "usable",
                "counted_quantity": "1.2345",
                "reason": "count",
            },
        )
        assert bad.status_code == 200 and "3 decimals" in bad.content.decode()
        unknown = client.post(
            reverse("materials:adjustment-create"),
            {
                "item": "NOPE",
                "warehouse": "MAIN",
                "location": "usable",
                "counted_quantity": "1",
                "reason": "count",
            },
        )
        assert "There is no item NOPE." in unknown.content.decode()
        adjustment = ask(shop)
        client.force_login(shop["boss"])
        empty = client.post(
            reverse("materials:adjustment-reject", args=[adjustment.number]), {"reason": ""}
        )
        assert empty.status_code == 302
        adjustment.refresh_from_db()
        assert adjustment.status == "requested"
        client.post(
            reverse("materials:adjustment-reject", args=[adjustment.number]),
            {"reason": "count again"},
        )
        adjustment.refresh_from_db()
        assert adjustment.status == "rejected" and adjustment.decision_note == "count again"
        assert client.get(reverse("materials:adjustment-detail", args=["ADJ-0"])).status_code == 404

    def test_the_list_page_is_a_fixed_number_of_queries(
        self, client, shop, django_assert_max_num_queries
    ):
        for n in range(15):
            ask(shop, counted=str(n))
        client.force_login(shop["boss"])
        with django_assert_max_num_queries(10):
            response = client.get(reverse("materials:adjustment-list"))
        assert len(response.context["page"]) == 15

    def test_sales_cannot_ask_for_an_adjustment(self, client, shop):
        client.force_login(shop["sales"])
        assert client.get(reverse("materials:adjustment-create")).status_code == 403
        assert client.get(reverse("materials:adjustment-list")).status_code == 200
