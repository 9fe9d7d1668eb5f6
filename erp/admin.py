"""Admin pieces every app shares: who-and-when stamping, cost fields hidden from people
who may not see costs, read-only registrations, and the job-run log."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from erp.models import AuditedModel, JobRun, Profile
from erp.roles import can_see_costs

AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


class AuditedAdmin:
    """Mixin for ModelAdmin: every save from the admin records who and when, on the object
    and on every inline row; the audit fields are shown read-only."""

    def save_model(self, request, obj, form, change):
        if isinstance(obj, AuditedModel):
            obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, AuditedModel):
                instance.stamp(request.user)
            instance.save()
        formset.save_m2m()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, AuditedModel) and obj is not None:
            fields += [f for f in AUDIT_FIELDS if f not in fields]
        return fields


class HiddenCostsAdmin:
    """Mixin for ModelAdmin and inlines: `cost_fields` disappear from forms, lists and
    filters for users who may not see costs (erp.roles.can_see_costs)."""

    cost_fields: tuple[str, ...] = ()

    def _hides_costs(self, request) -> bool:
        return bool(self.cost_fields) and not can_see_costs(request.user)

    def _strip(self, request, names):
        if not self._hides_costs(request):
            return names
        return [n for n in names if n not in self.cost_fields]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or ())
        if self._hides_costs(request):
            exclude += [f for f in self.cost_fields if f not in exclude]
        return exclude or None

    def get_fields(self, request, obj=None):
        return self._strip(request, list(super().get_fields(request, obj)))

    def get_readonly_fields(self, request, obj=None):
        return self._strip(request, list(super().get_readonly_fields(request, obj)))

    def get_list_display(self, request):
        return self._strip(request, list(super().get_list_display(request)))

    def get_list_filter(self, request):
        return self._strip(request, list(super().get_list_filter(request)))


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin may look at but never write: ledgers, balances, job runs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("job", "status", "trigger", "started_by", "started_at", "finished_at")
    list_filter = ("job", "status")
    search_fields = ("job", "trigger", "error")
    list_select_related = ("started_by",)
    date_hierarchy = "started_at"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


admin.site.site_header = _("Factory ERP administration")
admin.site.site_title = _("Factory ERP")
admin.site.index_title = _("Master data and documents")
