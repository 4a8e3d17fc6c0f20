"""Capacity pages: a CCG's clusters and practices against its guide figures, now and
projected, with void space; one cluster's projection and housing growth; the settings.

The figures are the rows the capacity job stored (``estates.tasks.refresh_capacity``); the
definitions shown on the page are the ones in ``estates.capacity``.
"""

from __future__ import annotations

from collections import defaultdict

import plotly.graph_objects as go
import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Min
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import CreateView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal import chart_summary, charts, exports
from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.periods import FinancialYear
from practices.forms import DateInput
from practices.models import ClusterMembership
from practices.visibility import CCGScopedMixin, ccgs_for, clusters_for, roles_of

from ..capacity import DEFINITIONS, first_year_below, void_saving
from ..forms import EstatesSettingsForm, HousingGrowthForm
from ..models import ClusterCapacity, EstatesSettings, HousingGrowth, PracticeCapacity, Premises
from ..services import capacity_refresh_later, capacity_refresh_waiting
from ..visibility import housing_growth_for, schemes_for
from .common import EXPORT_FORMATS, estates_breadcrumbs

CONTENT_TYPES = exports.CONTENT_TYPES
CHART_COLOURS = charts.SERIES


class ClusterSummary:
    """One cluster's stored years: the base year, the last projected year, and when it falls below the guides."""

    def __init__(self, cluster, years: list[ClusterCapacity]):
        self.cluster = cluster
        self.years = years
        self.now = years[0] if years else None
        self.last = years[-1] if years else None
        guide_area = self.now.area_guide_per_1000 if self.now else None
        guide_rooms = self.now.rooms_guide_per_1000 if self.now else None
        self.area_below_year = first_year_below(years, guide_area) if years else None
        self.rooms_below_year = first_year_below(years, guide_rooms, "rooms_per_1000") if years else None

    @staticmethod
    def label(year: int | None, now) -> str:
        if year is None:
            return "Not within the projection"
        if now is not None and year == now.year:
            return f"Already below ({now.year_label})"
        return str(FinancialYear(year))

    @property
    def area_below_label(self) -> str:
        return self.label(self.area_below_year, self.now)

    @property
    def rooms_below_label(self) -> str:
        return self.label(self.rooms_below_year, self.now)


def cluster_summaries(clusters) -> list[ClusterSummary]:
    """Stored capacity of each cluster; two queries."""
    clusters = list(clusters)
    years = defaultdict(list)
    for row in ClusterCapacity.objects.filter(cluster__in=clusters).order_by("cluster", "year"):
        years[row.cluster_id].append(row)
    return [ClusterSummary(cluster, years.get(cluster.pk, [])) for cluster in clusters]


def capacity_figure(summaries: list[ClusterSummary], guide) -> go.Figure:
    """m² per 1,000 patients of each cluster by financial year, with the guide as a dashed line."""
    fig = go.Figure()
    x_all = []
    for index, summary in enumerate(s for s in summaries if s.years):
        x = [row.year_label for row in summary.years]
        x_all = x if len(x) > len(x_all) else x_all
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[float(row.area_per_1000) if row.area_per_1000 is not None else None for row in summary.years],
                mode="lines+markers",
                name=summary.cluster.name,
                line={"color": CHART_COLOURS[index % len(CHART_COLOURS)]},
                hovertemplate="%{x}: %{y:.1f} m² per 1,000 patients<extra>" + summary.cluster.name + "</extra>",
            )
        )
    if x_all:
        fig.add_trace(
            go.Scatter(
                x=x_all, y=[float(guide)] * len(x_all), mode="lines", name=f"Guide ({guide} m²)",
                line={"color": charts.RED, "dash": "dash"}, hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_layout(
        **charts.BASE_LAYOUT,
        height=380,
        margin={"l": 60, "r": 20, "t": 20, "b": 60},
        yaxis={"title": {"text": "m² per 1,000 registered patients"}, "rangemode": "tozero"},
        xaxis={"title": {"text": "Financial year (the first is the list sizes' year; later ones projected)"}},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def capacity_summary(summaries: list[ClusterSummary], guide) -> str:
    """Each cluster's first and last projected m² per 1,000 patients against the guide, in words."""
    sentences = []
    for summary in summaries:
        if not summary.years:
            continue
        sentences.append(
            f"{summary.cluster.name}: "
            + chart_summary.series(
                [row.year_label for row in summary.years],
                [row.area_per_1000 for row in summary.years],
                format=lambda value: f"{float(value):,.1f} m²",
                target=float(guide),
                target_name="guide",
            )
        )
    return " ".join(sentences)


def years_by_cluster(summaries: list[ClusterSummary]) -> list[tuple[str, list[ClusterCapacity | None]]]:
    """Rows of (financial year, each cluster's stored row for it or None): the chart's table."""
    years = sorted({row.year for summary in summaries for row in summary.years})
    lookup = {(row.cluster_id, row.year): row for summary in summaries for row in summary.years}
    return [
        (str(FinancialYear(year)), [lookup.get((summary.cluster.pk, year)) for summary in summaries]) for year in years
    ]


class CapacityIndexView(LoginRequiredMixin, View):
    """Capacity is a CCG's page: go to the user's CCG, or list them when there are several."""

    def get(self, request, *args, **kwargs):
        ccgs = list(ccgs_for(request.user).order_by("name")[:2])
        if len(ccgs) == 1:
            return HttpResponseRedirect(reverse("estates:ccg_capacity", args=[ccgs[0].pk]))
        return HttpResponseRedirect(reverse("estates:overview"))


class SinceForm(forms.Form):
    since = forms.DateField(label="Compare with the register on", widget=DateInput(), required=False)


class CCGCapacityView(LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/ccg_capacity.html"
    permission_required = "estates.view_capacity"

    def void_saving(self, premises):
        """The void saving since the date asked for, by default since the CCG's register began."""
        form = SinceForm(self.request.GET or None)
        since = form.cleaned_data["since"] if form.is_valid() else None
        if since is None:
            first = Premises.history.filter(site__practice__ccg=self.ccg).aggregate(first=Min("history_date"))["first"]
            since = timezone.localdate(first) if first else timezone.localdate()
        form = SinceForm(initial={"since": since}) if not form.is_bound or not form.is_valid() else form
        return form, void_saving(premises.values_list("pk", flat=True), since)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ccg, today = self.ccg, timezone.localdate()
        settings = EstatesSettings.for_ccg(ccg)
        summaries = cluster_summaries(clusters_for(self.request.user).filter(ccg=ccg))
        with_years = [s for s in summaries if s.years]
        practices = list(
            PracticeCapacity.objects.filter(practice__ccg=ccg).select_related("practice").order_by("practice__name")
        )
        premises = Premises.objects.of_ccg(ccg).open_on(today)
        void_sites = (
            premises.filter(void_area_m2__gt=0).select_related("site__practice").order_by("-void_cost_per_year")
        )
        computed_on = with_years[0].now.computed_on if with_years else None
        since_form, saving = self.void_saving(premises)
        context.update(
            ccg=ccg,
            settings=settings,
            since_form=since_form,
            saving=saving,
            summaries=summaries,
            charted=with_years,
            by_year=years_by_cluster(with_years),
            chart=capacity_figure(summaries, settings.area_guide_per_1000).to_json() if with_years else None,
            chart_summary=capacity_summary(summaries, settings.area_guide_per_1000) if with_years else "",
            practices=practices,
            void=premises.void_totals(),
            void_sites=void_sites,
            computed_on=computed_on,
            refresh_waiting=capacity_refresh_waiting(ccg=ccg),
            definitions=DEFINITIONS,
            can_edit=self.request.user.has_perm("estates.change_estatessettings", ccg),
            exports=[(f.upper(), reverse("estates:ccg_capacity_export", args=[ccg.pk, f])) for f in EXPORT_FORMATS],
        )
        return context

    def get_breadcrumbs(self):
        return estates_breadcrumbs((f"Capacity of {self.ccg.name}", None))


class CapacityRefreshView(LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, View):
    """Recompute now, rather than at the next edit or overnight."""

    permission_required = "estates.change_estatessettings"

    def post(self, request, *args, **kwargs):
        capacity_refresh_later(ccg_id=self.ccg.pk)
        messages.success(request, "Asked for the capacity figures to be recomputed.")
        return HttpResponseRedirect(reverse("estates:ccg_capacity", args=[self.ccg.pk]))


class CCGCapacityExportView(LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, View):
    """Every cluster's stored years, and every practice's figures, as CSV (clusters only) or XLSX (two sheets)."""

    permission_required = "estates.view_capacity"

    def get(self, request, *args, **kwargs):
        file_format = self.kwargs["file_format"]
        if file_format not in CONTENT_TYPES:
            raise Http404
        clusters = tablib.Dataset(
            headers=[
                "Cluster", "Financial year", "Projected", "Registered patients", "New dwellings since list sizes",
                "Area (m²)", "Of which from schemes (m²)", "Clinical rooms", "m² per 1,000 patients",
                "Guide m² per 1,000", "Clinical rooms per 1,000 patients", "Guide rooms per 1,000", "List sizes as at",
            ],
            title="Clusters",
        )  # fmt: skip
        for summary in cluster_summaries(clusters_for(request.user).filter(ccg=self.ccg)):
            for row in summary.years:
                clusters.append([
                    summary.cluster.name, row.year_label, "Yes" if row.is_projected else "No", row.patients,
                    row.new_dwellings, row.area_m2, row.scheme_area_m2, row.clinical_rooms, row.area_per_1000,
                    row.area_guide_per_1000, row.rooms_per_1000, row.rooms_guide_per_1000, row.as_at,
                ])  # fmt: skip
        name = slugify(f"{self.ccg.ods_code} capacity")
        if file_format == "csv":
            content = exports.write_dataset(clusters, "csv", bom=False)
        else:
            practices = tablib.Dataset(
                headers=["Practice", "ODS code", "Registered patients", "List size as at", "Area (m²)",
                         "Clinical rooms", "m² per 1,000 patients", "Clinical rooms per 1,000 patients", "Sites",
                         "Sites without premises details"],
                title="Practices",
            )  # fmt: skip
            for row in PracticeCapacity.objects.filter(practice__ccg=self.ccg).select_related("practice"):
                practices.append([
                    row.practice.name, row.practice.ods_code, row.patients, row.list_size_date, row.area_m2,
                    row.clinical_rooms, row.area_per_1000, row.rooms_per_1000, row.sites, row.sites_without_details,
                ])  # fmt: skip
            content = exports.write_dataset(tablib.Databook([clusters, practices]), "xlsx")
        return exports.download(content, file_format=file_format, filename=f"{name}.{file_format}")


class ClusterCapacityView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """One cluster: its projection year by year, the housing growth behind it, its schemes and members."""

    template_name = "estates/cluster_capacity.html"
    permission_required = "estates.view_capacity"

    @cached_property
    def cluster(self):
        return get_object_or_404(clusters_for(self.request.user).select_related("ccg"), pk=self.kwargs["cluster_pk"])

    def get_permission_object(self):
        return self.cluster

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster, today = self.cluster, timezone.localdate()
        summary = cluster_summaries([cluster])[0]
        members = ClusterMembership.objects.current(today).filter(cluster=cluster).values("practice_id")
        context.update(
            cluster=cluster,
            summary=summary,
            settings=EstatesSettings.for_ccg(cluster.ccg),
            chart=capacity_figure([summary], summary.now.area_guide_per_1000).to_json() if summary.years else None,
            chart_summary=capacity_summary([summary], summary.now.area_guide_per_1000) if summary.years else "",
            housing=housing_growth_for(self.request.user).filter(cluster=cluster),
            schemes=schemes_for(self.request.user).filter(cluster=cluster).order_by("expected_open_date", "name"),
            practices=PracticeCapacity.objects.filter(practice__in=members).select_related("practice"),
            can_edit=self.request.user.has_perm("estates.change_housinggrowth", cluster),
        )
        return context

    def get_breadcrumbs(self):
        ccg = self.cluster.ccg
        return estates_breadcrumbs(
            (f"Capacity of {ccg.name}", reverse("estates:ccg_capacity", args=[ccg.pk])), (self.cluster.name, None)
        )


class EstatesSettingsUpdateView(
    LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, UpdateView
):
    """The CCG's guide figures; the row is created with the defaults on the first save."""

    form_class = EstatesSettingsForm
    permission_required = "estates.change_estatessettings"
    success_message = "Saved the estates settings. The capacity figures are being recomputed."
    intro = "The guide figures the capacity pages compare against, and the housing-growth assumption."

    def get_object(self, queryset=None):
        return EstatesSettings.for_ccg(self.ccg)

    def get_heading(self):
        return f"Estates settings of {self.ccg.name}"

    def get_success_url(self):
        return reverse("estates:ccg_capacity", args=[self.ccg.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.pk:
            context["history"] = history_of(self.object, limit=20)
        return context

    def get_template_names(self):
        return ["estates/settings_form.html"]

    def get_breadcrumbs(self):
        return estates_breadcrumbs((f"Capacity of {self.ccg.name}", self.get_success_url()), ("Settings", None))


class HousingGrowthCreateView(
    LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    form_class = HousingGrowthForm
    permission_required = "estates.change_housinggrowth"
    success_message = "Saved the housing growth figure."
    intro = "New dwellings the local plan expects to be completed in the cluster's area in one financial year."

    @cached_property
    def cluster(self):
        return get_object_or_404(clusters_for(self.request.user).select_related("ccg"), pk=self.kwargs["cluster_pk"])

    def get_permission_object(self):
        return self.cluster

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": HousingGrowth(cluster=self.cluster),
                "submit_text": "Add figure"}  # fmt: skip

    def get_heading(self):
        return f"Add housing growth for {self.cluster.name}"

    def get_success_url(self):
        return reverse("estates:cluster_capacity", args=[self.cluster.pk])

    def get_breadcrumbs(self):
        return estates_breadcrumbs((self.cluster.name, self.get_success_url()), ("Add housing growth", None))


class HousingGrowthUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = HousingGrowthForm
    permission_required = "estates.change_housinggrowth"
    success_message = "Saved the housing growth figure."

    def get_queryset(self):
        return housing_growth_for(self.request.user).select_related("cluster__ccg")

    def get_permission_object(self):
        return self.get_object().cluster

    def get_heading(self):
        return f"Housing growth in {self.object.cluster.name}, {self.object.year_label}"

    def get_success_url(self):
        return reverse("estates:cluster_capacity", args=[self.object.cluster_id])

    def get_breadcrumbs(self):
        return estates_breadcrumbs((self.object.cluster.name, self.get_success_url()), ("Edit housing growth", None))


def ccgs_with_roles(user):
    """The CCGs the user reads, with whether they commission each."""
    roles = roles_of(user)
    return [(ccg, roles.is_admin or ccg.pk in roles.commissioner_ccg_ids) for ccg in ccgs_for(user).order_by("name")]
