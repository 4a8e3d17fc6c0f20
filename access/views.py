"""Extended access pages for a CCG's commissioners: each practice's compliance and rates in one
period, read from the measures the worker stored when each return was accepted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import plotly.graph_objects as go
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from portal.mixins import BreadcrumbsMixin
from returns.models import period_label

from .access import access_ccgs_for
from .compliance import Compliance
from .models import AccessMeasure
from .services import DEFINITIONS
from .validation import MINUTES_STANDARD_PER_1000


def period_text(start: dt.date, end: dt.date) -> str:
    """'October 2018' for a month, '2018/19 Q3' for a quarter."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return period_label("monthly" if months == 1 else "quarterly", start)


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


class CCGAccessView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "access/ccg_access.html"

    @cached_property
    def ccg(self):
        return get_object_or_404(access_ccgs_for(self.request.user), pk=self.kwargs["pk"])

    def periods(self) -> list[tuple[dt.date, dt.date]]:
        rows = (
            AccessMeasure.objects.in_ccg(self.ccg.pk)
            .order_by("-period_start", "period_end")
            .values_list("period_start", "period_end")
            .distinct()
        )
        return list(rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = self.periods()
        chosen = None
        wanted = self.request.GET.get("period", "")
        for start, end in periods:
            if f"{start:%Y-%m-%d}_{end:%Y-%m-%d}" == wanted:
                chosen = (start, end)
        if chosen is None and periods:
            chosen = periods[0]
        measures = []
        if chosen:
            measures = list(
                AccessMeasure.objects.in_ccg(self.ccg.pk)
                .filter(period_start=chosen[0], period_end=chosen[1])
                .select_related("practice")
                .order_by("practice__name")
            )
        counts = Counter(m.compliance for m in measures)
        context.update(
            ccg=self.ccg,
            periods=[(f"{s:%Y-%m-%d}_{e:%Y-%m-%d}", period_text(s, e), (s, e) == chosen) for s, e in periods],
            period=period_text(*chosen) if chosen else None,
            measures=measures,
            compliance_counts=[(label, counts.get(value, 0)) for value, label in Compliance.choices],
            with_group=sum(1 for m in measures if m.relies_on_group and m.compliance != Compliance.NONE),
            standard=MINUTES_STANDARD_PER_1000,
            definitions=DEFINITIONS,
            chart=minutes_figure(measures).to_json() if measures else None,
        )
        return context

    def get_breadcrumbs(self):
        return [("Extended access", reverse("access:index")), (self.ccg.name, None)]


def minutes_figure(measures: list[AccessMeasure]) -> go.Figure:
    """Each practice's extended access minutes a week per 1,000 patients against the standard of 30."""
    names = [m.practice.name for m in measures]
    colours = {Compliance.FULL: "#007f3b", Compliance.PARTIAL: "#ffb81c", Compliance.NONE: "#d5281b"}
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
    fig.add_vline(x=MINUTES_STANDARD_PER_1000, line={"dash": "dash", "color": "#425563"})
    fig.update_layout(
        template="none",
        font={"family": "Arial, sans-serif", "color": "#212b32"},
        height=max(240, 28 * len(measures) + 80),
        margin={"l": 220, "r": 20, "t": 20, "b": 50},
        xaxis={"title": {"text": "Extended access minutes a week per 1,000 patients"}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category"},
        showlegend=False,
    )
    return fig
