from django.contrib import admin

from .models import BoardReport, DigestRun


@admin.register(BoardReport)
class BoardReportAdmin(admin.ModelAdmin):
    list_display = ["ccg", "period", "meeting", "meeting_date", "status", "requested_at", "generated_at", "pdf_size"]
    list_filter = ["status", "ccg"]
    readonly_fields = [
        "html", "summary", "error", "generated_at", "requested_at", "requested_by", "pdf_size", "pdf_error"
    ]  # fmt: skip


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "recipient", "item_count", "sent_at"]
    list_filter = ["month"]
    readonly_fields = ["user", "month", "since", "recipient", "items", "item_count", "sent_at"]
