from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdmin

from .models import (
    CCG,
    ICB,
    STP,
    CCGMembership,
    Cluster,
    ClusterMembership,
    CommissioningStatusChange,
    DeprivationScore,
    Federation,
    ListSize,
    Practice,
    ReferenceImport,
    Role,
    Site,
    StatedPopulation,
    SubICBLocation,
    User,
)


class RoleInline(admin.StackedInline):
    model = Role
    extra = 0
    autocomplete_fields = ["ccg", "practice"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleInline]


@admin.register(STP)
class STPAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ons_code"]
    search_fields = ["name", "ons_code"]


@admin.register(ICB)
class ICBAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "ons_code"]
    search_fields = ["name", "ods_code"]


@admin.register(SubICBLocation)
class SubICBLocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "icb"]
    search_fields = ["name", "ods_code"]


class CommissioningStatusInline(admin.StackedInline):
    model = CommissioningStatusChange
    extra = 0


class StatedPopulationInline(admin.StackedInline):
    model = StatedPopulation
    extra = 0
    exclude = ["cluster"]


@admin.register(CCG)
class CCGAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "stp", "successor"]
    list_filter = ["status_changes__status"]
    search_fields = ["name", "ods_code"]
    inlines = [CommissioningStatusInline, StatedPopulationInline]


@admin.register(StatedPopulation)
class StatedPopulationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "population", "as_at", "source"]
    autocomplete_fields = ["ccg", "cluster"]


@admin.register(Federation)
class FederationAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ccg", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class ClusterMembershipInline(admin.StackedInline):
    model = ClusterMembership
    extra = 0


class SiteInline(admin.StackedInline):
    model = Site
    extra = 0


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "ccg", "contract_type", "status"]
    list_filter = ["status", "contract_type", "clinical_system"]
    search_fields = ["name", "ods_code", "postcode"]
    inlines = [ClusterMembershipInline, SiteInline]


@admin.register(ListSize)
class ListSizeAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "extract_date", "sex", "age_band", "patients"]
    search_fields = ["practice__ods_code"]
    raw_id_fields = ["practice"]


@admin.register(DeprivationScore)
class DeprivationScoreAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "index", "score", "decile", "period", "source_file"]
    list_filter = ["index", "decile"]
    search_fields = ["practice__ods_code", "practice__name"]
    raw_id_fields = ["practice"]


admin.site.register(CCGMembership, SimpleHistoryAdmin)
admin.site.register(Role, SimpleHistoryAdmin)


@admin.register(ReferenceImport)
class ReferenceImportAdmin(ReadOnlyAdmin):
    """Runs of import_reference: read-only, a record of what each file did."""

    list_display = [
        "dataset", "status", "dry_run", "created", "updated", "unchanged", "rejected", "queued_at", "requested_by",
    ]  # fmt: skip
    list_filter = ["dataset", "status", "dry_run"]
    readonly_fields = [f.name for f in ReferenceImport._meta.fields]
    deletable = True
