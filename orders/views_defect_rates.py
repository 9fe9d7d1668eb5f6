"""Quality's page for open orders after a change of the defect-control table: how many
lines keep older rates, what re-applying today's table would do to their pick limits
(shown first), and the re-apply itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orders.selectors.defect_rates import reapply_effect
from orders.services.defect_rates import reapply_defect_rates

PERMISSION = "materials.change_process"
SHOWN = 200


@login_required
@permission_required(PERMISSION, raise_exception=True)
def defect_rates_reapply(request):
    rows, kept = reapply_effect(limit=SHOWN)
    context = {"rows": rows, "kept": kept, "shown": SHOWN}
    return render(request, "orders/defect_rates_reapply.html", context)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def defect_rates_reapply_confirm(request):
    moved = reapply_defect_rates(user=request.user)
    messages.success(
        request,
        _("Today's defect-control table now applies to %(count)s open order lines.")
        % {"count": moved},
    )
    return redirect("materials:process-list")
