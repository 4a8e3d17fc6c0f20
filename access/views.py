"""Extended access pages for a CCG's commissioners and governing body: each practice's compliance
and rates in one period, read from the metrics engine's stored values (``metrics.models.MetricValue``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import plotly.graph_objects as go
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from metrics import definitions as metric_definitions
from metrics.models import Level, MetricValue
from metrics.visibility import metric_values_for
from portal import chart_summary, charts
from portal.mixins import BreadcrumbsMixin
from portal.periods import months_spanned
from returns.models import period_end, period_label
from returns.visibility import revisions_for

from .compliance import Compliance
from .models import PublishedAppointments
from .published import SOURCE as PUBLISHED_SOURCE
from .published import published_area, published_months
from .validation import MINUTES_STANDARD_PER_1000
from .visibility import access_ccgs_for


def period_text(start: dt.date, end: dt.date) -> str:
    """'October 2018' for a month, '2018/19 Q3' for a quarter."""
    return period_label("monthly" if months_spanned(start, end) == 1 else "quarterly", start)


class AccessIndexView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The CCGs whose extended access the user may read; straight to the CCG when there is one."""

    template_name = "access/index.html"

    def get(self, request, *args, **kwargs):
        ccgs = list(access_ccgs_for(request.user).order_by("name"))
        if not ccgs:
            raise Http404("No CCG's extended access to show.")
        if len(ccgs) == 1:
            return HttpResponseRedirect(reverse("access:ccg_access", args=[ccgs[0].pk]))
        return self.render_to_response(self.get_context_data(ccgs=ccgs))

    def get_breadcrumbs(self):
        return [("Extended access", None)]


#: The engine's metrics this page shows for each practice, and the CCG as a whole.
PAGE_METRICS = (
    "extended_access_full", "extended_access_partial", "extended_access_through_group",
    "extended_access_minutes_per_1000", "appointments_per_1000", "dna_rate", "extended_access_population_covered",
)  # fmt: skip

#: The engine's written definitions the page gives under "How these are worked out".
DEFINED_METRICS = (
    "extended_access_full", "extended_access_partial", "extended_access_minutes_per_1000", "appointments_per_1000",
    "dna_rate",
)  # fmt: skip


@dataclass
class PracticeAccess:
    """One practice's extended access in one period, from the metrics engine's stored values."""

    practice: object
    revision_id: int | None = None
    compliance: str = Compliance.NONE
    relies_on_group: bool = False
    minutes_per_1000_a_week: float | None = None
    appointments_per_1000_a_week: float | None = None
    dna_rate: float | None = None
    list_size: int | None = None

    @property
    def compliance_label(self) -> str:
        label = str(Compliance(self.compliance).label)
        if self.compliance != Compliance.NONE and self.relies_on_group:
            label += " (with its group)"
        return label


def practice_rows(values) -> tuple[list[PracticeAccess], dict[str, MetricValue]]:
    """The practices' rows (by name) and the CCG's own values, from one query's ``MetricValue`` rows."""
    practices: dict[int, PracticeAccess] = {}
    ccg_values: dict[str, MetricValue] = {}
    for value in values:
        if value.level == Level.CCG:
            ccg_values[value.metric] = value
            continue
        row = practices.setdefault(value.org_id, PracticeAccess(practice=value.practice))
        row.revision_id = row.revision_id or value.source_revision
        if value.metric == "extended_access_full" and value.value:
            row.compliance = Compliance.FULL
        elif value.metric == "extended_access_partial" and value.value and row.compliance != Compliance.FULL:
            row.compliance = Compliance.PARTIAL
        elif value.metric == "extended_access_through_group":
            row.relies_on_group = bool(value.value)
        elif value.metric == "extended_access_minutes_per_1000":
            row.minutes_per_1000_a_week = value.value
            row.list_size = int(value.denominator) if value.denominator is not None else None
        elif value.metric == "appointments_per_1000":
            row.appointments_per_1000_a_week = value.value
        elif value.metric == "dna_rate":
            row.dna_rate = value.value
    return sorted(practices.values(), key=lambda r: r.practice.name), ccg_values


class CCGAccessView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Each practice's extended access in one period, read from the metrics engine's values."""

    template_name = "access/ccg_access.html"

    @cached_property
    def ccg(self):
        return get_object_or_404(access_ccgs_for(self.request.user), pk=self.kwargs["pk"])

    def periods(self) -> list[tuple[dt.date, dt.date, str]]:
        rows = (
            metric_values_for(self.request.user).in_ccg(self.ccg.pk, levels=[Level.PRACTICE])
            .metric("extended_access_full")
            .order_by("-period", "frequency").values_list("period", "frequency").distinct()
        )  # fmt: skip
        return [(start, period_end(frequency, start), frequency) for start, frequency in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = self.periods()
        chosen = None
        wanted = self.request.GET.get("period", "")
        for start, end, frequency in periods:
            if f"{start:%Y-%m-%d}_{end:%Y-%m-%d}" == wanted:
                chosen = (start, end, frequency)
        if chosen is None and periods:
            chosen = periods[0]
        measures, ccg_values = [], {}
        if chosen:
            values = (
                metric_values_for(self.request.user).in_ccg(self.ccg.pk, levels=[Level.PRACTICE], own=True)
                .metric(PAGE_METRICS).frequency(chosen[2]).period(chosen[0])
                .select_related("practice")
            )  # fmt: skip
            measures, ccg_values = practice_rows(values)
        counts = Counter(m.compliance for m in measures)
        wanted = {m.revision_id for m in measures if m.revision_id}
        returns_open = set(revisions_for(self.request.user).filter(pk__in=wanted).values_list("pk", flat=True))
        context.update(
            ccg=self.ccg,
            periods=[(f"{s:%Y-%m-%d}_{e:%Y-%m-%d}", period_text(s, e), (s, e, f) == chosen) for s, e, f in periods],
            period=period_text(*chosen[:2]) if chosen else None,
            measures=measures,
            returns_open=returns_open,
            ccg_values=ccg_values,
            compliance_counts=[(label, counts.get(value, 0)) for value, label in Compliance.choices],
            with_group=sum(1 for m in measures if m.relies_on_group and m.compliance != Compliance.NONE),
            standard=MINUTES_STANDARD_PER_1000,
            definitions=[metric_definitions.metric(code) for code in DEFINED_METRICS],
            chart=minutes_figure(measures).to_json() if measures else None,
            chart_summary=minutes_summary(measures) if measures else "",
            **self.published_context(chosen, ccg_values),
        )
        return context

    def published_context(self, chosen, ccg_values) -> dict:
        """NHS Digital's published appointments of the CCG's area, and its practices' own returns beside them."""
        area = published_area(self.ccg)
        months = published_months(area) if area else []
        beside = None
        if chosen and months:
            start, end, _ = chosen
            within = [m for m in months if start <= m.month <= end]
            if within and len(within) == months_spanned(start, end):
                returns = {code: ccg_values.get(code) for code in ("appointments_per_1000", "dna_rate")}
                beside = {"months": within, "returns": returns}
        return {
            "published_area": area,
            "published_months": months,
            "published_beside": beside,
            "published_source": PUBLISHED_SOURCE,
            "published_definitions": metric_definitions.PUBLISHED_METRICS,
            "mode_codes": [(f"published_{mode}_share", label) for mode, label in PublishedAppointments.Mode.choices],
        }

    def get_breadcrumbs(self):
        return [("Extended access", reverse("access:index")), (self.ccg.name, None)]


def minutes_summary(measures: list[PracticeAccess]) -> str:
    """The chart's figures in words: the highest and lowest practice, and those short of the standard."""
    return chart_summary.bars(
        [m.practice.name for m in measures],
        [m.minutes_per_1000_a_week for m in measures],
        format=lambda value: f"{float(value):,.1f} minutes",
        target=MINUTES_STANDARD_PER_1000,
        target_name="standard",
        noun="practices",
    )


def minutes_figure(measures: list[PracticeAccess]) -> go.Figure:
    """Each practice's extended access minutes a week per 1,000 patients against the standard of 30."""
    names = [m.practice.name for m in measures]
    colours = {
        Compliance.FULL: charts.RAG["green"],
        Compliance.PARTIAL: charts.RAG["amber"],
        Compliance.NONE: charts.RAG["red"],
    }
    fig = go.Figure(
        go.Bar(
            x=[m.minutes_per_1000_a_week for m in measures],
            y=names,
            orientation="h",
            marker={"color": [colours[Compliance(m.compliance)] for m in measures]},
            customdata=[m.compliance_label for m in measures],
            hovertemplate="%{y}: %{x:.1f} minutes (%{customdata})<extra></extra>",
            name="Minutes a week per 1,000 patients",
        )
    )
    fig.add_vline(x=MINUTES_STANDARD_PER_1000, line={"dash": "dash", "color": charts.DARK_GREY})
    fig.update_layout(
        **charts.BASE_LAYOUT,
        height=max(240, 28 * len(measures) + 80),
        margin={"l": 220, "r": 20, "t": 20, "b": 50},
        xaxis={"title": {"text": "Extended access minutes a week per 1,000 patients"}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return fig
