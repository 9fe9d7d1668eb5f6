from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from erp.health import health
from erp.models import Profile
from erp.navigation import links_for_role, role_title
from erp.roles import Role, user_roles
from erp.workqueue import panels_for

ROLE_GREETING = {
    Role.SALES.value: _("Your orders, their material status and your customers."),
    Role.WAREHOUSE.value: _("Slips to issue, receipts to book, stock to count."),
    Role.PURCHASING.value: _("Shortfalls to buy, requisitions and purchase orders to chase."),
    Role.PRODUCTION.value: _("The approved plan, daily reports and contact slips."),
    Role.QUALITY.value: _("The defect-control table and defects per process."),
    Role.MANAGER.value: _("Profit by customer and product, tiers and the key-customer portfolio."),
    Role.ADMIN.value: _("Users, roles, master data and the factory workbook."),
}


@login_required
def home(request):
    held = user_roles(request.user)
    cards = [
        {
            "role": r,
            "label": role_title(r),
            "greeting": ROLE_GREETING[r],
            "links": links_for_role(request.user, r),
        }
        for r in Role.values
        if r in held
    ]
    context = {"cards": cards, "panels": panels_for(request.user, timezone.localdate())}
    return render(request, "erp/home.html", context)


class PreferencesForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The browser's language")), *settings.LANGUAGES]

    class Meta:
        model = Profile
        fields = ["language"]
        widgets = {"language": forms.Select(attrs={"class": "form-select"})}


@login_required
def preferences(request):
    """The user's language, from this page or from the switch in every page's menu bar
    (which posts `language` and `next`, the page to go back to)."""
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        if profile.language:
            translation.activate(profile.language)
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            response = redirect(next_url)
        else:
            messages.success(request, _("Preferences saved."))
            response = redirect("preferences")
        if profile.language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language)
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "erp/preferences.html", {"form": form})


@never_cache
@require_GET
def healthz(request):
    result = health()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
