"""Follow-ups (回访): my list for today (overdue, due, coming up), scheduling one for a
customer, closing it with its outcome; and the daily care list (greetings to send)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.forms_relationship import FollowUpDoneForm, FollowUpForm
from crm.models import FollowUp
from crm.selectors_relationship import care_events, follow_ups_of
from crm.services.followups import (
    follow_up_days,
    followup_cancel,
    followup_complete,
    followup_schedule,
)
from customers.access import FOLLOWS_UP, MANAGER, roles_required
from customers.models import Customer
from customers.selectors import current_tier
from erp.errors import DomainError
from erp.roles import has_role


def _tier_code(customer: Customer) -> str | None:
    tier = current_tier(customer_id=customer.pk)
    return tier.tier if tier else None


def _person(request):
    """Whose list: mine, or (for a manager) anyone's by ?owner=username."""
    username = request.GET.get("owner", "").replace("\x00", "")
    if username and has_role(request.user, MANAGER):
        return get_object_or_404(get_user_model(), username=username)
    return request.user


@roles_required(*FOLLOWS_UP)
def followup_list(request):
    person = _person(request)
    today = timezone.localdate()
    context = {
        "person": person,
        "groups": follow_ups_of(owner=person, today=today),
        "today": today,
        "done_form": FollowUpDoneForm(initial={"schedule_next": True}),
        "care": care_events(salesperson=person, today=today),
    }
    return render(request, "crm/followup_list.html", context)


@roles_required(*FOLLOWS_UP)
def followup_create(request, code: str):
    customer = get_object_or_404(
        Customer.objects.select_related("salesperson"), code=code.replace("\x00", "")
    )
    tier = _tier_code(customer)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = get_user_model().objects.filter(username=data["owner"]).first()
        try:
            followup_schedule(
                user=request.user,
                customer=customer,
                purpose=data["purpose"],
                owner=owner,
                due_date=data["due_date"],
                tier=tier,
            )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Follow-up scheduled."))
            return redirect("crm:customer-360", code=customer.code)
    context = {
        "customer": customer,
        "form": form,
        "tier": tier,
        "every_days": follow_up_days(tier),
    }
    return render(request, "crm/followup_form.html", context)


@roles_required(*FOLLOWS_UP)
@require_POST
def followup_done(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.select_related("customer"), pk=pk)
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down what came out of the follow-up."))
        return redirect("crm:followup-list")
    data = form.cleaned_data
    try:
        _done, following = followup_complete(
            followup=followup,
            user=request.user,
            outcome=data["outcome"],
            schedule_next=data["schedule_next"],
            next_due_date=data["next_due_date"],
            tier=_tier_code(followup.customer),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        message = _("Follow-up with %(customer)s done.") % {"customer": followup.customer.code}
        if following:
            message += " " + _("The next one is due %(date)s.") % {
                "date": f"{following.due_date:%Y-%m-%d}"
            }
        messages.success(request, message)
    return redirect("crm:followup-list")


@roles_required(*FOLLOWS_UP)
@require_POST
def followup_cancel_view(request, pk: int):
    followup = get_object_or_404(FollowUp, pk=pk)
    try:
        followup_cancel(followup=followup, user=request.user, reason=request.POST.get("reason", ""))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Follow-up cancelled."))
    return redirect("crm:followup-list")
