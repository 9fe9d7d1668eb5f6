"""Quotations (报价单): written with lines and a total, edited while draft or sent, moved
through their states by one table, expired by their validity (never stored), converted
into a customer order in one step with the quoted prices; every refusal writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from crm.models_quotations import Quotation, QuotationLine, QuotationStatus, line_amount
from crm.selectors_quotations import quotation_list, quotations_expiring
from crm.services.quotations import (
    QuotationStateError,
    quotation_convert,
    quotation_create,
    quotation_move,
    quotation_update,
)
from customers.models import Contact
from erp.errors import DomainError
from orders.models import OrderStatus, SalesOrder
from tests.clock import in_days, today
from tests.crm.profit_data import customer, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_user):
    return make_user("sales", username="li", first_name="Li")


@pytest.fixture
def acme(seller):
    return customer("ACME", salesperson=seller)


def _quote(user, cust, *, valid_days=30, lines=None, **kwargs) -> Quotation:
    item("P1")
    item("K", decimals=3, uom="kg")
    return quotation_create(
        user=user,
        customer=cust,
        valid_until=in_days(valid_days),
        lines=lines
        or [
            {"item": "P1", "quantity": "100", "unit_price": "12.5"},
            {"item": "K", "quantity": "2.125", "unit_price": "3", "discount_percent": "10"},
        ],
        **kwargs,
    )


def test_a_quotation_is_numbered_dated_and_totalled(seller, acme):
    quotation = _quote(seller, acme, notes=" Ex works ")
    assert quotation.number.startswith(f"QT-{today().year}-")
    assert (quotation.quote_date, quotation.status, quotation.salesperson) == (
        today(),
        QuotationStatus.DRAFT,
        seller,
    )
    assert (quotation.created_by, quotation.notes, quotation.currency) == (
        seller,
        "Ex works",
        "CNY",
    )
    lines = list(quotation.lines.order_by("line"))
    assert [(ql.line, ql.item.code) for ql in lines] == [(1, "P1"), (2, "K")]
    # 2.125 kg x 2.70 (3 less 10%) = 5.7375 -> 5.74; 100 x 12.5 = 1250
    assert lines[1].net_price == Decimal("2.7")
    assert lines[1].amount == Decimal("5.74")
    assert quotation.total == Decimal("1255.74")
    second = _quote(seller, acme)
    assert second.number != quotation.number


def test_a_blank_price_takes_the_list_price(seller, acme):
    item("P1").__class__.objects.filter(code="P1").update(list_price=Decimal("7.25"))
    quotation = _quote(seller, acme, lines=[{"item": "P1", "quantity": "4"}])
    assert quotation.lines.get().unit_price == Decimal("7.25")
    assert quotation.total == Decimal("29.00")


def test_amounts_round_half_up_to_the_cent():
    assert line_amount(Decimal("3"), Decimal("0.335"), Decimal("0")) == Decimal("1.01")
    assert line_amount(Decimal("1"), Decimal("0.125"), Decimal("0")) == Decimal("0.13")


def test_every_bad_line_is_reported_at_once_and_nothing_written(seller, acme):
    item("P1")
    item("OLD").__class__.objects.filter(code="OLD").update(is_active=False)
    with pytest.raises(DomainError) as refused:
        quotation_create(
            user=seller,
            customer=acme,
            valid_until=in_days(10),
            lines=[
                {"item": "NOPE", "quantity": "1"},
                {"item": "P1", "quantity": "1.5"},
                {"item": "OLD", "quantity": "1"},
                {"item": "P1", "quantity": "1", "unit_price": "-1"},
                {"item": "P1", "quantity": "1", "discount_percent": "100"},
                {"item": "P1", "quantity": "0"},
            ],
        )
    rows = [(e["row"], e["field"]) for e in refused.value.details]
    assert rows == [
        (1, "item"),
        (2, "quantity"),
        (3, "item"),
        (4, "unit_price"),
        (5, "discount_percent"),
        (6, "quantity"),
    ]
    assert "Line 1: there is no item NOPE." in refused.value.message
    assert not Quotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_until": None}, "valid_until"),
        ({"lines": []}, "lines"),
        ({"currency": "yuan"}, "currency"),
        ({"delivery_days": -1}, "delivery_days"),
    ],
)
def test_header_refusals(seller, acme, change, field):
    item("P1")
    arguments = {
        "user": seller,
        "customer": acme,
        "valid_until": in_days(10),
        "lines": [{"item": "P1", "quantity": "1"}],
        **change,
    }
    with pytest.raises(DomainError) as refused:
        quotation_create(**arguments)
    assert refused.value.field == field
    assert not Quotation.objects.exists()


def test_validity_before_the_date_and_foreign_contact_are_refused(seller, acme):
    item("P1")
    other = customer("OTHER")
    stranger = Contact.objects.create(customer=other, name="Zhao")
    line = [{"item": "P1", "quantity": "1"}]
    with pytest.raises(DomainError) as early:
        quotation_create(
            user=seller, customer=acme, quote_date=in_days(5), valid_until=in_days(4), lines=line
        )
    assert early.value.field == "valid_until"
    with pytest.raises(DomainError) as foreign:
        quotation_create(
            user=seller, customer=acme, valid_until=in_days(4), lines=line, contact=stranger
        )
    assert foreign.value.field == "contact"
    acme.is_active = False
    acme.save()
    with pytest.raises(DomainError) as inactive:
        quotation_create(user=seller, customer=acme, valid_until=in_days(4), lines=line)
    assert inactive.value.field == "customer"


def test_the_database_refuses_a_stored_expired_status(seller, acme):
    quotation = _quote(seller, acme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quotation.objects.filter(pk=quotation.pk).update(status="expired")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotationLine.objects.filter(quotation=quotation).update(quantity=0)


def test_expired_is_computed_from_validity(seller, acme):
    quotation = _quote(seller, acme, valid_days=0)
    assert quotation.shown_status(today()) == QuotationStatus.DRAFT
    tomorrow = in_days(1)
    assert quotation.shown_status(tomorrow) == QuotationStatus.EXPIRED
    assert quotation.status == QuotationStatus.DRAFT  # stored as it was
    listed = quotation_list(user=seller, today=tomorrow, status="expired")
    assert list(listed) == [quotation]
    assert not quotation_list(user=seller, today=tomorrow, status="draft").exists()
    assert not quotation_list(user=seller, today=tomorrow, status="open").exists()


def test_edit_while_draft_or_sent_then_no_more(seller, acme):
    quotation = _quote(seller, acme)
    quotation = quotation_update(
        quotation=quotation,
        user=seller,
        valid_until=in_days(60),
        lines=[{"item": "P1", "quantity": "10", "unit_price": "11"}],
    )
    assert quotation.total == Decimal("110.00")
    assert list(quotation.lines.values_list("line", "quantity")) == [(1, Decimal("10"))]
    quotation_move(quotation=quotation, user=seller, target=QuotationStatus.SENT)
    quotation_update(quotation=quotation, user=seller, notes="Revised")
    quotation_move(quotation=quotation, user=seller, target=QuotationStatus.ACCEPTED)
    with pytest.raises(QuotationStateError):
        quotation_update(quotation=quotation, user=seller, notes="Too late")
    with pytest.raises(DomainError):
        quotation_update(quotation=_quote(seller, acme), user=seller, number="X")


def test_extending_the_validity_revives_an_expired_draft(seller, acme):
    quotation = _quote(seller, acme, quote_date=in_days(-10), valid_days=-1)
    with pytest.raises(QuotationStateError, match="expired"):
        quotation_move(quotation=quotation, user=seller, target=QuotationStatus.SENT)
    quotation_update(quotation=quotation, user=seller, valid_until=in_days(5))
    sent = quotation_move(quotation=quotation, user=seller, target=QuotationStatus.SENT)
    assert sent.status == QuotationStatus.SENT
    assert (sent.status_changed_by, sent.status_changed_at is not None) == (seller, True)


def test_state_table_refusals(seller, acme):
    quotation = _quote(seller, acme)
    with pytest.raises(DomainError) as no_reason:
        quotation_move(quotation=quotation, user=seller, target=QuotationStatus.CANCELLED)
    assert no_reason.value.field == "reason"
    cancelled = quotation_move(
        quotation=quotation, user=seller, target=QuotationStatus.CANCELLED, reason="Lost to X"
    )
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Lost to X")
    with pytest.raises(QuotationStateError):
        quotation_move(quotation=quotation, user=seller, target=QuotationStatus.SENT)
    with pytest.raises(DomainError):
        quotation_move(quotation=quotation, user=seller, target=QuotationStatus.CONVERTED)


def test_convert_makes_a_draft_order_with_the_quoted_prices(seller, acme):
    quotation = _quote(seller, acme, delivery_days=15, notes="Ex works")
    quotation_move(quotation=quotation, user=seller, target=QuotationStatus.ACCEPTED)
    order = quotation_convert(quotation=quotation, user=seller, customer_po="PO-9")
    assert (order.customer, order.status, order.order_date, order.customer_po) == (
        acme,
        OrderStatus.DRAFT,
        today(),
        "PO-9",
    )
    assert order.order_no.startswith("SO-")
    assert f"From quotation {quotation.number}." in order.notes
    lines = [
        (ol.line, ol.item.code, ol.quantity, ol.unit_price, ol.due_date)
        for ol in order.lines.order_by("line")
    ]
    assert lines == [
        (1, "P1", Decimal("100"), Decimal("12.5"), in_days(15)),
        (2, "K", Decimal("2.125"), Decimal("2.7"), in_days(15)),
    ]
    quotation.refresh_from_db()
    assert (quotation.status, quotation.order, quotation.status_changed_by) == (
        QuotationStatus.CONVERTED,
        order,
        seller,
    )
    with pytest.raises(QuotationStateError, match="already converted into order"):
        quotation_convert(quotation=quotation, user=seller)
    assert SalesOrder.objects.count() == 1


def test_convert_on_a_given_due_date(seller, acme):
    quotation = _quote(seller, acme)
    order = quotation_convert(
        quotation=quotation, user=seller, order_date=in_days(1), due_date=in_days(40)
    )
    assert {ol.due_date for ol in order.lines.all()} == {in_days(40)}
    with pytest.raises(DomainError) as early:
        quotation_convert(
            quotation=_quote(seller, acme), user=seller, order_date=in_days(5), due_date=in_days(4)
        )
    assert early.value.field == "due_date"


def test_expired_and_cancelled_quotations_are_not_converted(seller, acme):
    expired = _quote(seller, acme, quote_date=in_days(-40), valid_days=-1)
    with pytest.raises(QuotationStateError, match="expired on"):
        quotation_convert(quotation=expired, user=seller)
    cancelled = _quote(seller, acme)
    quotation_move(quotation=cancelled, user=seller, target="cancelled", reason="No")
    with pytest.raises(QuotationStateError, match="cancelled"):
        quotation_convert(quotation=cancelled, user=seller)
    assert not SalesOrder.objects.exists()
    expired.refresh_from_db()
    assert (expired.status, expired.order) == (QuotationStatus.DRAFT, None)


def test_a_refused_order_leaves_the_quotation_open(seller, acme):
    quotation = _quote(seller, acme)
    item("P1").__class__.objects.filter(code="P1").update(is_active=False)
    with pytest.raises(DomainError, match="inactive"):
        quotation_convert(quotation=quotation, user=seller)
    quotation.refresh_from_db()
    assert (quotation.status, quotation.order) == (QuotationStatus.DRAFT, None)
    assert not SalesOrder.objects.exists()


def test_sales_sees_its_customers_and_own_quotations(make_user, seller, acme):
    other_seller = make_user("sales", username="zhou")
    boss = make_user("manager", username="boss")
    mine = _quote(seller, acme)
    theirs = _quote(other_seller, customer("OTHER", salesperson=other_seller))
    written_for_other = _quote(seller, customer("OTHER"))  # li wrote it: li follows it up
    assert set(quotation_list(user=seller, today=today())) == {mine, written_for_other}
    assert set(quotation_list(user=other_seller, today=today())) == {theirs, written_for_other}
    assert quotation_list(user=boss, today=today()).count() == 3
    assert written_for_other.salesperson == seller


def test_a_manager_writes_for_the_customers_salesperson(make_user, seller, acme):
    boss = make_user("manager", username="boss")
    assert _quote(boss, acme).salesperson == seller


def test_quotations_expiring_for_the_work_queue(seller, acme):
    soon = _quote(seller, acme, valid_days=3)
    _quote(seller, acme, valid_days=20)
    past = _quote(seller, acme, quote_date=in_days(-5), valid_days=-1)
    last_day = _quote(seller, acme, valid_days=0)
    sent_soon = _quote(seller, acme, valid_days=7)
    quotation_move(quotation=sent_soon, user=seller, target="sent")
    done = _quote(seller, acme, valid_days=2)
    quotation_convert(quotation=done, user=seller)
    expiring = list(quotations_expiring(seller, today()))
    assert expiring == [last_day, soon, sent_soon]
    assert past not in expiring
    assert list(quotations_expiring(seller, today(), days=0)) == [last_day]


def test_quotation_dates_follow_the_clock(seller, acme):
    quotation = _quote(seller, acme, valid_days=1)
    assert quotation.valid_until - quotation.quote_date == dt.timedelta(days=1)
