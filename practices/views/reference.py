"""National reference files imported from the browser (administrators): the upload page, and
each run's page with its progress and then what it changed and which rows it rejected."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView
from rules.contrib.views import PermissionRequiredMixin

from portal.jobs import JOB_POLL_SECONDS
from portal.mixins import BreadcrumbsMixin
from portal.todo import RECENT_DAYS, recent_problems

from ..forms import ReferenceFileForm
from ..models import ReferenceImport
from ..reference import DATASETS
from ..reference.columns import REFERENCE_FILE_LIMITS
from ..services import reference_import_upload

RUNS_LISTED = 10
#: Rejected rows shown on a run's page; the admin keeps them all.
REJECTIONS_SHOWN = 200


class ReferenceImportView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    template_name = "practices/reference_import.html"
    form_class = ReferenceFileForm
    permission_required = "practices.import_reference"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > REFERENCE_FILE_LIMITS.max_bytes:
            form.add_error("file", f"The file is larger than {REFERENCE_FILE_LIMITS.max_bytes // (1024 * 1024)} MB.")
            return self.form_invalid(form)
        file_type = getattr(DATASETS.get(form.cleaned_data["dataset"]), "file_type", ".csv")
        if not upload.name.lower().endswith(file_type):
            publisher = "ODS" if file_type == ".xlsx" else "NHS Digital"
            form.add_error("file", f"Upload the reference file as the {file_type} {publisher} publishes.")
            return self.form_invalid(form)
        run = reference_import_upload(
            dataset=form.cleaned_data["dataset"], upload=upload, user=self.request.user,
            dry_run=form.cleaned_data["dry_run"],
        )  # fmt: skip
        return HttpResponseRedirect(reverse("practices:reference_import_run", args=[run.pk]))

    def get_context_data(self, **kwargs):
        runs = ReferenceImport.objects.select_related("requested_by")
        problems = self.request.GET.get("problems") == "yes"
        runs = recent_problems(runs, timezone.localdate()) if problems else runs[:RUNS_LISTED]
        return super().get_context_data(runs=runs, problems_only=problems, recent_days=RECENT_DAYS, **kwargs)

    def get_breadcrumbs(self):
        return [("Import a reference file", None)]


class ReferenceImportRunView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, DetailView):
    template_name = "practices/reference_import_run.html"
    context_object_name = "run"
    permission_required = "practices.view_reference_imports"
    queryset = ReferenceImport.objects.select_related("requested_by")

    def get_permission_object(self):
        return None

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["practices/_reference_import_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            poll_seconds=JOB_POLL_SECONDS, progress_url=self.request.path,
            rejections=self.object.rejections[:REJECTIONS_SHOWN], **kwargs,
        )  # fmt: skip

    def get_breadcrumbs(self):
        return [("Import a reference file", reverse("practices:reference_import")), (str(self.object), None)]
