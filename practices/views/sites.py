"""A practice's sites: its manager or its commissioner adds and edits them."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import CreateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import FormPageMixin

from ..forms import SiteForm
from ..models import Site
from ..visibility import practices_for, sites_for
from .common import RecordUpdateView, hierarchy_breadcrumbs


def _practice_breadcrumbs(user, practice, last: str):
    crumbs = hierarchy_breadcrumbs(user, stp=practice.ccg.stp, ccg=practice.ccg)
    return crumbs + [(practice.name, practice.get_absolute_url()), (last, None)]


class SiteCreateView(LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView):
    form_class = SiteForm
    permission_required = "practices.add_site"
    success_message = "Added the site %(name)s."

    @cached_property
    def practice(self):
        practices = practices_for(self.request.user).select_related("ccg__stp")
        return get_object_or_404(practices, pk=self.kwargs["practice_pk"])

    def get_permission_object(self):
        return self.practice

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Site(practice=self.practice), "submit_text": "Add site"}

    def get_heading(self):
        return f"Add a site to {self.practice.name}"

    def get_cancel_url(self):
        return self.practice.get_absolute_url()

    def get_breadcrumbs(self):
        return _practice_breadcrumbs(self.request.user, self.practice, "Add a site")


class SiteUpdateView(RecordUpdateView):
    form_class = SiteForm
    permission_required = "practices.change_site"

    def get_queryset(self):
        return sites_for(self.request.user).select_related("practice__ccg__stp")

    def get_breadcrumbs(self):
        return _practice_breadcrumbs(self.request.user, self.object.practice, f"Edit {self.object.name}")
