"""Milestones and trajectories of an action: the add and edit forms, the trajectory page with its
planned and actual values, and the chart figures the action page can show."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from portal import chart_summary, charts
from portal.concurrency import ConcurrencyGuardMixin
from portal.mixins import BreadcrumbsMixin, FormPageMixin, ObjectOnceMixin

from ..forms_register import MilestoneForm, TrajectoryForm, trajectory_point_formset
from ..models import Action, Milestone, Trajectory, TrajectoryPoint
from ..visibility import actions_for, plans_for
from .common import PlanWriteMixin, plan_as_at, plan_breadcrumbs


def action_breadcrumbs(user, action: Action) -> list[tuple[str, str | None]]:
    """The plan and its actions for those who read the plan; a practice manager's own actions otherwise."""
    if plans_for(user).filter(pk=action.plan_id).exists():
        crumbs = plan_breadcrumbs(action.plan)
        crumbs.append(("Actions", reverse("commissioning:action_list", args=[action.plan_id])))
    else:
        crumbs = [("Actions for my practice", reverse("commissioning:my_actions"))]
    return crumbs + [(action.local_code, action.get_absolute_url())]


def milestones_for(user):
    return Milestone.objects.filter(action__in=actions_for(user))


def trajectories_for(user):
    return Trajectory.objects.filter(action__in=actions_for(user))


class ActionScopedMixin:
    """Views under /actions/<action_pk>/: the action, looked up through what the user may see."""

    @cached_property
    def action(self) -> Action:
        actions = actions_for(self.request.user).select_related("plan__ccg")
        return get_object_or_404(actions, pk=self.kwargs["action_pk"])

    def get_permission_object(self):
        return self.action

    def get_success_url(self):
        return self.action.get_absolute_url()


# Milestones


class MilestoneCreateView(
    LoginRequiredMixin, ActionScopedMixin, PermissionRequiredMixin, PlanWriteMixin, SuccessMessageMixin, FormPageMixin,
    CreateView,
):  # fmt: skip
    form_class = MilestoneForm
    permission_required = "commissioning.change_milestone"
    success_message = "Added the milestone %(title)s."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Milestone(action=self.action), "submit_text": "Add milestone"}

    def get_heading(self):
        return f"Add a milestone to {self.action.local_code} {self.action.title}"

    def get_breadcrumbs(self):
        return action_breadcrumbs(self.request.user, self.action) + [("Add a milestone", None)]


class MilestoneUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, ConcurrencyGuardMixin, PlanWriteMixin,
    SuccessMessageMixin, FormPageMixin, UpdateView,
):  # fmt: skip
    form_class = MilestoneForm
    permission_required = "commissioning.change_milestone"
    success_message = "Saved the milestone %(title)s."

    def get_queryset(self):
        return milestones_for(self.request.user).select_related("action__plan__ccg")

    def get_success_url(self):
        return self.object.action.get_absolute_url()

    def get_heading(self):
        return f"Edit the milestone {self.object.title}"

    def get_breadcrumbs(self):
        return action_breadcrumbs(self.request.user, self.object.action) + [("Edit a milestone", None)]


# Trajectories


UNIT_AXIS = {
    Trajectory.Unit.PERCENT: {"ticksuffix": "%"},
    Trajectory.Unit.POUNDS: {"tickprefix": "£"},
}


def trajectory_figure(trajectory: Trajectory) -> go.Figure:
    """Planned (dashed) and actual (solid) values by quarter; ``trajectory.points`` may be prefetched."""
    points = sorted(trajectory.points.all(), key=lambda p: p.period)
    labels = [p.period_label for p in points]

    def values(name):
        return [None if getattr(p, name) is None else float(getattr(p, name)) for p in points]

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=labels, y=values("planned"), name="Planned", mode="lines+markers",
                             line={"dash": "dash", "color": charts.DARK_GREY}, connectgaps=True))  # fmt: skip
    fig.add_trace(go.Scatter(x=labels, y=values("actual"), name="Actual", mode="lines+markers",
                             line={"color": charts.BLUE}))  # fmt: skip
    fig.update_layout(
        **charts.BASE_LAYOUT,
        height=300,
        margin={"l": 60, "r": 20, "t": 30, "b": 40},
        xaxis={"title": {"text": "Quarter"}, "type": "category"},
        yaxis={
            "title": {"text": trajectory.get_unit_display()},
            "rangemode": "tozero",
            **UNIT_AXIS.get(trajectory.unit, {}),
        },
        legend={"orientation": "h", "y": 1.12},
    )
    return fig


def _unit_format(unit: str):
    def written(value) -> str:
        number = float(value)
        shown = f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
        return {Trajectory.Unit.PERCENT: f"{shown}%", Trajectory.Unit.POUNDS: f"£{shown}"}.get(unit, shown)

    return written


def trajectory_summary(trajectory: Trajectory) -> str:
    """The actuals' trend, and the latest actual against what was planned for its quarter."""
    points = sorted(trajectory.points.all(), key=lambda p: p.period)
    actuals = [p for p in points if p.actual is not None]
    if not actuals:
        planned = [p for p in points if p.planned is not None]
        if not planned:
            return "No planned or actual values yet."
        written = _unit_format(trajectory.unit)
        return f"No actual values yet; {written(planned[-1].planned)} planned by {planned[-1].period_label}."
    latest = actuals[-1]
    return "Actual: " + chart_summary.series(
        [p.period_label for p in actuals],
        [p.actual for p in actuals],
        format=_unit_format(trajectory.unit),
        target=None if latest.planned is None else float(latest.planned),
        target_name=f"{latest.period_label} plan",
        higher_is_better=trajectory.higher_is_better,
        difference=(lambda value: f"{float(value):,.1f}".removesuffix(".0") + " percentage points")
        if trajectory.unit == Trajectory.Unit.PERCENT
        else None,
    )


def with_charts(trajectories: Iterable[Trajectory]) -> list[Trajectory]:
    """Give each trajectory (points prefetched) ``chart_json``, which ``_trajectories.html`` draws beside its table,
    and ``chart_summary``, the words printed under it."""
    trajectories = list(trajectories)
    for trajectory in trajectories:
        trajectory.chart_json = trajectory_figure(trajectory).to_json() if trajectory.points.all() else None
        trajectory.chart_summary = trajectory_summary(trajectory) if trajectory.chart_json else ""
    return trajectories


class TrajectoryCreateView(
    LoginRequiredMixin, ActionScopedMixin, PermissionRequiredMixin, PlanWriteMixin, SuccessMessageMixin, FormPageMixin,
    CreateView,
):  # fmt: skip
    form_class = TrajectoryForm
    permission_required = "commissioning.change_trajectory"
    success_message = "Added the trajectory %(measure)s. Now give its planned values for each quarter."
    intro = "Name what is measured and its unit; the next page takes the planned and actual values by quarter."

    def get_form_kwargs(self):
        instance = Trajectory(action=self.action)
        return {**super().get_form_kwargs(), "instance": instance, "submit_text": "Add trajectory"}

    def get_success_url(self):
        return reverse("commissioning:trajectory_update", args=[self.object.pk])

    def get_cancel_url(self):
        return self.action.get_absolute_url()

    def get_heading(self):
        return f"Add a trajectory to {self.action.local_code} {self.action.title}"

    def get_breadcrumbs(self):
        return action_breadcrumbs(self.request.user, self.action) + [("Add a trajectory", None)]


class TrajectoryDetailView(LoginRequiredMixin, ObjectOnceMixin, BreadcrumbsMixin, DetailView):
    template_name = "commissioning/trajectory_detail.html"
    context_object_name = "trajectory"

    def get_queryset(self):
        return trajectories_for(self.request.user).select_related("action__plan__ccg")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_at = plan_as_at(
            self.request, self.object.action.plan, label="Show the trajectory as at",
            help_text="Planned and actual values as recorded by the end of this day.",
        )  # fmt: skip
        points = Prefetch("points", queryset=TrajectoryPoint.objects.as_at(as_at.on).order_by("period"))
        prefetch_related_objects([self.object], points)
        with_charts([self.object])
        context["as_at"] = as_at
        context["can_edit"] = self.request.user.has_perm("commissioning.change_trajectory", self.object)
        return context

    def get_breadcrumbs(self):
        return action_breadcrumbs(self.request.user, self.object.action) + [(self.object.measure, None)]


class TrajectoryPointsMixin:
    """The trajectory's form and its points formset are checked and saved together."""

    @cached_property
    def formset(self):
        return trajectory_point_formset(self.object, self.request.POST if self.request.method == "POST" else None)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset)
        return super().get_context_data(**kwargs)


class SavePointsMixin:
    """Innermost: runs only once the plan is open for edit and the version check has passed."""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            self.formset.instance = self.object
            self.formset.save()
        return response


class TrajectoryUpdateView(
    LoginRequiredMixin, ObjectOnceMixin, PermissionRequiredMixin, TrajectoryPointsMixin, ConcurrencyGuardMixin,
    PlanWriteMixin, SuccessMessageMixin, SavePointsMixin, BreadcrumbsMixin, UpdateView,
):  # fmt: skip
    form_class = TrajectoryForm
    template_name = "commissioning/trajectory_form.html"
    permission_required = "commissioning.change_trajectory"
    success_message = "Saved the trajectory %(measure)s and its values."

    def get_queryset(self):
        return trajectories_for(self.request.user).select_related("action__plan__ccg")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_text": None}

    def get_success_url(self):
        return reverse("commissioning:trajectory_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading", f"Edit the trajectory {self.object.measure} and its values")
        kwargs.setdefault("cancel_url", self.get_success_url())
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        trajectory = self.object
        return action_breadcrumbs(self.request.user, trajectory.action) + [
            (trajectory.measure, self.get_success_url()),
            ("Edit", None),
        ]
