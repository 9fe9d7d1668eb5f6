"""Satisfaction surveys: one after each delivery (none while one is open), one a quarter for
VIP customers, answered once through the link until it expires or recorded by phone; the
score per customer and its trend by month."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from crm.models_satisfaction import Survey, SurveyChannel, SurveyTrigger
from crm.selectors_satisfaction import average_score, score_trend, scores_by_customer
from crm.services import satisfaction as service
from customers import selectors as customer_selectors
from erp.errors import ConflictError, DomainError
from orders.services.shipments import ship
from tests.clock import today
from tests.factories import CustomerFactory, SalesOrderFactory
from tests.orders.warehouse_support import build_floor

pytestmark = pytest.mark.django_db
ANSWERS = {"quality": 5, "delivery": 4, "service": "4", "overall": 3, "comment": " ok "}


@pytest.fixture
def floor(make_user):
    return build_floor(make_user)


def answered(customer, *, scores=(5, 5, 5, 5), when=None) -> Survey:
    survey = service._new_survey(
        customer_id=customer.pk, trigger=SurveyTrigger.PHONE, today=today()
    )
    data = dict(zip(("quality", "delivery", "service", "overall"), scores, strict=True))
    service._answer(survey, service.clean_answers(data), channel=SurveyChannel.PHONE, user=None)
    if when is not None:
        Survey.objects.filter(pk=survey.pk).update(answered_at=when)
    return survey


def test_a_delivery_sends_one_survey(floor):
    ship(user=floor["clerk"], order_no="SO1", lines=[(1, Decimal("5"))])
    survey = Survey.objects.get()
    assert survey.trigger == SurveyTrigger.DELIVERY
    assert survey.customer == floor["order"].customer and survey.order == floor["order"]
    assert survey.delivery_no.startswith("DN-")
    assert survey.expires_on == today() + dt.timedelta(days=service.SURVEY_VALID_DAYS)
    assert len(survey.token) >= 40 and survey.created_by == floor["clerk"]
    # a second delivery while the first survey is open sends none (one question at a time)
    ship(user=floor["clerk"], order_no="SO1", lines=[(2, Decimal("1"))])
    assert Survey.objects.count() == 1


def test_a_delivery_after_the_answer_sends_the_next(floor):
    ship(user=floor["clerk"], order_no="SO1", lines=[(1, Decimal("5"))])
    first = Survey.objects.get()
    service.survey_answer_by_link(token=first.token, data=ANSWERS)
    ship(user=floor["clerk"], order_no="SO1", lines=[(1, Decimal("5"))])
    assert Survey.objects.count() == 2


def test_a_refused_shipment_sends_no_survey(floor):
    with pytest.raises(DomainError):
        ship(user=floor["clerk"], order_no="SO1", lines=[(1, Decimal("500"))])
    assert not Survey.objects.exists()


def test_one_survey_per_delivery_number():
    order = SalesOrderFactory()
    first = service.survey_after_delivery(order=order, delivery_no="DN-1")
    service.survey_answer_by_link(token=first.token, data=ANSWERS)
    assert service.survey_after_delivery(order=order, delivery_no="DN-1") is None
    with pytest.raises(IntegrityError):
        Survey.objects.create(
            customer=order.customer,
            trigger=SurveyTrigger.DELIVERY,
            delivery_no="DN-1",
            token="x",
            sent_on=today(),
            expires_on=today(),
        )


def test_answer_by_link_once(make_user):
    survey = service.survey_after_delivery(order=SalesOrderFactory(), delivery_no="DN-9")
    done = service.survey_answer_by_link(token=survey.token, data=ANSWERS)
    assert (done.quality, done.delivery, done.service, done.overall) == (5, 4, 4, 3)
    assert done.score == Decimal("4.00") and done.comment == "ok"
    assert done.channel == SurveyChannel.LINK and done.recorded_by is None
    with pytest.raises(ConflictError):
        service.survey_answer_by_link(token=survey.token, data=ANSWERS)


def test_an_expired_link_is_refused():
    survey = service.survey_after_delivery(order=SalesOrderFactory(), delivery_no="DN-9")
    Survey.objects.filter(pk=survey.pk).update(expires_on=today() - dt.timedelta(days=1))
    with pytest.raises(service.SurveyExpired):
        service.survey_answer_by_link(token=survey.token, data=ANSWERS)
    assert Survey.objects.get().answered_at is None


def test_unknown_token():
    with pytest.raises(Survey.DoesNotExist):
        service.survey_answer_by_link(token="nope", data=ANSWERS)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quality": 0}, "quality"),
        ({"delivery": 6}, "delivery"),
        ({"service": "x"}, "service"),
        ({"overall": None}, "overall"),
        ({"overall": True}, "overall"),
        ({"comment": "x" * 2001}, "comment"),
        ({"respondent": "x" * 101}, "respondent"),
    ],
)
def test_bad_answers_refused_whole(change, field):
    survey = service.survey_after_delivery(order=SalesOrderFactory(), delivery_no="DN-9")
    with pytest.raises(DomainError) as refusal:
        service.survey_answer_by_link(token=survey.token, data={**ANSWERS, **change})
    assert refusal.value.field == field
    assert Survey.objects.get().answered_at is None


def test_phone_answers_the_open_survey_else_records_one(make_user):
    seller = make_user("sales", username="li")
    order = SalesOrderFactory()
    sent = service.survey_after_delivery(order=order, delivery_no="DN-1")
    by_phone = service.survey_record_by_phone(user=seller, customer=order.customer, data=ANSWERS)
    assert by_phone.pk == sent.pk and by_phone.channel == SurveyChannel.PHONE
    assert by_phone.recorded_by == seller and by_phone.updated_by == seller
    again = service.survey_record_by_phone(user=seller, customer=order.customer, data=ANSWERS)
    assert again.pk != sent.pk and again.trigger == SurveyTrigger.PHONE
    assert again.created_by == seller


def test_periodic_surveys_once_a_quarter():
    vip, busy, inactive = CustomerFactory(), CustomerFactory(), CustomerFactory(is_active=False)
    service.survey_after_delivery(order=SalesOrderFactory(customer=busy), delivery_no="DN-1")
    sent = service.send_periodic_surveys(customer_ids=[vip.pk, busy.pk, inactive.pk])
    assert [s.customer for s in sent] == [vip]
    assert sent[0].period_start == service.quarter_start(today())
    assert service.send_periodic_surveys(customer_ids=[vip.pk]) == []  # same quarter


def test_vip_surveys_read_the_tier(monkeypatch):
    vip, normal = CustomerFactory(), CustomerFactory()
    tiers = {vip.pk: "VIP", normal.pk: "NORMAL"}

    class Tier:
        def __init__(self, code):
            self.tier = code

    monkeypatch.setattr(
        customer_selectors, "_tier_source", lambda customer_id: Tier(tiers[customer_id])
    )
    call_command("send_vip_surveys")
    assert list(Survey.objects.values_list("customer", "trigger")) == [(vip.pk, "periodic")]


def test_quarter_start():
    assert service.quarter_start(dt.date(2026, 5, 31)) == dt.date(2026, 4, 1)
    assert service.quarter_start(dt.date(2026, 12, 1)) == dt.date(2026, 10, 1)


def test_average_and_trend():
    acme, beta = CustomerFactory(), CustomerFactory()
    now = timezone.now()
    last_month = now - dt.timedelta(days=40)
    answered(acme, scores=(5, 5, 5, 5), when=now)
    answered(acme, scores=(3, 3, 3, 3), when=last_month)
    answered(beta, scores=(2, 2, 2, 2), when=now)
    assert average_score() == Decimal("3.33")
    assert average_score(acme) == Decimal("4.00")
    assert average_score(acme, start=timezone.localdate(now)) == Decimal("5.00")
    assert average_score(CustomerFactory()) is None
    trend = score_trend(acme)
    assert [(t["score"], t["count"]) for t in trend] == [(Decimal("3.00"), 1), (Decimal("5.00"), 1)]
    assert trend[0]["month"] < trend[1]["month"] and trend[1]["month"].day == 1


def test_scores_by_customer_scoped(make_user, django_assert_max_num_queries):
    seller, other = make_user("sales", username="li"), make_user("sales", username="wu")
    boss = make_user("manager", username="boss")
    mine = CustomerFactory(salesperson=seller)
    answered(mine, scores=(2, 2, 2, 2))
    answered(CustomerFactory(salesperson=other))
    with django_assert_max_num_queries(2):  # the user's roles, the scores
        rows = list(scores_by_customer(user=seller))
    assert [(c, c.survey_score, c.survey_count) for c in rows] == [(mine, Decimal("2"), 1)]
    assert len(list(scores_by_customer(user=boss))) == 2


def test_clock_offset_does_not_matter():
    with time_machine.travel(dt.datetime(2027, 3, 31, 12, tzinfo=dt.UTC), tick=False):
        assert service.quarter_start(timezone.localdate()) == dt.date(2027, 1, 1)
