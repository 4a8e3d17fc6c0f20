"""Plan pages: the plan and its versions, the chapter summary, actions, alignment to the
national commitments, and the action tracker export and import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from portal import display, exports
from portal.asat import PARAMETER, AsAtError, as_at_date
from portal.concurrency import ConcurrencyGuardMixin
from portal.history import history_of
from portal.jobs import JOB_POLL_SECONDS
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin
from portal.todo import RECENT_DAYS, recent_problems
from practices.visibility import ccgs_for, roles_of

from ..changes import plan_changes_between
from ..filters import ActionFilter
from ..forms import ActionForm, ApproveVersionForm, CompareDatesForm, PlanForm, TrackerUploadForm
from ..models import Action, Chapter, NationalCommitment, Plan, PlanVersion
from ..services import (
    PlanVersionError,
    plan_as_at_default,
    plan_create,
    plan_summary,
    plan_version_approve,
    plan_version_changes,
    plan_version_return,
    plan_version_submit,
    tracker_import_queue,
)
from ..tables import ActionTable
from ..tracker import TrackerFileError, tracker_check_upload, tracker_export
from ..visibility import actions_for, plans_for, tracker_imports_for
from .common import PlanScopedMixin, PlanWriteMixin, plan_as_at, plan_breadcrumbs
from .trajectories import with_charts

#: The latest uploads listed on the import page.
RUNS_LISTED = 5


class PlanListView(LoginRequiredMixin, BreadcrumbsMixin, ListView):
    template_name = "commissioning/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return plans_for(self.request.user).select_related("ccg").prefetch_related("versions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_of(self.request.user)
        context["ccgs_for_new_plan"] = (
            ccgs_for(self.request.user)
            if roles.is_admin
            else ccgs_for(self.request.user).filter(pk__in=roles.commissioner_ccg_ids)
        )
        context["is_practice_manager"] = roles.is_practice_manager
        return context

    def get_breadcrumbs(self):
        return [("Plans", None)]


class PlanCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormPageMixin, CreateView):
    form_class = PlanForm
    permission_required = "commissioning.change_plan"

    @cached_property
    def ccg(self):
        return get_object_or_404(ccgs_for(self.request.user), pk=self.kwargs["ccg_pk"])

    def get_permission_object(self):
        return Plan(ccg=self.ccg)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Plan(ccg=self.ccg, title="GP Forward View plan")
        kwargs["submit_text"] = "Create plan"
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        if Plan.objects.filter(ccg=self.ccg, first_year=data["first_year"], last_year=data["last_year"]).exists():
            form.add_error(None, f"{self.ccg.name} already has a plan for these years.")
            return self.form_invalid(form)
        self.object = plan_create(
            ccg=self.ccg, title=data["title"], first_year=data["first_year"], last_year=data["last_year"]
        )
        messages.success(self.request, f"Created {self.object}. Version 1 is a draft.")
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_heading(self):
        return f"New GP Forward View plan for {self.ccg.name}"

    def get_cancel_url(self):
        return reverse("commissioning:plan_list")

    def get_breadcrumbs(self):
        return plan_breadcrumbs() + [("New plan", None)]


class PlanDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return plans_for(self.request.user).select_related("ccg")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_at = plan_as_at(self.request, self.object)
        rows, totals = plan_summary(plan=self.object, on=as_at.on)
        versions = list(self.object.versions.select_related("submitted_by", "approved_by").order_by("-number"))
        context.update(
            as_at=as_at,
            today=as_at.on,
            summary=rows,
            totals=totals,
            versions=versions,
            current=versions[0] if versions else None,
            last_approved=next((v for v in versions if v.is_frozen), None),
            can_edit=self.request.user.has_perm("commissioning.change_plan", self.object),
        )
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs() + [(f"{self.object.ccg.name}: {self.object.period_label}", None)]


class VersionActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST only: submit a draft, or send a submitted version back to draft."""

    permission_required = "commissioning.approve_plan"
    http_method_names = ["post"]

    @cached_property
    def version(self) -> PlanVersion:
        return get_object_or_404(
            PlanVersion.objects.filter(plan__in=plans_for(self.request.user)).select_related("plan"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.version.plan

    def post(self, request, *args, **kwargs):
        step = self.kwargs["step"]
        try:
            if step == "submit":
                plan_version_submit(version=self.version, user=request.user)
                messages.success(request, f"Version {self.version.number} submitted for approval.")
            elif step == "return":
                plan_version_return(version=self.version, user=request.user)
                messages.success(request, f"Version {self.version.number} sent back to draft.")
            else:
                raise Http404
        except PlanVersionError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(self.version.plan.get_absolute_url())


class VersionApproveView(LoginRequiredMixin, PermissionRequiredMixin, FormPageMixin, FormView):
    form_class = ApproveVersionForm
    permission_required = "commissioning.approve_plan"
    intro = "Record the committee's decision. An approved version is frozen; later edits start a new version."

    @cached_property
    def version(self) -> PlanVersion:
        return get_object_or_404(
            PlanVersion.objects.filter(plan__in=plans_for(self.request.user)).select_related("plan__ccg"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.version.plan

    def form_valid(self, form):
        try:
            plan_version_approve(
                version=self.version,
                committee=form.cleaned_data["committee"],
                decided_on=form.cleaned_data["decided_on"],
                minute_reference=form.cleaned_data["minute_reference"],
                user=self.request.user,
            )
        except PlanVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Version {self.version.number} recorded as approved.")
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.version.plan.get_absolute_url()

    def get_heading(self):
        return f"Approve version {self.version.number} of {self.version.plan}"

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.version.plan) + [("Approve", None)]


class VersionChangesView(LoginRequiredMixin, BreadcrumbsMixin, DetailView):
    """What changed in a version against the version before it."""

    template_name = "commissioning/plan_changes.html"
    context_object_name = "version"

    def get_queryset(self):
        return PlanVersion.objects.filter(plan__in=plans_for(self.request.user)).select_related("plan__ccg")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous = (
            self.object.plan.versions.filter(number__lt=self.object.number, status=PlanVersion.Status.APPROVED)
            .order_by("-number")
            .first()
        )
        context["previous"] = previous
        context["changes"] = changes = plan_version_changes(old=previous, new=self.object) if previous else None
        if changes:
            chapters = {c.pk: c for c in Chapter.objects.all()}
            context["changed"] = [
                (action, [self.readable(name, old, new, chapters) for name, old, new in diffs])
                for action, diffs in changes.changed
            ]
        return context

    @staticmethod
    def readable(name: str, old, new, chapters) -> tuple[str, str, str]:
        field = Action._meta.get_field(name.removesuffix("_id"))
        related = chapters if field.is_relation else None
        label = str(field.verbose_name).capitalize()
        return label, display.field_value(field, old, related), display.field_value(field, new, related)

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.object.plan) + [(f"Changes in version {self.object.number}", None)]


class PlanChangesView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, TemplateView):
    """Compare two dates: what changed in the plan after one day up to another (a baseline comparison)."""

    template_name = "commissioning/plan_compare.html"
    DEFAULT_DAYS = 90

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        dates = {"from": today - dt.timedelta(days=self.DEFAULT_DAYS), "to": today}
        if "from" in self.request.GET or "to" in self.request.GET:
            form = CompareDatesForm(self.request.GET)
            dates = form.cleaned_data if form.is_valid() else None
        else:
            form = CompareDatesForm(initial=dates)
        changes = plan_changes_between(plan=self.plan, start=dates["from"], end=dates["to"]) if dates else None
        context.update(plan=self.plan, form=form, changes=changes)
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Compare two dates", None)]


class ActionListView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, ListView):
    template_name = "commissioning/action_list.html"
    context_object_name = "actions"

    @cached_property
    def as_at(self):
        return plan_as_at(self.request, self.plan)

    def get_queryset(self):
        actions = Action.objects.filter(plan=self.plan).as_at(self.as_at.on)
        return actions.select_related("chapter").order_by("local_code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action_filter = ActionFilter(
            self.request.GET or None,
            queryset=self.object_list,
            clusters=self.plan.ccg.clusters.all(),
            on="" if self.as_at.is_default else self.as_at.on.isoformat(),
        )
        caption = f"Actions in {self.plan}, as at {display.long_date(self.as_at.on)}"
        table = ActionTable(action_filter.qs, caption=caption)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        context.update(
            plan=self.plan,
            as_at=self.as_at,
            filter=action_filter,
            table=table,
            can_edit=self.request.user.has_perm("commissioning.add_action", self.plan),
        )
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Actions", None)]


class ActionDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/action_detail.html"
    context_object_name = "action"

    def get_queryset(self):
        return (
            actions_for(self.request.user)
            .select_related("plan__ccg", "chapter", "task_group")
            .prefetch_related("commitments", "high_impact_actions", "clusters", "practices")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.object
        can_read_plan = plans_for(self.request.user).filter(pk=action.plan_id).exists()
        context.update(
            can_edit=self.request.user.has_perm("commissioning.change_action", action),
            can_read_plan=can_read_plan,
            milestones=action.milestones.all(),
            trajectories=with_charts(action.trajectories.prefetch_related("points")),
            risks=action.risks.all() if can_read_plan else [],
            progress_reports=action.progress_reports.select_related("author") if can_read_plan else [],
            history=history_of(action, limit=20),
            today=timezone.localdate(),
        )
        return context

    def get_breadcrumbs(self):
        if plans_for(self.request.user).filter(pk=self.object.plan_id).exists():
            crumbs = plan_breadcrumbs(self.object.plan)
            crumbs.append(("Actions", reverse("commissioning:action_list", args=[self.object.plan_id])))
        else:
            crumbs = [("Actions for my practice", reverse("commissioning:my_actions"))]
        return crumbs + [(self.object.local_code, None)]


class ActionCreateView(
    LoginRequiredMixin, PlanScopedMixin, PermissionRequiredMixin, PlanWriteMixin, SuccessMessageMixin, FormPageMixin,
    CreateView,
):  # fmt: skip
    form_class = ActionForm
    permission_required = "commissioning.add_action"
    success_message = "Added action %(local_code)s."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Action(plan=self.plan)
        kwargs["submit_text"] = "Add action"
        kwargs["user"] = self.request.user
        return kwargs

    def get_heading(self):
        return f"Add an action to {self.plan}"

    def get_cancel_url(self):
        return reverse("commissioning:action_list", args=[self.plan.pk])

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Add an action", None)]


class ActionUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, PlanWriteMixin,
    SuccessMessageMixin, FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = ActionForm
    permission_required = "commissioning.change_action"
    success_message = "Saved the changes to %(local_code)s."

    def get_queryset(self):
        return actions_for(self.request.user).select_related("plan__ccg")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_heading(self):
        return f"Edit {self.object.local_code} {self.object.title}"

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.object.plan) + [(self.object.local_code, self.object.get_absolute_url()),
                                                      ("Edit", None)]  # fmt: skip


class AlignmentView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, DetailView):
    """Every national commitment with the local actions that answer it, and actions that answer none,
    as the plan stood at ``?on=`` (actions added later are left out; statuses and overdue as then)."""

    template_name = "commissioning/alignment.html"

    def get_object(self, queryset=None):
        return self.plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_at = plan_as_at(self.request, self.plan)
        in_plan = Action.objects.filter(plan=self.plan).as_at(as_at.on).order_by("local_code")
        commitments = NationalCommitment.objects.select_related("chapter").prefetch_related(
            Prefetch("actions", queryset=in_plan, to_attr="plan_actions")
        )
        context.update(
            plan=self.plan,
            as_at=as_at,
            commitments=commitments,
            unanswered=[c for c in commitments if not c.plan_actions],
            unaligned=in_plan.filter(commitments__isnull=True).select_related("chapter"),
        )
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Alignment to national commitments", None)]


class PlanExportView(LoginRequiredMixin, PlanScopedMixin, View):
    """The plan's actions as at ``?on=`` (the plan page's date and default), for the plan page's
    and the action list's download links. A file cannot show a warning, so a bad date is a 400."""

    def get(self, request, *args, **kwargs):
        file_format = self.kwargs["file_format"]
        if file_format not in exports.FORMATS:
            raise Http404
        raw = request.GET.get(PARAMETER)
        try:
            on = plan_as_at_default(plan=self.plan) if raw is None else as_at_date(raw)
        except AsAtError as exc:
            return HttpResponseBadRequest(f"{PARAMETER}: {exc}", content_type="text/plain; charset=utf-8")
        content = tracker_export(plan=self.plan, file_format=file_format, on=on)
        name = slugify(f"{self.plan.ccg.ods_code} {self.plan.title} {self.plan.period_label}")
        filename = f"{name}-actions-{on.isoformat()}.{file_format}"
        return exports.download(content, file_format=file_format, filename=filename)


class TrackerImportView(LoginRequiredMixin, PlanScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    """Upload a tracker: 'Check the file' reports every problem; 'Import' saves only a clean file.
    Either is a job for the worker; the page checks the file's size and type and goes at once
    to the run's page, which shows how far it has got and then the outcome."""

    template_name = "commissioning/tracker_import.html"
    form_class = TrackerUploadForm
    permission_required = "commissioning.change_plan"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            tracker_check_upload(size=upload.size, filename=upload.name)
        except TrackerFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        run = tracker_import_queue(
            plan=self.plan, upload=upload, user=self.request.user, dry_run="import" not in self.request.POST
        )
        return HttpResponseRedirect(run.get_absolute_url())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("plan", self.plan)
        runs = tracker_imports_for(self.request.user).filter(plan=self.plan)
        problems = self.request.GET.get("problems") == "yes"
        kwargs.setdefault("runs", recent_problems(runs, timezone.localdate()) if problems else runs[:RUNS_LISTED])
        kwargs.setdefault("problems_only", problems)
        kwargs.setdefault("recent_days", RECENT_DAYS)
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Import an action tracker", None)]


class TrackerImportRunView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, DetailView):
    """One check or import of a tracker: its progress while the worker runs it, then the
    outcome (every problem by row and column, or what was saved). Polled by htmx."""

    template_name = "commissioning/tracker_import_run.html"
    context_object_name = "run"

    def get_queryset(self):
        return tracker_imports_for(self.request.user).filter(plan=self.plan).select_related("plan")

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["commissioning/_tracker_import_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, poll_seconds=JOB_POLL_SECONDS, **kwargs)

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [
            ("Import an action tracker", reverse("commissioning:tracker_import", args=[self.plan.pk])),
            (f"{'Check' if self.object.dry_run else 'Import'} of {self.object.file_name}", None),
        ]


class MyActionsView(LoginRequiredMixin, BreadcrumbsMixin, ListView):
    """For practice managers: the actions of any plan that name their practice or its cluster."""

    template_name = "commissioning/my_actions.html"
    context_object_name = "actions"

    def get_queryset(self):
        return (
            actions_for(self.request.user)
            .as_at(timezone.localdate())
            .select_related("plan__ccg", "chapter")
            .order_by("plan__ccg__name", "local_code")
        )

    def get_breadcrumbs(self):
        return [("Actions for my practice", None)]
