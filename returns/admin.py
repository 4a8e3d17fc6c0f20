"""Read-only views of the workflow's records for administrators; changes go through the portal's pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdmin

from .models import Collection, Reminder, Return, Revision, StatusChange


@admin.register(Collection)
class CollectionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "ccg", "return_type", "period_start", "due_date"]
    list_filter = ["return_type", "ccg"]


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "first_submitted_on"]
    list_filter = ["status", "collection__return_type"]
    search_fields = ["practice__ods_code", "practice__name"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "source", "submitted_at"]
    list_filter = ["status"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "at", "by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "sent_at"]
    list_filter = ["kind"]
