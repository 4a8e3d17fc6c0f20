"""The shared risk log: concerns about practices raised at the quality information sharing
group by the CCG, NHS England, the CQC, Healthwatch or the LMC. The CCG's commissioners only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import FormPageMixin, ObjectOnceMixin

from ..forms import ConcernForm
from ..models import Concern
from ..visibility import concerns_for
from .common import QualityCCGMixin, QualityPracticeMixin, profile_url


class ConcernListView(QualityCCGMixin, TemplateView):
    template_name = "quality/concern_list.html"
    permission_required = "quality.view_concerns"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_closed = self.request.GET.get("closed") == "1"
        concerns = concerns_for(self.request.user).filter(practice__ccg=self.ccg).select_related("practice")
        if not show_closed:
            concerns = concerns.open()
        context.update(ccg=self.ccg, concerns=list(concerns), show_closed=show_closed, can_change=True)
        return context


class ConcernCreateView(QualityPracticeMixin, FormPageMixin, CreateView):
    model = Concern
    form_class = ConcernForm
    permission_required = "quality.change_concern"

    def get_heading(self):
        return f"Log a concern about {self.practice.name}"

    def get_initial(self):
        return {"raised_date": timezone.localdate()}

    def form_valid(self, form):
        form.instance.practice = self.practice
        response = super().form_valid(form)
        messages.success(self.request, "Logged the concern.")
        return response


class ConcernUpdateView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, FormPageMixin, UpdateView):
    model = Concern
    form_class = ConcernForm
    permission_required = "quality.change_concern"

    def get_queryset(self):
        return concerns_for(self.request.user).select_related("practice")

    def get_heading(self):
        return f"Concern about {self.object.practice.name}"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Saved the concern.")
        return response

    def get_success_url(self):
        return reverse("quality:concern_list", args=[self.object.practice.ccg_id])

    def get_cancel_url(self):
        return profile_url(self.object.practice)
