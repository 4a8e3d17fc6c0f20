"""STP footprints and CCGs: the upper levels of the hierarchy."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin, ObjectOnceMixin

from ..access import ccgs_for, clusters_for, practices_for, stps_for
from ..filters import PracticeFilter
from ..tables import PracticeTable
from .common import Population, hierarchy_breadcrumbs, population_by_ccg, population_by_cluster, with_current_cluster

PRACTICES_PER_PAGE = 25


class STPListView(LoginRequiredMixin, BreadcrumbsMixin, ListView):
    template_name = "practices/stp_list.html"
    context_object_name = "stps"

    def get_queryset(self):
        return stps_for(self.request.user).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ccgs = ccgs_for(self.request.user).order_by("name")
        by_stp: dict = {}
        for ccg in ccgs:
            by_stp.setdefault(ccg.stp_id, []).append(ccg)
        for stp in context["stps"]:
            stp.visible_ccgs = by_stp.get(stp.pk, [])
        context["ccgs_without_stp"] = by_stp.get(None, [])
        return context

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), ("Organisations", None)]


class STPDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "practices/stp_detail.html"
    context_object_name = "stp"

    def get_queryset(self):
        return stps_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ccgs = list(
            ccgs_for(self.request.user)
            .filter(stp=self.object)
            .select_related("successor")
            .prefetch_related("status_changes")
            .order_by("name")
        )
        populations = population_by_ccg(practices_for(self.request.user).filter(ccg__in=ccgs), today)
        for ccg in ccgs:
            ccg.population = populations.get(ccg.pk, Population())
        context["ccgs"] = ccgs
        return context

    def get_breadcrumbs(self):
        return hierarchy_breadcrumbs(self.request.user) + [(self.object.name, None)]


class CCGDetailView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, BreadcrumbsMixin, DetailView):
    """The CCG page: commissioning status, clusters with their populations, and its practices.

    Its summary (practices, clusters, registered population) also serves the governing body
    until their dashboard arrives.
    """

    template_name = "practices/ccg_detail.html"
    context_object_name = "ccg"
    permission_required = "practices.view_ccg"

    def get_queryset(self):
        return (
            ccgs_for(self.request.user)
            .select_related("stp", "successor__icb")
            .prefetch_related("status_changes", "stated_populations")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, ccg, today = self.request.user, self.object, timezone.localdate()
        clusters = list(clusters_for(user).filter(ccg=ccg).order_by("name"))
        by_cluster = population_by_cluster(clusters_for(user).filter(ccg=ccg), today)
        for cluster in clusters:
            cluster.population = by_cluster.get(cluster.pk, Population())
        practices = practices_for(user).filter(ccg=ccg)
        practice_filter = PracticeFilter(
            self.request.GET or None,
            queryset=with_current_cluster(practices.with_list_size(), today),
            clusters=clusters_for(user).filter(ccg=ccg).order_by("name"),
        )
        table = PracticeTable(practice_filter.qs, caption=f"Practices in {ccg.name}")
        RequestConfig(self.request, paginate={"per_page": PRACTICES_PER_PAGE}).configure(table)
        status_changes = sorted(ccg.status_changes.all(), key=lambda c: c.effective_from)
        context.update(
            clusters=clusters,
            current_status=ccg.status_on(today),
            status_changes=status_changes,
            stated_populations=list(ccg.stated_populations.all()),
            population=population_by_ccg(practices, today).get(ccg.pk, Population()),
            practice_count=practices.count(),
            filter=practice_filter,
            table=table,
            today=today,
        )
        return context

    def get_breadcrumbs(self):
        ccg = self.object
        return hierarchy_breadcrumbs(self.request.user, stp=ccg.stp) + [(ccg.name, None)]
