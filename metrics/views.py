"""The metric definitions page and the recompute pages (start a full recompute, watch its progress)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin

from . import definitions as d
from .models import RecomputeRun
from .services import recompute_run_start
from .visibility import runs_as_seen_by, runs_for

#: The progress fragment asks again this often while a run is going.
POLL_SECONDS = 2
RUNS_LISTED = 10


class DefinitionsView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "metrics/definitions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            areas=[(area.value.title(), d.of_area(area)) for area in d.Area],
            rules=d.BENCHMARK_RULES,
            published=d.PUBLISHED_METRICS,
            baseline=d.BASELINE_LABEL,
            **kwargs,
        )

    def get_breadcrumbs(self):
        return [("Metric definitions", None)]


class RecomputeView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The latest runs, and a button to recompute every metric now."""

    template_name = "metrics/recompute.html"
    permission_required = "metrics.start_recompute"
    raise_exception = True

    def get_context_data(self, **kwargs):
        runs = runs_for(self.request.user).select_related("requested_by")[:RUNS_LISTED]
        return super().get_context_data(runs=runs_as_seen_by(self.request.user, runs), **kwargs)

    def post(self, request, *args, **kwargs):
        run = recompute_run_start(user=request.user, trigger=RecomputeRun.Trigger.BROWSER)
        messages.success(request, "The recompute of every metric has been queued.")
        return HttpResponseRedirect(run.get_absolute_url())

    def get_breadcrumbs(self):
        return [("Metric definitions", reverse("metrics:definitions")), ("Recompute metrics", None)]


class RunDetailView(LoginRequiredMixin, BreadcrumbsMixin, DetailView):
    template_name = "metrics/run_detail.html"
    context_object_name = "run"

    def get_queryset(self):
        return runs_for(self.request.user).select_related("requested_by")

    def get_object(self, queryset=None):
        return runs_as_seen_by(self.request.user, [super().get_object(queryset)])[0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(poll_seconds=POLL_SECONDS, **kwargs)

    def get_breadcrumbs(self):
        return [("Recompute metrics", reverse("metrics:recompute")), (f"Run {self.object.pk}", None)]


class RunProgressView(LoginRequiredMixin, TemplateView):
    """The progress fragment the run page polls (htmx); without JavaScript the page's own
    refresh link reloads the whole page."""

    template_name = "metrics/_run_progress.html"

    @cached_property
    def run(self) -> RecomputeRun:
        run = get_object_or_404(runs_for(self.request.user).select_related("requested_by"), pk=self.kwargs["pk"])
        return runs_as_seen_by(self.request.user, [run])[0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(run=self.run, poll_seconds=POLL_SECONDS, **kwargs)
