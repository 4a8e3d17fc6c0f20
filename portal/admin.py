from django.contrib import admin

from .models import OutboxMessage, StatusMove


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Jobs saved but not yet taken by the broker: read only, to see what waits and why."""

    list_display = ["task", "subject", "created_at", "attempts", "last_attempt_at", "last_error"]
    list_filter = ["task"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatusMove)
class StatusMoveAdmin(admin.ModelAdmin):
    """Each move of a plan version or a funding scheme through its statuses: read only."""

    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "by"]
    list_filter = ["content_type", "to_status"]
    readonly_fields = [field.name for field in StatusMove._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
