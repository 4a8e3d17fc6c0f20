"""CQC ratings: import the CQC's ratings file (all or nothing), and add an inspection,
special measures or a warning notice by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView
from rules.contrib.views import PermissionRequiredMixin

from portal.jobs import JOB_POLL_SECONDS
from portal.mixins import BreadcrumbsMixin, FormPageMixin
from portal.todo import RECENT_DAYS, recent_problems

from ..cqc_import import COLUMNS, MAX_UPLOAD_BYTES
from ..forms import CQCEnforcementForm, CQCImportForm, CQCInspectionForm
from ..models import CQCEnforcement, CQCInspection
from ..services import cqc_import_queue
from ..visibility import cqc_imports_for
from .common import QualityPracticeMixin

#: The latest uploads listed on the import page.
RUNS_LISTED = 5


class CQCImportView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    """Upload the CQC's ratings file: its size is checked here, the worker imports it, and the
    page goes at once to the run's page (its progress, then what was saved or every problem)."""

    template_name = "quality/cqc_import.html"
    form_class = CQCImportForm
    permission_required = "quality.import_cqc"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
            return self.form_invalid(form)
        run = cqc_import_queue(upload=upload, user=self.request.user)
        return HttpResponseRedirect(run.get_absolute_url())

    def get_context_data(self, **kwargs):
        runs = cqc_imports_for(self.request.user)
        problems = self.request.GET.get("problems") == "yes"
        runs = recent_problems(runs, timezone.localdate()) if problems else runs[:RUNS_LISTED]
        return super().get_context_data(
            columns=COLUMNS, runs=runs, problems_only=problems, recent_days=RECENT_DAYS, **kwargs
        )


class CQCImportRunView(LoginRequiredMixin, BreadcrumbsMixin, DetailView):
    """One upload of the CQC's ratings as the worker imports it; polled by htmx."""

    template_name = "quality/cqc_import_run.html"
    context_object_name = "run"

    def get_queryset(self):
        return cqc_imports_for(self.request.user)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["quality/_cqc_import_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(poll_seconds=JOB_POLL_SECONDS, **kwargs)

    def get_breadcrumbs(self):
        return [("Import CQC ratings", reverse("quality:cqc_import")), (self.object.file_name, None)]


class CQCInspectionCreateView(QualityPracticeMixin, FormPageMixin, CreateView):
    model = CQCInspection
    form_class = CQCInspectionForm
    permission_required = "quality.change_cqc"

    def get_heading(self):
        return f"Add a CQC inspection of {self.practice.name}"

    def form_valid(self, form):
        if CQCInspection.objects.filter(
            practice=self.practice, publication_date=form.cleaned_data["publication_date"]
        ).exists():
            form.add_error("publication_date", "An inspection published on this day is already recorded.")
            return self.form_invalid(form)
        form.instance.practice = self.practice
        form.instance.source = CQCInspection.Source.ENTERED
        response = super().form_valid(form)
        messages.success(self.request, "Saved the CQC inspection.")
        return response


class CQCEnforcementCreateView(QualityPracticeMixin, FormPageMixin, CreateView):
    model = CQCEnforcement
    form_class = CQCEnforcementForm
    permission_required = "quality.change_cqc"

    def get_heading(self):
        return f"Add special measures or a warning notice for {self.practice.name}"

    def form_valid(self, form):
        form.instance.practice = self.practice
        response = super().form_valid(form)
        messages.success(self.request, f"Saved the {self.object.get_kind_display().lower()}.")
        return response
