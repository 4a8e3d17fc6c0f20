"""Funding streams, rates and rules are reference data administrators correct here; allocations,
schemes and spend are edited in the portal's own pages, and shown here read-mostly with their
history. Payments come only from the import."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Allocation, FundingStream, PracticePayment, Scheme, SchemeAmount, StreamRate, StreamRule


class StreamRateInline(admin.StackedInline):
    model = StreamRate
    extra = 0


class StreamRuleInline(admin.StackedInline):
    model = StreamRule
    extra = 0
    raw_id_fields = ["ccg"]


@admin.register(FundingStream)
class FundingStreamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "source", "basis", "first_year", "last_year", "national_total", "ccg"]
    list_filter = ["source", "basis", "recurrent"]
    search_fields = ["name", "code"]
    inlines = [StreamRateInline, StreamRuleInline]


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ["stream", "ccg", "financial_year", "amount", "notified_on"]
    list_filter = ["stream", "financial_year"]
    search_fields = ["ccg__name", "ccg__ods_code"]


class SchemeAmountInline(admin.StackedInline):
    model = SchemeAmount
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "ccg", "stream", "status", "decided_on"]
    list_filter = ["status", "stream"]
    search_fields = ["title", "ccg__name"]
    raw_id_fields = ["ccg", "cluster", "practices", "actions", "submitted_by", "decision_recorded_by"]
    readonly_fields = ["overridden_checks", "decision_recorded_at", "decision_recorded_by", "submitted_at"]
    inlines = [SchemeAmountInline]


@admin.register(PracticePayment)
class PracticePaymentAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "financial_year", "ccg", "contract_type", "total_payments", "per_registered_patient"]
    list_filter = ["financial_year", "contract_type"]
    search_fields = ["practice__ods_code", "practice__name"]
    raw_id_fields = ["practice", "ccg"]

    def has_add_permission(self, request):
        return False
