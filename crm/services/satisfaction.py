"""Satisfaction surveys (客户满意度): send one after a delivery and every quarter to VIP
customers, take the answer through the survey link (no login; once; until it expires) or
record it by phone. Writes are atomic and record who and when."""

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models_satisfaction import (
    SCORE_FIELDS,
    Survey,
    SurveyChannel,
    SurveyTrigger,
)
from customers.models import Customer
from customers.selectors import current_tier_code
from erp.errors import ConflictError, DomainError

# A survey link may be answered for this many days after it is sent.
SURVEY_VALID_DAYS = 30
MAX_COMMENT = 2000
MAX_RESPONDENT = Survey._meta.get_field("respondent").max_length
VIP = "VIP"


class SurveyExpired(DomainError):
    """The survey link is past its date (HTTP 410 on the public page)."""

    status_code = 410


def _token() -> str:
    return secrets.token_urlsafe(32)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def open_surveys(customer_ids: Iterable[int] | None = None, *, today: dt.date):
    """Surveys sent and not answered yet, still answerable on `today`."""
    found = Survey.objects.filter(answered_at__isnull=True, expires_on__gte=today)
    if customer_ids is not None:
        found = found.filter(customer_id__in=list(customer_ids))
    return found


def _new_survey(*, customer_id: int, trigger: str, today: dt.date, user=None, **fields) -> Survey:
    survey = Survey(
        customer_id=customer_id,
        trigger=trigger,
        token=_token(),
        sent_on=today,
        expires_on=today + dt.timedelta(days=SURVEY_VALID_DAYS),
        **fields,
    )
    survey.stamp(user)
    return survey


@transaction.atomic
def survey_after_delivery(
    *, order, delivery_no: str, user=None, today: dt.date | None = None
) -> Survey | None:
    """A survey for the customer of `order` after delivery `delivery_no`: one per delivery,
    and none while the customer still has an open survey (one question at a time, not one
    per truck). Returns the survey sent, or None."""
    today = today or timezone.localdate()
    customer_id = order.customer_id
    if open_surveys([customer_id], today=today).exists():
        return None
    if Survey.objects.filter(
        customer_id=customer_id, trigger=SurveyTrigger.DELIVERY, delivery_no=delivery_no
    ).exists():
        return None
    survey = _new_survey(
        customer_id=customer_id,
        trigger=SurveyTrigger.DELIVERY,
        today=today,
        user=user,
        order=order,
        delivery_no=delivery_no,
    )
    survey.save()
    return survey


def on_delivery_shipped(sender, *, order, delivery_no: str, user=None, **kwargs) -> None:
    """Receiver of orders.signals.delivery_shipped (connected in CrmConfig.ready)."""
    survey_after_delivery(order=order, delivery_no=delivery_no, user=user)


@transaction.atomic
def send_periodic_surveys(
    *, customer_ids: Iterable[int], today: dt.date | None = None, user=None
) -> list[Survey]:
    """One survey per customer and quarter for the given (VIP) customers; a customer who has
    this quarter's already, or an open one, gets none. Safe to run again."""
    today = today or timezone.localdate()
    period = quarter_start(today)
    wanted = set(customer_ids)
    if not wanted:
        return []
    busy = set(
        Survey.objects.filter(customer_id__in=wanted)
        .filter(
            Q(trigger=SurveyTrigger.PERIODIC, period_start=period)
            | Q(answered_at__isnull=True, expires_on__gte=today)
        )
        .values_list("customer_id", flat=True)
    )
    active = Customer.objects.filter(pk__in=wanted - busy, is_active=True)
    surveys = [
        _new_survey(
            customer_id=pk,
            trigger=SurveyTrigger.PERIODIC,
            today=today,
            user=user,
            period_start=period,
        )
        for pk in active.order_by("pk").values_list("pk", flat=True)
    ]
    return Survey.objects.bulk_create(surveys)


def vip_customer_ids(*, today: dt.date) -> list[int]:
    """Active customers whose tier is VIP now and who have neither this quarter's survey
    nor an open one (only those are asked for their tier)."""
    period = quarter_start(today)
    busy = Survey.objects.filter(customer=OuterRef("pk")).filter(
        Q(trigger=SurveyTrigger.PERIODIC, period_start=period)
        | Q(answered_at__isnull=True, expires_on__gte=today)
    )
    candidates = (
        Customer.objects.filter(is_active=True)
        .exclude(Exists(busy))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [pk for pk in candidates.iterator() if current_tier_code(customer_id=pk) == VIP]


def send_vip_surveys(*, today: dt.date | None = None, user=None) -> list[Survey]:
    """This quarter's survey for every VIP customer (the beat task and the command)."""
    today = today or timezone.localdate()
    return send_periodic_surveys(customer_ids=vip_customer_ids(today=today), today=today, user=user)


def clean_answers(data: Mapping) -> dict:
    """The four scores (whole numbers 1 to 5, all required), the comment and who answered.
    Raises DomainError naming the first bad field."""
    cleaned = {}
    for name in SCORE_FIELDS:
        value = data.get(name)
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or not 1 <= number <= 5:
            raise DomainError(_("Choose a score from 1 to 5."), field=name)
        cleaned[name] = number
    comment = (data.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            _("The comment is longer than %(n)s characters.") % {"n": MAX_COMMENT},
            field="comment",
        )
    respondent = (data.get("respondent") or "").strip()
    if len(respondent) > MAX_RESPONDENT:
        raise DomainError(
            _("The name is longer than %(n)s characters.") % {"n": MAX_RESPONDENT},
            field="respondent",
        )
    cleaned["comment"] = comment
    cleaned["respondent"] = respondent
    return cleaned


def survey_score(answers: Mapping) -> Decimal:
    total = sum(Decimal(answers[name]) for name in SCORE_FIELDS)
    return (total / len(SCORE_FIELDS)).quantize(Decimal("0.01"))


def _answer(survey: Survey, answers: dict, *, channel: str, user) -> Survey:
    for name, value in answers.items():
        setattr(survey, name, value)
    survey.score = survey_score(answers)
    survey.answered_at = timezone.now()
    survey.channel = channel
    survey.recorded_by = user if getattr(user, "is_authenticated", False) else None
    survey.stamp(user)
    survey.save()
    return survey


def _locked(survey_filter: Q, *, today: dt.date) -> Survey:
    survey = Survey.objects.select_for_update().filter(survey_filter).first()
    if survey is None:
        raise Survey.DoesNotExist
    if survey.answered:
        raise ConflictError(_("This survey has already been answered. Thank you!"))
    if survey.is_expired(today):
        raise SurveyExpired(
            _("This survey closed on %(date)s.") % {"date": survey.expires_on.isoformat()}
        )
    return survey


@transaction.atomic
def survey_answer_by_link(*, token: str, data: Mapping) -> Survey:
    """The customer answers through the link: once, until the survey expires. Raises
    Survey.DoesNotExist for an unknown token."""
    today = timezone.localdate()
    answers = clean_answers(data)
    survey = _locked(Q(token=token), today=today)
    return _answer(survey, answers, channel=SurveyChannel.LINK, user=None)


@transaction.atomic
def survey_record_by_phone(*, user, customer: Customer, data: Mapping) -> Survey:
    """A salesperson asks the questions on the phone: the customer's open survey is
    answered, or a new phone survey is recorded."""
    today = timezone.localdate()
    answers = clean_answers(data)
    survey = (
        open_surveys([customer.pk], today=today)
        .select_for_update()
        .order_by("sent_on", "pk")
        .first()
    )
    if survey is None:
        survey = _new_survey(
            customer_id=customer.pk, trigger=SurveyTrigger.PHONE, today=today, user=user
        )
    try:
        with transaction.atomic():
            return _answer(survey, answers, channel=SurveyChannel.PHONE, user=user)
    except IntegrityError as exc:  # pragma: no cover - the checks above keep to the rules
        raise ConflictError(_("The survey could not be saved; try again.")) from exc
