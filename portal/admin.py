"""The kernel's admin pages, and ``ReadOnlyAdmin``, the base of every admin page that only shows
records the portal writes itself."""

from django.contrib import admin

from .models import OutboxMessage, StatusMove


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the portal's own steps: an administrator reads them, never adds or
    changes one. ``deletable`` lets an administrator clear rows that are only a log."""

    deletable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Jobs saved but not yet taken by the broker: read only, to see what waits and why."""

    list_display = ["task", "subject", "created_at", "attempts", "last_attempt_at", "last_error"]
    list_filter = ["task"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    deletable = True


@admin.register(StatusMove)
class StatusMoveAdmin(ReadOnlyAdmin):
    """Each move of a plan version or a funding scheme through its statuses."""

    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "by"]
    list_filter = ["content_type", "to_status"]
    readonly_fields = [field.name for field in StatusMove._meta.fields]
