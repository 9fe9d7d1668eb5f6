"""Admin for the relationship layer's settings: holidays and follow-up frequencies."""

from django.contrib import admin

from crm.models import FollowUpFrequency, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Days the salespeople greet their customers on (shown in their daily care list)."""

    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(FollowUpFrequency)
class FollowUpFrequencyAdmin(admin.ModelAdmin):
    """Days between follow-ups per tier (VIP, IMPORTANT, NORMAL, POTENTIAL)."""

    list_display = ("tier", "every_days")
