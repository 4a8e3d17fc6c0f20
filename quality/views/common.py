"""What the quality pages share: finding the CCG or practice through the access helpers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin
from practices import visibility
from practices.models import Practice


def profile_url(practice: Practice) -> str:
    return reverse("dashboards:practice_profile", args=[practice.pk])


class QualityCCGMixin(LoginRequiredMixin, visibility.CCGScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin):
    """Pages under /quality/ccgs/<ccg_pk>/: another CCG's id is a 404, a CCG the user may not use a 403."""

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), (self.ccg.name, None)]


class QualityPracticeMixin(
    LoginRequiredMixin, visibility.PracticeScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin
):
    """Pages under /quality/practices/<practice_pk>/."""

    def get_success_url(self):
        return profile_url(self.practice)

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), (self.practice.name, profile_url(self.practice))]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("practice", self.practice)
        return super().get_context_data(**kwargs)
