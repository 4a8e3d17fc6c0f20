"""STP footprints and CCGs: the upper levels of the hierarchy."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import DetailView, ListView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.asat import as_at_from
from portal.mixins import BreadcrumbsMixin, ObjectOnceMixin

from ..filters import PracticeFilter
from ..populations import population_on, populations_on
from ..tables import PracticeTable
from ..visibility import ccgs_for, clusters_for, practices_for, stps_for
from .common import hierarchy_breadcrumbs, with_current_cluster

PRACTICES_PER_PAGE = 25
POPULATION_HELP = "Members, commissioning status and registered populations as they stood at the end of this day."


def organisation_as_at(request):
    return as_at_from(request, label="Show as at", help_text=POPULATION_HELP)


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
        as_at = organisation_as_at(self.request)
        on = as_at.on
        ccgs = list(
            ccgs_for(self.request.user)
            .filter(stp=self.object)
            .select_related("successor")
            .prefetch_related("status_changes")
            .order_by("name")
        )
        populations = populations_on(ccgs, on)
        for ccg in ccgs:
            ccg.population = populations[ccg.pk]
            ccg.status_as_at = ccg.status_on(on)
        context.update(ccgs=ccgs, as_at=as_at, on=on)
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
            .select_related("stp", "successor__icb", "merged_into")
            .prefetch_related("status_changes", "stated_populations")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, ccg = self.request.user, self.object
        as_at = organisation_as_at(self.request)
        on = as_at.on
        clusters = list(clusters_for(user).filter(ccg=ccg).order_by("name"))
        by_cluster = populations_on(clusters, on)
        for cluster in clusters:
            cluster.population = by_cluster[cluster.pk]
        practices = practices_for(user).filter(ccg=ccg)
        practice_filter = PracticeFilter(
            self.request.GET or None,
            queryset=with_current_cluster(practices.with_list_size(on), on),
            clusters=clusters_for(user).filter(ccg=ccg).order_by("name"),
        )
        table = PracticeTable(practice_filter.qs, caption=f"Practices in {ccg.name}")
        RequestConfig(self.request, paginate={"per_page": PRACTICES_PER_PAGE}).configure(table)
        status_changes = sorted(ccg.status_changes.all(), key=lambda c: c.effective_from)
        context.update(
            clusters=clusters,
            current_status=ccg.status_on(on),
            status_changes=status_changes,
            stated_populations=list(ccg.stated_populations.all()),
            population=population_on(ccg, on),
            practice_count=practices.count(),
            filter=practice_filter,
            table=table,
            as_at=as_at,
            on=on,
        )
        return context

    def get_breadcrumbs(self):
        ccg = self.object
        return hierarchy_breadcrumbs(self.request.user, stp=ccg.stp) + [(ccg.name, None)]
