"""What the quality pages share: finding the CCG or practice through the access helpers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin
from practices.models import CCG, Practice
from practices.visibility import ccgs_for, practices_for


def profile_url(practice: Practice) -> str:
    return reverse("dashboards:practice_profile", args=[practice.pk])


class CCGScopedMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin):
    """Pages under /quality/ccgs/<ccg_pk>/: another CCG's id is a 404, a CCG the user may not use a 403."""

    @cached_property
    def ccg(self) -> CCG:
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return self.ccg

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), (self.ccg.name, None)]


class PracticeScopedMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin):
    """Pages under /quality/practices/<practice_pk>/."""

    @cached_property
    def practice(self) -> Practice:
        return get_object_or_404(practices_for(self.request.user).select_related("ccg"), pk=self.kwargs["practice_pk"])

    def get_permission_object(self):
        return self.practice

    def get_success_url(self):
        return profile_url(self.practice)

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), (self.practice.name, profile_url(self.practice))]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("practice", self.practice)
        return super().get_context_data(**kwargs)
