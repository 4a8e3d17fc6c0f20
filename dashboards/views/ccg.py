"""The CCG dashboard: plan summary, trajectories, workforce and access by cluster, returns
completeness and funding for one quarter, each as a chart with its table and CSV."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin
from practices import visibility
from practices.models import Cluster
from practices.visibility import ccgs_for, roles_of

from ..sections import CCG_SECTION_KEYS, ccg_dashboard
from .common import chosen_as_at, chosen_cluster, chosen_period, csv_response, filter_query


class CCGDashboardMixin(visibility.CCGScopedMixin, PermissionRequiredMixin):
    """/dashboard/ccg/<pk>/...: the CCG looked up through what the user may read (else 404)."""

    permission_required = "dashboards.view_ccg_dashboard"
    scope_kwarg = "pk"
    scope_related = ("stp",)

    @cached_property
    def clusters(self) -> list[Cluster]:
        return list(Cluster.objects.filter(ccg=self.ccg).order_by("name"))

    @cached_property
    def period_and_options(self):
        return chosen_period(self.request, self.ccg)


class CCGDashboardView(LoginRequiredMixin, CCGDashboardMixin, BreadcrumbsMixin, TemplateView):
    template_name = "dashboards/ccg.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, options = self.period_and_options
        cluster = chosen_cluster(self.request, self.clusters)
        as_at = chosen_as_at(self.request)
        dashboard = ccg_dashboard(self.ccg, period, cluster, user=self.request.user, on=as_at.on)
        query = filter_query(period, as_at, cluster=cluster.pk if cluster else None)
        context.update(
            ccg=self.ccg,
            as_at=as_at,
            counted_on=period.as_at(as_at.on),
            dashboard=dashboard,
            period=period,
            periods=[(p.value, p.label, p == period) for p in reversed(options)],
            clusters=[(c.pk, c.name, c == cluster) for c in self.clusters],
            cluster=cluster,
            query=query,
            can_request_report=self.request.user.has_perm("dashboards.add_boardreport", self.ccg),
        )
        return context

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), (f"{self.ccg.name} dashboard", None)]


class CCGDashboardCSVView(LoginRequiredMixin, CCGDashboardMixin, View):
    """One section's table as CSV, with the same filters as the page."""

    def get(self, request, *args, **kwargs):
        key = kwargs["table"]
        if key not in CCG_SECTION_KEYS:
            raise Http404
        period, _options = self.period_and_options
        cluster = chosen_cluster(request, self.clusters)
        as_at = chosen_as_at(request)
        dashboard = ccg_dashboard(self.ccg, period, cluster, only=key, user=self.request.user, on=as_at.on)
        section = dashboard.section(key)
        if section is None:
            raise Http404
        name = f"{self.ccg.ods_code} {key} {period.value}" + (f" {cluster.name}" if cluster else "")
        name += "" if as_at.is_default else f" as at {as_at.on.isoformat()}"
        return csv_response(section.table, name=name)


class DashboardIndexView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """/dashboard/: straight to the CCG dashboard of a person with one CCG (a practice manager of one practice:
    its profile); else the CCGs to choose from."""

    template_name = "dashboards/index.html"

    def get(self, request, *args, **kwargs):
        ccgs = list(ccgs_for(request.user).order_by("name")[:2])
        if len(ccgs) == 1:
            return redirect("dashboards:ccg", pk=ccgs[0].pk)
        roles = roles_of(request.user)
        if not ccgs and len(roles.practice_ids) == 1:
            return redirect("dashboards:practice_profile", pk=next(iter(roles.practice_ids)))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ccgs"] = ccgs_for(self.request.user).select_related("stp").order_by("stp__name", "name")
        return context

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), ("Dashboards", None)]
