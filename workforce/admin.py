"""Workforce figures are entered through returns; the admin only reads them."""

from django.contrib import admin

from .models import WorkforceSummary


@admin.register(WorkforceSummary)
class WorkforceSummaryAdmin(admin.ModelAdmin):
    list_display = ["practice", "period_start", "staff_group", "headcount", "fte", "fte_per_1000"]
    list_filter = ["staff_group", "period_start"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
