"""Schemes: the list with filters and export, one scheme with its status history and
milestones, and the forms to add, edit and move a scheme on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from practices.visibility import CCGScopedMixin, ccgs_for, roles_of

from ..filters import SchemeFilter
from ..forms import SchemeForm, SchemeMilestoneForm, SchemeStatusForm
from ..models import Scheme, SchemeMilestone
from ..services import SchemeStatusError, scheme_create, scheme_status_change
from ..tables import SchemeTable
from ..visibility import milestones_for, schemes_for
from .common import estates_breadcrumbs, export_links, export_table

SCHEMES_PER_PAGE = 50


def scheme_breadcrumbs(*more):
    return estates_breadcrumbs(("Schemes", reverse("estates:scheme_list")), *more)


class SchemeListView(LoginRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "estates/scheme_list.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return export_table(request, context["table"], "estates-schemes") or self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        schemes = schemes_for(user).select_related("ccg", "funding_stream").prefetch_related("practices")
        scheme_filter = SchemeFilter(self.request.GET or None, queryset=schemes, ccgs=ccgs_for(user))
        table = SchemeTable(scheme_filter.qs, caption="Premises schemes, by CCG")
        RequestConfig(self.request, paginate={"per_page": SCHEMES_PER_PAGE}).configure(table)
        roles = roles_of(user)
        context.update(
            filter=scheme_filter,
            table=table,
            exports=export_links(self.request),
            ccgs_for_new=ccgs_for(user) if roles.is_admin else ccgs_for(user).filter(pk__in=roles.commissioner_ccg_ids),
        )
        return context

    def get_breadcrumbs(self):
        return estates_breadcrumbs(("Schemes", None))


class SchemeDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "estates/scheme_detail.html"
    context_object_name = "scheme"

    def get_queryset(self):
        return (
            schemes_for(self.request.user)
            .select_related("ccg", "cluster", "funding_stream")
            .prefetch_related("practices", "sites__practice", "status_changes__by", "milestones")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = self.object
        can_edit = self.request.user.has_perm("estates.change_scheme", scheme)
        context.update(
            can_edit=can_edit,
            status_form=SchemeStatusForm(scheme=scheme) if can_edit and scheme.allowed_next_statuses() else None,
            history=history_of(scheme, limit=20),
            today=timezone.localdate(),
        )
        return context

    def get_breadcrumbs(self):
        return scheme_breadcrumbs((self.object.name, None))


class SchemeCreateView(
    LoginRequiredMixin, CCGScopedMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView
):
    """/estates/schemes/new/?ccg=<pk>: the CCG comes in the query, so a plain GET form can choose it."""

    form_class = SchemeForm
    permission_required = "estates.add_scheme"
    success_message = "Added the scheme %(name)s as an idea."
    intro = "A new scheme starts as an idea; move it on from its page as it goes to bid, business case and approval."

    def scope_pk(self):
        ccg_pk = self.request.GET.get("ccg", "")
        return int(ccg_pk) if ccg_pk.isdigit() else 0

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Scheme(ccg=self.ccg), "submit_text": "Add scheme"}

    def form_valid(self, form):
        self.object = scheme_create(scheme=form.save(commit=False), user=self.request.user)
        form.save_m2m()
        messages.success(self.request, self.get_success_message(form.cleaned_data))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_cancel_url(self):
        return reverse("estates:scheme_list")

    def get_heading(self):
        return f"Add a scheme for {self.ccg.name}"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs(("Add a scheme", None))


class SchemeUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = SchemeForm
    permission_required = "estates.change_scheme"
    success_message = "Saved the changes to %(name)s."

    def get_queryset(self):
        return schemes_for(self.request.user).select_related("ccg")

    def get_heading(self):
        return f"Edit {self.object.name}"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs((self.object.name, self.object.get_absolute_url()), ("Edit", None))


class SchemeStatusView(LoginRequiredMixin, PermissionRequiredMixin, FormPageMixin, FormView):
    form_class = SchemeStatusForm
    permission_required = "estates.change_scheme"

    @cached_property
    def scheme(self) -> Scheme:
        return get_object_or_404(schemes_for(self.request.user).select_related("ccg"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.scheme

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scheme": self.scheme}

    def form_valid(self, form):
        try:
            change = scheme_status_change(
                scheme=self.scheme,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                user=self.request.user,
            )
        except SchemeStatusError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.scheme.name} is now at '{change.get_to_status_display()}'.")
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.scheme.get_absolute_url()

    def get_heading(self):
        return f"Move {self.scheme.name} on (now '{self.scheme.get_status_display()}')"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs((self.scheme.name, self.get_success_url()), ("Change status", None))


class MilestoneCreateView(LoginRequiredMixin, PermissionRequiredMixin, SuccessMessageMixin, FormPageMixin, CreateView):
    form_class = SchemeMilestoneForm
    permission_required = "estates.change_scheme"
    success_message = "Added the milestone %(title)s."

    @cached_property
    def scheme(self) -> Scheme:
        return get_object_or_404(schemes_for(self.request.user).select_related("ccg"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.scheme

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": SchemeMilestone(scheme=self.scheme),
                "submit_text": "Add milestone"}  # fmt: skip

    def get_success_url(self):
        return self.scheme.get_absolute_url()

    def get_heading(self):
        return f"Add a milestone to {self.scheme.name}"

    def get_breadcrumbs(self):
        return scheme_breadcrumbs((self.scheme.name, self.get_success_url()), ("Add a milestone", None))


class MilestoneUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, SuccessMessageMixin,
    FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = SchemeMilestoneForm
    permission_required = "estates.change_scheme"
    success_message = "Saved the milestone %(title)s."

    def get_queryset(self):
        return milestones_for(self.request.user).select_related("scheme__ccg")

    def get_permission_object(self):
        return self.get_object().scheme

    def get_success_url(self):
        return self.object.scheme.get_absolute_url()

    def get_heading(self):
        return f"Edit the milestone {self.object.title}"

    def get_breadcrumbs(self):
        scheme = self.object.scheme
        return scheme_breadcrumbs((scheme.name, self.get_success_url()), ("Edit a milestone", None))
