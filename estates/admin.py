"""The estates records in the admin, with their history; capacity rows are read-only (a job writes them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdmin

from .models import (
    ClusterCapacity,
    EstatesSettings,
    HousingGrowth,
    PracticeCapacity,
    PracticeIT,
    Premises,
    Scheme,
    SchemeMilestone,
    SchemeStatusChange,
    SiteOccupancy,
)


@admin.register(EstatesSettings)
class EstatesSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["ccg", "area_guide_per_1000", "rooms_guide_per_1000", "patients_per_dwelling", "projection_years"]
    autocomplete_fields = ["ccg"]


@admin.register(Premises)
class PremisesAdmin(SimpleHistoryAdmin):
    list_display = ["site", "ownership", "tenure", "gross_internal_area_m2", "clinical_rooms", "condition"]
    list_filter = ["ownership", "tenure", "condition", "accessibility"]
    search_fields = ["site__name", "site__practice__name", "site__practice__ods_code"]
    raw_id_fields = ["site"]


@admin.register(SiteOccupancy)
class SiteOccupancyAdmin(SimpleHistoryAdmin):
    list_display = ["site", "practice", "share_percent", "start_date", "end_date"]
    raw_id_fields = ["site", "practice"]


@admin.register(HousingGrowth)
class HousingGrowthAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "year", "new_dwellings", "source"]
    list_filter = ["cluster__ccg"]


class SchemeMilestoneInline(admin.StackedInline):
    model = SchemeMilestone
    extra = 0


class SchemeStatusChangeInline(admin.StackedInline):
    model = SchemeStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "on", "note", "by", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a status moves only through estates.services.scheme_status_change


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ccg", "kind", "status", "status_changed_on", "capital_cost", "expected_open_date"]
    list_filter = ["status", "kind", "ccg"]
    search_fields = ["name"]
    raw_id_fields = ["practices", "sites", "cluster"]
    readonly_fields = ["status", "status_changed_on"]
    inlines = [SchemeMilestoneInline, SchemeStatusChangeInline]


@admin.register(PracticeIT)
class PracticeITAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "clinical_system", "confirmed_on"]
    raw_id_fields = ["practice"]


@admin.register(PracticeCapacity, ClusterCapacity)
class CapacityAdmin(ReadOnlyAdmin):
    deletable = True
