"""Read-only views of the access answers and measures for administrators: answers change only
through a practice's draft, measures only through the worker."""

from django.contrib import admin

from .models import AccessMeasure, AccessReturn


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessReturn)
class AccessReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "weekday_extended", "saturday_extended", "sunday_extended", "extended_access_minutes"]
    search_fields = ["revision__ret__practice__ods_code", "revision__ret__practice__name"]
    list_select_related = ["revision__ret__practice", "revision__ret__collection__ccg"]


@admin.register(AccessMeasure)
class AccessMeasureAdmin(ReadOnlyAdmin):
    list_display = [
        "practice", "period_start", "period_end", "compliance", "minutes_per_1000_a_week",
        "appointments_per_1000_a_week", "list_size",
    ]  # fmt: skip
    list_filter = ["compliance", "ccg", "period_start"]
    search_fields = ["practice__ods_code", "practice__name"]
    list_select_related = ["practice"]
