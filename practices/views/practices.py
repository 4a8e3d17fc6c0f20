"""Practice pages: the list, one practice with its history, and the forms that change it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView, TemplateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.display import uk_date
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin

from ..filters import PracticeFilter
from ..forms import MoveClusterForm, PracticeForm
from ..membership import practice_move_cluster, practice_place_in_ccg
from ..models import Practice
from ..tables import PracticeTable
from ..visibility import ccgs_for, clusters_for, practices_for, roles_of
from .common import RecordUpdateView, hierarchy_breadcrumbs, with_current_cluster
from .organisations import PRACTICES_PER_PAGE


class PracticeListView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    """Every practice the user may see, filtered and sorted; a practice manager's list of their own."""

    template_name = "practices/practice_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        roles = roles_of(user)
        clusters = clusters_for(user).select_related("ccg").order_by("ccg__name", "name")
        practice_filter = PracticeFilter(
            self.request.GET or None,
            queryset=with_current_cluster(practices_for(user).with_list_size(), today),
            clusters=clusters if (roles.is_admin or roles.ccg_ids) else None,
        )
        heading = "Your practices" if not (roles.is_admin or roles.ccg_ids) else "Practices"
        table = PracticeTable(practice_filter.qs, caption=heading)
        RequestConfig(self.request, paginate={"per_page": PRACTICES_PER_PAGE}).configure(table)
        context.update(filter=practice_filter, table=table, heading=heading)
        return context

    def get_breadcrumbs(self):
        return [("Home", reverse("practices:home")), ("Practices", None)]


class PracticeDetailView(LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, BreadcrumbsMixin, DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"
    permission_required = "practices.view_practice"

    def get_queryset(self):
        return practices_for(self.request.user).select_related("ccg__stp", "federation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, today = self.object, timezone.localdate()
        memberships = list(practice.cluster_memberships.select_related("cluster").order_by("-start_date"))
        current = [m for m in memberships if m.start_date <= today and (m.end_date is None or m.end_date > today)]
        list_sizes = list(practice.list_sizes.totals().order_by("-extract_date"))
        roles = roles_of(self.request.user)
        context.update(
            memberships=memberships,
            current_membership=current[0] if current else None,
            sites=list(practice.sites.order_by("kind", "name")),
            list_sizes=list_sizes,
            latest_list_size=list_sizes[0] if list_sizes else None,
            history=history_of(practice),
            reads_ccg=roles.is_admin or practice.ccg_id in roles.ccg_ids,
        )
        return context

    def get_breadcrumbs(self):
        practice = self.object
        return hierarchy_breadcrumbs(self.request.user, stp=practice.ccg.stp, ccg=practice.ccg) + [
            (practice.name, None)
        ]


class PracticeCreateView(LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView):
    form_class = PracticeForm
    permission_required = "practices.add_practice"
    success_message = "Added the practice %(name)s."

    @cached_property
    def ccg(self):
        return get_object_or_404(ccgs_for(self.request.user).select_related("stp"), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return self.ccg

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Practice(ccg=self.ccg)
        kwargs["submit_text"] = "Add practice"
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        practice = self.object
        practice_place_in_ccg(
            practice=practice, ccg=self.ccg, on=practice.open_date or timezone.localdate(), user=self.request.user
        )
        return response

    def get_heading(self):
        return f"Add a practice to {self.ccg.name}"

    def get_cancel_url(self):
        return self.ccg.get_absolute_url()

    def get_breadcrumbs(self):
        return hierarchy_breadcrumbs(self.request.user, stp=self.ccg.stp, ccg=self.ccg) + [("Add a practice", None)]


class PracticeUpdateView(RecordUpdateView):
    form_class = PracticeForm
    permission_required = "practices.change_practice"

    def get_queryset(self):
        return practices_for(self.request.user).select_related("ccg__stp")

    def get_breadcrumbs(self):
        practice = self.object
        crumbs = hierarchy_breadcrumbs(self.request.user, stp=practice.ccg.stp, ccg=practice.ccg)
        return crumbs + [(practice.name, practice.get_absolute_url()), ("Edit", None)]


class PracticeMoveClusterView(LoginRequiredMixin, PermissionRequiredMixin, FormPageMixin, FormView):
    """Move a practice to another cluster from a date: the old membership ends, the new one starts."""

    form_class = MoveClusterForm
    permission_required = "practices.change_practice"
    intro = "The practice stays in its current cluster until the day before the date you give."

    @cached_property
    def practice(self):
        return get_object_or_404(practices_for(self.request.user).select_related("ccg__stp"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.practice

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "practice": self.practice}

    def form_valid(self, form):
        try:
            membership = practice_move_cluster(
                practice=self.practice,
                cluster=form.cleaned_data["cluster"],
                on=form.cleaned_data["on"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.practice.name} is in {membership.cluster.name} from {uk_date(membership.start_date)}."
        )
        return redirect(self.practice)

    def get_heading(self):
        return f"Move {self.practice.name} to another cluster"

    def get_success_url(self):
        return self.practice.get_absolute_url()

    def get_breadcrumbs(self):
        practice = self.practice
        crumbs = hierarchy_breadcrumbs(self.request.user, stp=practice.ccg.stp, ccg=practice.ccg)
        return crumbs + [(practice.name, practice.get_absolute_url()), ("Move to another cluster", None)]
