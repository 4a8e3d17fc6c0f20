"""Cluster pages: members on a date, and the create and edit forms."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView
from rules.contrib.views import PermissionRequiredMixin

from portal.asat import as_at_from
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin

from ..forms import ClusterForm
from ..models import Cluster, ListSize
from ..populations import population_on
from ..visibility import ccgs_for, clusters_for
from .common import RecordUpdateView, hierarchy_breadcrumbs

MEMBERS_HELP = "Members and their registered population as they stood at the end of this day."


class ClusterDetailView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, BreadcrumbsMixin, DetailView):
    template_name = "practices/cluster_detail.html"
    context_object_name = "cluster"
    permission_required = "practices.view_cluster"

    def get_queryset(self):
        return clusters_for(self.request.user).select_related("ccg__stp")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_at = as_at_from(self.request, label="Members on", help_text=MEMBERS_HELP)
        on = as_at.on
        latest = ListSize.objects.totals().filter(practice=OuterRef("practice_id"), extract_date__lte=on)
        latest = latest.order_by(*ListSize.LATEST_FIRST)
        memberships = (
            self.object.memberships.select_related("practice")
            .annotate(
                list_size=Subquery(latest.values("patients")[:1]),
                list_size_date=Subquery(latest.values("extract_date")[:1]),
            )
            .order_by("practice__name", "-start_date")
        )
        current, past, later = [], [], []
        for membership in memberships:
            if membership.start_date > on:
                later.append(membership)
            elif membership.end_date is not None and membership.end_date <= on:
                past.append(membership)
            else:
                current.append(membership)
        registered = population_on(self.object, on)
        context.update(
            on=on, as_at=as_at, current=current, past=past, later=later, population=registered,
            registered=registered,
            stated_populations=list(self.object.stated_populations.all()),
        )  # fmt: skip
        return context

    def get_breadcrumbs(self):
        ccg = self.object.ccg
        return hierarchy_breadcrumbs(self.request.user, stp=ccg.stp, ccg=ccg) + [(self.object.name, None)]


class ClusterCreateView(LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView):
    form_class = ClusterForm
    permission_required = "practices.add_cluster"
    success_message = "Added the cluster %(name)s."

    @cached_property
    def ccg(self):
        return get_object_or_404(ccgs_for(self.request.user).select_related("stp"), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return self.ccg

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Cluster(ccg=self.ccg)
        kwargs["submit_text"] = "Add cluster"
        return kwargs

    def get_heading(self):
        return f"Add a cluster to {self.ccg.name}"

    def get_cancel_url(self):
        return self.ccg.get_absolute_url()

    def get_breadcrumbs(self):
        return hierarchy_breadcrumbs(self.request.user, stp=self.ccg.stp, ccg=self.ccg) + [("Add a cluster", None)]


class ClusterUpdateView(RecordUpdateView):
    form_class = ClusterForm
    permission_required = "practices.change_cluster"

    def get_queryset(self):
        return clusters_for(self.request.user).select_related("ccg__stp")

    def get_breadcrumbs(self):
        ccg = self.object.ccg
        crumbs = hierarchy_breadcrumbs(self.request.user, stp=ccg.stp, ccg=ccg, cluster=self.object)
        return crumbs + [("Edit", None)]
