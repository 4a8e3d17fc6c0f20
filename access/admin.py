"""A read-only view of the access answers for administrators: they change only through a
practice's draft. The figures worked out from them are the metrics engine's (``metrics``)."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import AccessReturn


@admin.register(AccessReturn)
class AccessReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "weekday_extended", "saturday_extended", "sunday_extended", "extended_access_minutes"]
    search_fields = ["revision__ret__practice__ods_code", "revision__ret__practice__name"]
    list_select_related = ["revision__ret__practice", "revision__ret__collection__ccg"]
