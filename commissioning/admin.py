"""The national frame (chapters, commitments, High Impact Actions) is reference data that
commissioners extend here; plans and their contents are edited in the portal's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Chapter,
    HighImpactAction,
    NationalCommitment,
    Plan,
    PlanVersion,
    Risk,
    TaskAndFinishGroup,
)


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]


@admin.register(NationalCommitment)
class NationalCommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "chapter", "national_figure", "unit"]
    list_filter = ["chapter"]
    search_fields = ["title", "code"]


@admin.register(HighImpactAction)
class HighImpactActionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name"]


class PlanVersionInline(admin.StackedInline):
    model = PlanVersion
    extra = 0
    readonly_fields = ["number", "status", "submitted_at", "approving_committee", "approved_on", "approved_at"]
    can_delete = False


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "ccg", "first_year", "last_year"]
    search_fields = ["title", "ccg__name", "ccg__ods_code"]
    inlines = [PlanVersionInline]


@admin.register(TaskAndFinishGroup)
class TaskAndFinishGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ccg", "chair"]
    search_fields = ["name"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["local_code", "title", "plan", "chapter", "status", "rag", "due_date"]
    list_filter = ["chapter", "status", "rag"]
    search_fields = ["local_code", "title"]
    raw_id_fields = ["plan", "practices", "clusters"]

    def save_model(self, request, obj, form, change):
        from .services import action_status_record

        super().save_model(request, obj, form, change)
        action_status_record(action=obj, user=request.user)


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "plan", "likelihood", "impact", "status"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "actions"]


from .funding import admin as funding_admin  # noqa: E402, F401  (the funding models' admin)
