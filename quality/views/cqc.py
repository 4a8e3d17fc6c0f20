"""CQC ratings: import the CQC's ratings file (all or nothing), and add an inspection,
special measures or a warning notice by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import CreateView, FormView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin, FormPageMixin
from practices.access import roles_of
from practices.models import Practice

from ..cqc_import import COLUMNS, MAX_UPLOAD_BYTES, cqc_ratings_import
from ..forms import CQCEnforcementForm, CQCImportForm, CQCInspectionForm
from ..models import CQCEnforcement, CQCInspection
from .common import PracticeScopedMixin


class CQCImportView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    template_name = "quality/cqc_import.html"
    form_class = CQCImportForm
    permission_required = "quality.import_cqc"

    def practices(self):
        roles = roles_of(self.request.user)
        if roles.is_admin:
            return Practice.objects.all()
        return Practice.objects.filter(ccg_id__in=roles.commissioner_ccg_ids)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
            return self.form_invalid(form)
        result = cqc_ratings_import(upload=upload, practices=self.practices(), user=self.request.user)
        if result.errors:
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(self.request, f"Imported the CQC ratings: {result.summary}")
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result))

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=COLUMNS, **kwargs)


class CQCInspectionCreateView(PracticeScopedMixin, FormPageMixin, CreateView):
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


class CQCEnforcementCreateView(PracticeScopedMixin, FormPageMixin, CreateView):
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
