"""Admin pieces every app shares: who-and-when stamping, cost fields hidden from people
who may not see costs, read-only registrations, the job-run log, and users (deactivated,
not deleted, once records such as the stock ledger name them)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from erp.models import AuditedModel, JobRun, Profile
from erp.roles import can_see_costs
from erp.services import records_keeping_users, user_delete_refusal, users_deactivate

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


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, except that a user named by records that must keep naming them
    (the stock ledger's `created_by`, ...) is not deleted: the admin says why and offers
    deactivation (the action below, or untick "Active")."""

    actions = ["deactivate_users"]

    @admin.action(
        description=_("Deactivate selected users (they keep their history)"),
        permissions=["change"],
    )
    def deactivate_users(self, request, queryset):
        count = users_deactivate(users=queryset)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and self.has_delete_permission(request, user):
            records = records_keeping_users(user_ids=[user.pk]).get(user.pk)
            if records:
                self.message_user(
                    request, user_delete_refusal(user=user, records=records), messages.ERROR
                )
                opts = self.opts
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[user.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """The bulk "Delete selected" action: users the records keep are listed as protected,
        each with why and what to do instead (and nothing is deleted)."""
        objs = list(objs)
        kept = records_keeping_users(user_ids=[u.pk for u in objs])
        if kept:
            refusals = [
                user_delete_refusal(user=u, records=kept[u.pk]) for u in objs if u.pk in kept
            ]
            return [], {}, set(), refusals
        return super().get_deleted_objects(objs, request)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)

admin.site.site_header = _("Factory ERP administration")
admin.site.site_title = _("Factory ERP")
admin.site.index_title = _("Master data and documents")
