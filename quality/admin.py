"""Admin for quality and contract intelligence. Day-to-day work is in the portal's own pages,
where the visibility rules apply; the admin is for administrators only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Concern,
    ContractEvent,
    CQCEnforcement,
    CQCInspection,
    Prevalence,
    ScoringRule,
    SupportOffer,
    VulnerabilityScore,
)


@admin.register(CQCInspection)
class CQCInspectionAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "inspection_date", "publication_date", "source"]
    search_fields = ["practice__ods_code", "practice__name", "location_id"]
    raw_id_fields = ["practice"]


@admin.register(CQCEnforcement)
class CQCEnforcementAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "kind", "start_date", "end_date"]
    raw_id_fields = ["practice"]


@admin.register(ContractEvent)
class ContractEventAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "kind", "received_date", "decision", "decision_date", "review_date"]
    list_filter = ["kind", "decision"]
    search_fields = ["practice__ods_code", "practice__name"]
    raw_id_fields = ["practice"]


@admin.register(Concern)
class ConcernAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "raised_by", "raised_date", "status"]
    list_filter = ["raised_by", "status"]
    raw_id_fields = ["practice"]


@admin.register(ScoringRule)
class ScoringRuleAdmin(SimpleHistoryAdmin):
    list_display = ["key", "ccg", "enabled", "threshold", "points"]
    list_filter = ["enabled"]


@admin.register(VulnerabilityScore)
class VulnerabilityScoreAdmin(admin.ModelAdmin):
    list_display = ["practice", "run_date", "score", "quality_points", "workforce_points", "contract_points"]
    raw_id_fields = ["practice"]


@admin.register(SupportOffer)
class SupportOfferAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "kind", "offered_date", "status"]
    raw_id_fields = ["practice"]


@admin.register(Prevalence)
class PrevalenceAdmin(admin.ModelAdmin):
    list_display = ["practice", "year_start", "group", "register", "list_size"]
    search_fields = ["practice__ods_code"]
    raw_id_fields = ["practice"]
