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

from portal.mixins import BreadcrumbsMixin, ObjectOnceMixin
from portal.profile import sections, visible_sections
from practices.access import practices_for, roles_of

from ..tables import Table
from .common import csv_response


class PracticeScopedMixin(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin):
    permission_required = "practices.view_practice"
    context_object_name = "practice"

    def get_queryset(self):
        return practices_for(self.request.user).select_related("ccg")


class PracticeProfileView(PracticeScopedMixin, BreadcrumbsMixin, DetailView):
    template_name = "dashboards/practice_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, user = self.object, self.request.user
        shown = []
        for section in visible_sections(practice, user):
            section_context = {
                **section.context,
                "csv_url": reverse("dashboards:practice_profile_csv", args=[practice.pk, section.key])
                if isinstance(section.context.get("table"), Table)
                else None,
            }
            shown.append(
                {"section": section, "html": render_to_string(section.template, section_context, request=self.request)}
            )
        roles = roles_of(user)
        context.update(
            sections=shown,
            latest_list_size=practice.list_size_on(),
            cluster=practice.cluster_on(),
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


class PracticeProfileCSVView(PracticeScopedMixin, View):
    """One profile section's table as CSV; a section the user may not see is a 404."""

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        practice = self.get_object()
        section = next((s for s in sections() if s.key == kwargs["key"]), None)
        context = section.context(practice, request.user) if section else None
        table = (context or {}).get("table")
        if not isinstance(table, Table):
            raise Http404
        return csv_response(table, name=f"{practice.ods_code} {section.key}")
