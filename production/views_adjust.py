"""Pages of production's adjustments of the approved plan: the move / split / push forms of
one line (an htmx fragment on the plan page, or a page of its own without JavaScript), each
with its reason. The rules are production.services.adjust's; this view translates forms."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from erp.errors import DomainError
from materials.models import WorkCenter
from production.models import PlanAdjustment, PlanLine, PlanStatus
from production.services.adjust import (
    may_adjust,
    plan_adjust_move,
    plan_adjust_push,
    plan_adjust_split,
)

PLAN_VIEW = "production.view_productionplan"


def _machines():
    return forms.ModelChoiceField(
        label=gettext_lazy("Machine"),
        queryset=WorkCenter.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("(same machine)"),
    )


class _Adjust(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    late_ok = forms.BooleanField(
        label=gettext_lazy(
            "If this makes an order late: tell sales follow-up with a contact slip (联络单)"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"


class MoveForm(_Adjust):
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=0, decimal_places=6)
    from_date = forms.DateField(
        label=gettext_lazy("From day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    to_date = forms.DateField(
        label=gettext_lazy("To day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    work_center = _machines()
    field_order = ["quantity", "from_date", "to_date", "work_center", "reason", "late_ok"]


class SplitForm(_Adjust):
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity split off"), min_value=0, decimal_places=6
    )
    start_date = forms.DateField(
        label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    work_center = _machines()
    field_order = ["quantity", "start_date", "work_center", "reason", "late_ok"]


class PushForm(_Adjust):
    start_date = forms.DateField(
        label=gettext_lazy("New start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    field_order = ["start_date", "reason", "late_ok"]


KINDS = {
    "move": (MoveForm, gettext_lazy("Move a quantity to another day or machine")),
    "split": (SplitForm, gettext_lazy("Split the line")),
    "push": (PushForm, gettext_lazy("Push the start date")),
}


def _run(kind: str, line: PlanLine, data: dict, user) -> PlanAdjustment:
    common = {"user": user, "line": line, "reason": data["reason"], "late_ok": data["late_ok"]}
    if kind == "move":
        return plan_adjust_move(
            **common,
            quantity=data["quantity"],
            from_date=data["from_date"],
            to_date=data["to_date"],
            work_center=data.get("work_center"),
        )
    if kind == "split":
        return plan_adjust_split(
            **common,
            quantity=data["quantity"],
            start_date=data["start_date"],
            work_center=data.get("work_center"),
        )
    return plan_adjust_push(**common, start_date=data["start_date"])


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@permission_required(PLAN_VIEW, raise_exception=True)
def plan_line_adjust(request, pk: int):
    """GET: the three forms for the line; POST (kind=move|split|push): the adjustment; the
    new revision's page on success, the forms with the refusal otherwise."""
    line = get_object_or_404(
        PlanLine.objects.select_related(
            "plan", "order_line__order", "item", "work_center", "process"
        ),
        pk=pk,
    )
    if not may_adjust(request.user):
        raise PermissionDenied(_("Only production or sales follow-up may adjust a plan."))
    first_day = min(line.day_minutes or {}, default="")
    initial = {"from_date": first_day, "to_date": "", "start_date": line.start_date}
    chosen = request.POST.get("kind", "") if request.method == "POST" else ""
    forms_by_kind = {
        kind: (
            cls(request.POST, prefix=kind) if kind == chosen else cls(prefix=kind, initial=initial),
            label,
        )
        for kind, (cls, label) in KINDS.items()
    }
    if request.method == "POST":
        if chosen not in KINDS:
            messages.error(request, _("Choose move, split or push."))
        else:
            form = forms_by_kind[chosen][0]
            if form.is_valid():
                try:
                    adjustment = _run(chosen, line, form.cleaned_data, request.user)
                except DomainError as refused:
                    field = refused.field if refused.field in form.fields else None
                    form.add_error(field, refused.message)
                else:
                    messages.success(
                        request,
                        _("Plan adjusted: revision %(revision)s is in force.")
                        % {"revision": adjustment.plan.revision},
                    )
                    target = reverse("production:plan-detail", args=[adjustment.plan_id])
                    if _partial(request):
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = target
                        return response
                    return redirect(target)
    context = {
        "line": line,
        "in_force": line.plan.status == PlanStatus.APPROVED,
        "forms": [(kind, form, label) for kind, (form, label) in forms_by_kind.items()],
        "chosen": chosen,
    }
    template = (
        "production/plan_adjust_forms.html" if _partial(request) else "production/plan_adjust.html"
    )
    return render(request, template, context)
