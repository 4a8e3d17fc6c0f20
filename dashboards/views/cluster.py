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
from practices.models import Cluster
from practices.visibility import clusters_for

from .. import selectors as s
from ..sections import cluster_sections
from .common import chosen_as_at, chosen_period, csv_response, filter_query


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
        as_at = chosen_as_at(self.request)
        context.update(
            cluster=cluster,
            ccg=cluster.ccg,
            period=period,
            as_at=as_at,
            counted_on=period.as_at(as_at.on),
            periods=[(p.value, p.label, p == period) for p in reversed(options)],
            sections=cluster_sections(cluster, period, on=as_at.on),
            actions=s.cluster_actions(cluster, period, on=period.as_at(as_at.on)),
            query=filter_query(period, as_at),
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
        as_at = chosen_as_at(request)
        table = s.cluster_practices_table(self.cluster, period, on=as_at.on)
        name = f"{self.cluster.name} practices {period.value}"
        return csv_response(table, name=name + ("" if as_at.is_default else f" as at {as_at.on.isoformat()}"))
