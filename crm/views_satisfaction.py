"""Satisfaction pages: the customer's survey link (no login), a salesperson recording the
answers on the phone, and the scores per customer with the surveys sent."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from crm import selectors_satisfaction as selectors
from crm.forms_satisfaction import SurveyForm
from crm.models_satisfaction import Survey
from crm.services.satisfaction import (
    SurveyExpired,
    survey_answer_by_link,
    survey_record_by_phone,
)
from customers.access import LOGS_CONTACTS, roles_required
from customers.models import Customer
from erp.errors import ConflictError, DomainError

SURVEYS_PAGE = 50
STATUSES = ("open", "answered", "expired")


def _refusal_to_form(form, refusal: DomainError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@never_cache
@csrf_protect
def survey_public(request, token: str):
    """The customer's link: answer once, until the survey closes. No login; the page names
    only the customer."""
    survey = Survey.objects.select_related("customer").filter(token=token[:64]).first()
    if survey is None:
        raise Http404(_("There is no such survey."))
    today = timezone.localdate()
    if survey.answered:
        return render(request, "crm/survey_public_done.html", {"survey": survey, "late": False})
    if survey.is_expired(today):
        context = {"survey": survey, "late": True}
        return render(request, "crm/survey_public_done.html", context, status=410)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                survey_answer_by_link(token=survey.token, data=form.cleaned_data)
            except SurveyExpired as refusal:
                context = {"survey": survey, "late": True, "message": refusal.message}
                return render(request, "crm/survey_public_done.html", context, status=410)
            except ConflictError:
                context = {"survey": survey, "late": False}
                return render(request, "crm/survey_public_done.html", context, status=409)
            except DomainError as refusal:
                _refusal_to_form(form, refusal)
            else:
                survey.refresh_from_db()
                return render(
                    request, "crm/survey_public_done.html", {"survey": survey, "thanks": True}
                )
    context = {"survey": survey, "form": form}
    return render(request, "crm/survey_public.html", context, status=status)


@roles_required(*LOGS_CONTACTS)
def survey_by_phone(request, code: str):
    """A salesperson asks the questions on the phone (the customer's open survey is
    answered, or a new one recorded)."""
    customer = get_object_or_404(Customer, code=code.replace("\x00", ""))
    form = SurveyForm(request.POST or None, by_phone=True)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_record_by_phone(
                user=request.user, customer=customer, data=form.cleaned_data
            )
        except DomainError as refusal:
            _refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("Survey recorded: score %(score)s.") % {"score": survey.score}
            )
            return redirect("crm:customer-360", code=customer.code)
    status = 400 if request.method == "POST" else 200
    context = {"customer": customer, "form": form}
    return render(request, "crm/survey_phone.html", context, status=status)


def _date(value: str | None, default: dt.date | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@roles_required(*LOGS_CONTACTS)
def satisfaction(request):
    """Scores per customer over a period (default: the year to date), lowest first, and the
    surveys sent (sales: its own customers)."""
    today = timezone.localdate()
    start = _date(request.GET.get("start"), dt.date(today.year, 1, 1))
    end = _date(request.GET.get("end"), today)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    scores = selectors.scores_by_customer(user=request.user, start=start, end=end)[:100]
    surveys = selectors.surveys_for(user=request.user, status=status, today=today)
    page = Paginator(surveys, SURVEYS_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "start": start,
        "end": end,
        "status": status,
        "statuses": STATUSES,
        "average": selectors.average_score(
            start=start,
            end=end,
            salesperson=None if selectors.sees_all_surveys(request.user) else request.user,
        ),
        "scores": scores,
        "page": page,
        "query": params.urlencode(),
        "today": today,
    }
    return render(request, "crm/satisfaction.html", context)
