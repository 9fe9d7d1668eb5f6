"""The margin floor page (managers): the floors in force, their history, and the form that
sets one. Translates the form into orders.services.margin_floor.set_margin_floor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from erp.errors import DomainError
from orders.forms_pricing import MarginFloorForm
from orders.selectors.margin_floor import floor_history, floors_in_force
from orders.services.margin_floor import may_set_margin_floor, set_margin_floor


@login_required
def margin_floor(request):
    if not may_set_margin_floor(request.user):
        raise PermissionDenied
    form = MarginFloorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            floor = set_margin_floor(
                user=request.user,
                item=data["item"] or None,
                percent=data["percent"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            what = floor.item.code if floor.item else _("the factory")
            if floor.percent is None:
                text = _("Margin floor of %(what)s removed.") % {"what": what}
            else:
                text = _("Margin floor of %(what)s set to %(percent)s%%.") % {
                    "what": what,
                    "percent": f"{floor.percent.normalize():f}",
                }
            messages.success(request, text)
            return redirect("orders:margin-floor")
    context = {"form": form, "in_force": floors_in_force(), "history": floor_history()}
    return render(request, "orders/margin_floor.html", context)
