"""The practice profile: the sections each area registered (``portal.profile``), in order,
for one practice the user may read; and a section's table as CSV."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView
from rules.contrib.views import PermissionRequiredMixin

from portal.asat import as_at_from
from portal.mixins import BreadcrumbsMixin, ObjectOnceMixin
from portal.profile import sections, visible_sections
from practices.visibility import practices_for, roles_of

from ..tables import Table
from .common import csv_response


def profile_as_at(request):
    return as_at_from(request, label="Show the profile as at")


class PracticeProfileMixin(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin):
    permission_required = "practices.view_practice"
    context_object_name = "practice"

    def get_queryset(self):
        return practices_for(self.request.user).select_related("ccg")


class PracticeProfileView(PracticeProfileMixin, BreadcrumbsMixin, DetailView):
    template_name = "dashboards/practice_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, user = self.object, self.request.user
        as_at = profile_as_at(self.request)
        shown = []
        for section in visible_sections(practice, user, on=as_at.on):
            section_context = {
                **section.context,
                "csv_url": reverse("dashboards:practice_profile_csv", args=[practice.pk, section.key]) + as_at.query
                if isinstance(section.context.get("table"), Table)
                else None,
            }
            shown.append(
                {"section": section, "html": render_to_string(section.template, section_context, request=self.request)}
            )
        roles = roles_of(user)
        context.update(
            as_at=as_at,
            sections=shown,
            latest_list_size=practice.list_size_on(as_at.on),
            cluster=practice.cluster_on(as_at.on),
            deprivation=practice.deprivation(),
            reads_ccg=roles.is_admin or practice.ccg_id in roles.ccg_ids,
        )
        return context

    def get_breadcrumbs(self):
        practice = self.object
        crumbs = [("Home", reverse("practices:home"))]
        roles = roles_of(self.request.user)
        if roles.is_admin or practice.ccg_id in roles.ccg_ids:
            crumbs.append((f"{practice.ccg.name} dashboard", reverse("dashboards:ccg", args=[practice.ccg_id])))
        return crumbs + [(f"{practice.name} profile", None)]


class PracticeProfileCSVView(PracticeProfileMixin, View):
    """One profile section's table as CSV; a section the user may not see is a 404."""

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        practice = self.get_object()
        section = next((s for s in sections() if s.key == kwargs["key"]), None)
        as_at = profile_as_at(request)
        context = section.context_for(practice, request.user, on=as_at.on) if section else None
        table = (context or {}).get("table")
        if not isinstance(table, Table):
            raise Http404
        name = f"{practice.ods_code} {section.key}" + ("" if as_at.is_default else f" as at {as_at.on.isoformat()}")
        return csv_response(table, name=name)
