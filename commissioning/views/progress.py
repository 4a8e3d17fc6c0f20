"""Progress reports: each group's or action's reports side by side over the last few periods, as
in a board update, and the form a lead writes one with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.mixins import BreadcrumbsMixin, FormPageMixin
from portal.periods import FinancialYear, Period, period_label

from ..forms_register import ProgressPeriodsForm, ProgressReportForm
from ..models import Action, Plan, ProgressReport, TaskAndFinishGroup
from ..visibility import progress_reports_for
from .common import PlanScopedMixin, PlanWriteMixin, plan_breadcrumbs

MONTHLY = ProgressReport.Frequency.MONTHLY


def default_last_period(plan: Plan, frequency: str, today: dt.date) -> Period:
    """Today's period, kept within the plan's financial years."""
    first, last = FinancialYear(plan.first_year).start, FinancialYear(plan.last_year).end
    return Period.containing(min(max(today, first), last), frequency)


@dataclass
class ProgressRow:
    """One group or action, and its report (or None) for each period shown."""

    subject: TaskAndFinishGroup | Action
    kind: str
    reports: list[ProgressReport | None]


class ProgressListView(LoginRequiredMixin, PlanScopedMixin, BreadcrumbsMixin, TemplateView):
    template_name = "commissioning/progress_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        form = ProgressPeriodsForm(self.request.GET or None, plan=plan)
        frequency, last, count = ProgressReport.Frequency.QUARTERLY, None, 4
        if form.is_bound and form.is_valid():
            frequency, last, count = (
                form.cleaned_data["frequency"],
                form.cleaned_data["last"],
                form.cleaned_data["count"],
            )

        reports = progress_reports_for(self.request.user).filter(plan=plan, frequency=frequency)
        if not last:
            latest = reports.aggregate(latest=Max("period"))["latest"]
            last = latest or default_last_period(plan, frequency, timezone.localdate()).start
        periods = [Period.containing(last, frequency)]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        periods.reverse()
        starts = [p.start for p in periods]

        subjects = set(reports.order_by().values_list("task_group_id", "action_id").distinct())
        groups = TaskAndFinishGroup.objects.filter(pk__in={g for g, _ in subjects if g}).order_by("name")
        actions = Action.objects.filter(plan=plan, pk__in={a for _, a in subjects if a}).order_by("local_code")
        shown = reports.filter(period__in=starts).select_related("author")
        by_subject = {(r.task_group_id, r.action_id, r.period): r for r in shown}
        rows = [ProgressRow(g, "group", [by_subject.get((g.pk, None, s)) for s in starts]) for g in groups]
        rows += [ProgressRow(a, "action", [by_subject.get((None, a.pk, s)) for s in starts]) for a in actions]

        context.update(
            plan=plan,
            periods_form=form,
            periods=periods,
            frequency_label=ProgressReport.Frequency(frequency).label.lower(),
            rows=rows,
            can_add=self.request.user.has_perm("commissioning.add_progressreport", plan),
        )
        return context

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [("Progress reports", None)]


class ProgressCreateView(
    LoginRequiredMixin, PlanScopedMixin, PermissionRequiredMixin, PlanWriteMixin, SuccessMessageMixin, FormPageMixin,
    CreateView,
):  # fmt: skip
    form_class = ProgressReportForm
    permission_required = "commissioning.add_progressreport"
    intro = "What was done in the period, and the next steps for the next one, as you would tell the board."

    def get_form_kwargs(self):
        report = ProgressReport(plan=self.plan, author=self.request.user)
        return {
            **super().get_form_kwargs(), "instance": report, "today": timezone.localdate(), "user": self.request.user
        }  # fmt: skip

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            # Someone saved the same group or action and period between the check and the save.
            form.add_error("period_choice", "A progress report for this period has just been saved by someone else.")
            return self.form_invalid(form)

    def get_success_message(self, cleaned_data):
        report = self.object
        return f"Saved the progress report on {report.task_group or report.action}, " + period_label(
            report.frequency, report.period
        )

    def get_success_url(self):
        report = self.object
        query = urlencode({"frequency": report.frequency, "last": f"{report.frequency}:{report.period.isoformat()}"})
        return f"{reverse('commissioning:progress_list', args=[self.plan.pk])}?{query}"

    def get_cancel_url(self):
        return reverse("commissioning:progress_list", args=[self.plan.pk])

    def get_heading(self):
        return "Write a progress report"

    def get_breadcrumbs(self):
        return plan_breadcrumbs(self.plan) + [
            ("Progress reports", self.get_cancel_url()),
            ("Write a progress report", None),
        ]
