"""The cluster dashboard: the member practices' workforce, access and returns for one
quarter, with charts, tables and CSV, and the plan's open actions that name the cluster."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin
from practices.access import clusters_for
from practices.models import Cluster

from .. import selectors as s
from ..sections import cluster_sections
from .common import chosen_period, csv_response


class ClusterScopedMixin(PermissionRequiredMixin):
    permission_required = "dashboards.view_ccg_dashboard"

    @cached_property
    def cluster(self) -> Cluster:
        return get_object_or_404(clusters_for(self.request.user).select_related("ccg"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.cluster.ccg

    @cached_property
    def period_and_options(self):
        return chosen_period(self.request, self.cluster.ccg)


class ClusterDashboardView(LoginRequiredMixin, ClusterScopedMixin, BreadcrumbsMixin, TemplateView):
    template_name = "dashboards/cluster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster = self.cluster
        period, options = self.period_and_options
        context.update(
            cluster=cluster,
            ccg=cluster.ccg,
            period=period,
            periods=[(p.value, p.label, p == period) for p in reversed(options)],
            sections=cluster_sections(cluster, period),
            actions=s.cluster_actions(cluster, period),
            query=f"period={period.value}",
            definitions=s.DEFINITIONS,
        )
        return context

    def get_breadcrumbs(self):
        ccg = self.cluster.ccg
        return [
            ("Home", reverse("practices:home")),
            (f"{ccg.name} dashboard", reverse("dashboards:ccg", args=[ccg.pk])),
            (self.cluster.name, None),
        ]


class ClusterDashboardCSVView(LoginRequiredMixin, ClusterScopedMixin, View):
    def get(self, request, *args, **kwargs):
        period, _options = self.period_and_options
        table = s.cluster_practices_table(self.cluster, period)
        return csv_response(table, name=f"{self.cluster.name} practices {period.value}")
