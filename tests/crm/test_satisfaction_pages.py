"""Survey pages: the public link (no login; one answer; expiry; bad input as form errors;
unknown token 404), the phone survey from the 360, the satisfaction page, and the score and
trend on the 360."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from crm.models_satisfaction import Survey
from crm.services import satisfaction as service
from tests.clock import today
from tests.factories import CustomerFactory, SalesOrderFactory

pytestmark = pytest.mark.django_db
GOOD = {"quality": "5", "delivery": "4", "service": "4", "overall": "5", "comment": "Fine"}


@pytest.fixture
def survey():
    order = SalesOrderFactory(customer=CustomerFactory(code="ACME", name="Acme Pipes"))
    return service.survey_after_delivery(order=order, delivery_no="DN-2026-000001")


def url(survey) -> str:
    return reverse("crm:survey-public", args=[survey.token])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_customer_answers_without_login(survey):
    client = Client()
    page = client.get(url(survey))
    assert page.status_code == 200 and "Acme Pipes" in text(page)
    assert "DN-2026-000001" in text(page)
    done = client.post(url(survey), GOOD)
    assert done.status_code == 200 and 'data-testid="survey-done"' in text(done)
    survey.refresh_from_db()
    assert survey.score == 4.5 and survey.channel == "link" and survey.comment == "Fine"
    # once only: the link now says so, and a second post changes nothing
    again = client.post(url(survey), {**GOOD, "quality": "1"})
    assert "Already answered" in text(again)
    survey.refresh_from_db()
    assert survey.quality == 5


def test_bad_input_is_a_form_error(survey):
    response = Client().post(url(survey), {**GOOD, "quality": "7", "delivery": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"quality", "delivery"}
    assert Survey.objects.get().answered_at is None


def test_an_expired_link(survey):
    Survey.objects.filter(pk=survey.pk).update(expires_on=today() - dt.timedelta(days=1))
    response = Client().get(url(survey))
    assert response.status_code == 410 and "closed" in text(response)
    assert Client().post(url(survey), GOOD).status_code == 410
    assert Survey.objects.get().answered_at is None


def test_an_unknown_token_is_404(survey):
    assert Client().get(reverse("crm:survey-public", args=["x" * 43])).status_code == 404
    assert Client().get(url(survey)[:-3] + "zz/").status_code == 404


def test_phone_survey_and_the_360(make_user, django_assert_max_num_queries):
    seller = make_user("sales", username="li")
    CustomerFactory(code="ACME", salesperson=seller)
    client = Client()
    client.force_login(seller)
    phone_url = reverse("crm:survey-phone", args=["ACME"])
    assert client.get(phone_url).status_code == 200
    assert client.post(phone_url, {**GOOD, "overall": ""}).status_code == 400
    response = client.post(phone_url, {**GOOD, "respondent": "Wang"})
    assert response.status_code == 302
    recorded = Survey.objects.get()
    assert (recorded.channel, recorded.recorded_by, recorded.respondent) == (
        "phone",
        seller,
        "Wang",
    )
    page = client.get(reverse("crm:customer-360", args=["ACME"]))
    body = text(page)
    assert 'data-testid="satisfaction-score">4.50<' in body.replace(" ", "")
    assert phone_url in body
    assert 'data-testid="satisfaction-trend"' in body


def test_phone_survey_refused_to_other_roles(make_user, survey):
    for role in ("warehouse", "quality", "production", "purchasing"):
        client = Client()
        client.force_login(make_user(role))
        assert client.post(reverse("crm:survey-phone", args=["ACME"]), GOOD).status_code == 403
        assert client.get(reverse("crm:satisfaction")).status_code == 403
    assert Survey.objects.get().answered_at is None


def test_satisfaction_page(make_user, django_assert_max_num_queries):
    seller = make_user("sales", username="li")
    mine = CustomerFactory(code="MINE", salesperson=seller)
    theirs = CustomerFactory(code="THEIRS", salesperson=make_user("sales", username="wu"))
    for n in range(30):
        order = SalesOrderFactory(customer=mine if n % 2 else theirs)
        sent = Survey.objects.create(
            customer=order.customer,
            trigger="delivery",
            order=order,
            delivery_no=f"DN-{n}",
            token=f"t{n}",
            sent_on=today(),
            expires_on=today(),
        )
        if n % 3 == 0:
            service.survey_answer_by_link(token=sent.token, data=GOOD)
    client = Client()
    client.force_login(seller)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("crm:satisfaction"))
    assert response.status_code == 200
    body = text(response)
    assert "MINE" in body and "THEIRS" not in body
    assert body.count('data-testid="survey-link"') == 10  # my open ones (15 minus 5 answered)
    open_only = client.get(reverse("crm:satisfaction") + "?status=answered&start=x")
    assert open_only.status_code == 200 and 'data-testid="survey-link"' not in text(open_only)
