"""Forms for the risk register, progress reports, milestones and trajectories.

Periods are offered by their labels ('2018/19 Q1', 'April 2018'), never as a raw date to type.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Hidden, Layout, Row, Submit
from django import forms
from django.utils import timezone

from portal.periods import FinancialYear, Period, add_months, month_label, period_label, quarter_label, quarter_start
from practices.forms import DateInput, PortalFormHelper
from practices.forms import MilestoneForm as BaseMilestoneForm

from .models import (
    RISK_GRADE_SCORES,
    Action,
    Milestone,
    Plan,
    ProgressReport,
    Risk,
    RiskGrade,
    TaskAndFinishGroup,
    Trajectory,
    TrajectoryPoint,
)

LIKELIHOOD = [(1, "1 Rare"), (2, "2 Unlikely"), (3, "3 Possible"), (4, "4 Likely"), (5, "5 Almost certain")]
IMPACT = [(1, "1 Negligible"), (2, "2 Minor"), (3, "3 Moderate"), (4, "4 Major"), (5, "5 Catastrophic")]
GRADES = [(grade.value, f"{grade.label} ({low}-{high})") for grade, (low, high) in RISK_GRADE_SCORES.items()]


def plan_quarters(plan: Plan) -> list[dt.date]:
    """The first day of every quarter of the plan's financial years, oldest first."""
    return [FinancialYear(year).quarter(n) for year in range(plan.first_year, plan.last_year + 1) for n in (1, 2, 3, 4)]


def plan_months(plan: Plan) -> list[dt.date]:
    first = dt.date(plan.first_year, 4, 1)
    return [add_months(first, offset) for offset in range(12 * (plan.last_year - plan.first_year + 1))]


# Risks


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD, coerce=int, help_text="How likely it is to happen.")
    impact = forms.TypedChoiceField(choices=IMPACT, coerce=int, help_text="How bad it would be if it happened.")

    class Meta:
        model = Risk
        fields = [
            "reference",
            "description",
            "owner",
            "likelihood",
            "impact",
            "mitigations",
            "actions",
            "status",
            "review_due",
        ]
        labels = {"actions": "Actions it threatens"}
        widgets = {
            "review_due": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigations": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "reference": "The register's own reference, for example R01.",
            "actions": "Only this plan's actions are listed.",
        }

    def __init__(self, *args, submit_text: str = "Save risk", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = self.instance.plan.actions.order_by("local_code")
        self.helper = PortalFormHelper(submit_text)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        # The plan is not a field of the form, so Django skips the (plan, reference) constraint: check it here.
        others = Risk.objects.filter(plan_id=self.instance.plan_id, reference__iexact=reference)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"The register already has a risk {reference}. Use another reference.")
        return reference


class RiskFilter(django_filters.FilterSet):
    """Over ``Risk.objects.as_at(on)``: status and grade filter the values as at that date."""

    status = django_filters.ChoiceFilter(
        field_name="status_on", label="Status", choices=Risk.Status.choices, empty_label="Open or closed"
    )
    grade = django_filters.ChoiceFilter(label="Grade", choices=GRADES, empty_label="Any grade", method="filter_grade")
    review = django_filters.ChoiceFilter(
        label="Review", choices=[("due", "Due for review today")], empty_label="Any review date", method="filter_review"
    )

    class Meta:
        model = Risk
        fields = ["status", "grade", "review"]

    def __init__(self, *args, on: str = "", **kwargs):
        """``on``: the as-at date (``?on=``) the filter form carries when it is not the default."""
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_class = "portal-filter"
        helper.attrs = {"role": "search", "aria-label": "Filter risks"}
        helper.layout = Layout(
            Row(Column("status"), Column("grade"), Column("review")),
            *([Hidden("on", on)] if on else []),
            Submit("", "Filter risks"),
        )
        self.form.helper = helper

    def filter_review(self, queryset, name, value):
        """Due for review by today, whatever the as-at date: a review is a thing to do now."""
        return queryset.due_for_review(timezone.localdate()) if value == "due" else queryset

    def filter_grade(self, queryset, name, value):
        if value not in RiskGrade.values:
            return queryset
        return queryset.graded(value)


# Progress reports


class ProgressReportForm(forms.ModelForm):
    """One report about a task and finish group or an action, for one period of the plan."""

    about = forms.ChoiceField(label="Report on", help_text="A task and finish group, or one action of this plan.")
    period_choice = forms.ChoiceField(
        label="Period reported on", help_text="A quarter, or a month for monthly reports."
    )

    status = forms.ChoiceField(
        label="Status at the end of the period",
        required=False,
        help_text="For a report on an action: its status as reported. It is recorded as taking effect on the "
        "period's last day (or today, for a period not yet ended), and the action is updated to it.",
    )
    rag = forms.ChoiceField(label="RAG rating at the end of the period", choices=Action.RAG.choices, required=False)
    rag_reason = forms.CharField(
        label="Reason for the RAG rating", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for a red or amber rating.",
    )  # fmt: skip

    class Meta:
        model = ProgressReport
        fields = ["about", "period_choice", "progress_made", "next_steps", "status", "rag", "rag_reason"]
        widgets = {"progress_made": forms.Textarea(attrs={"rows": 5}), "next_steps": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, today: dt.date | None = None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        groups = TaskAndFinishGroup.objects.filter(ccg_id=plan.ccg_id).order_by("name")
        actions = plan.actions.order_by("local_code")
        self.fields["about"].choices = [
            ("", "Choose a group or an action"),
            ("Task and finish groups", [(f"group-{g.pk}", g.name) for g in groups]),
            ("Actions", [(f"action-{a.pk}", str(a)) for a in actions]),
        ]
        self._about = {f"group-{g.pk}": ("task_group", g) for g in groups}
        self._about.update({f"action-{a.pk}": ("action", a) for a in actions})
        quarterly, monthly = ProgressReport.Frequency.QUARTERLY, ProgressReport.Frequency.MONTHLY
        self.fields["period_choice"].choices = [
            ("", "Choose a period"),
            ("Quarters", [(f"{quarterly}:{q.isoformat()}", quarter_label(q)) for q in plan_quarters(plan)]),
            ("Months", [(f"{monthly}:{m.isoformat()}", month_label(m)) for m in plan_months(plan)]),
        ]
        if today is not None and not self.is_bound:
            # The quarter just ended is the usual one to report on.
            last_quarter = Period.containing(today).previous().start
            self.initial.setdefault("period_choice", f"{quarterly}:{last_quarter.isoformat()}")
        self.fields["status"].choices = [("", "Not reported (a group, or no change to report)"), *Action.Status.choices]
        self.user = user
        self.helper = PortalFormHelper("Save progress report")

    def status_effective_on(self) -> dt.date:
        """The day the reported status took effect: the period's last day, or today if it has not ended."""
        return min(self.instance.period_end, timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        about, period = cleaned.get("about"), cleaned.get("period_choice")
        if not about or not period:
            return cleaned
        field, subject = self._about[about]
        frequency, _, iso = period.partition(":")
        report = self.instance
        report.task_group = subject if field == "task_group" else None
        report.action = subject if field == "action" else None
        report.frequency = frequency
        report.period = dt.date.fromisoformat(iso)
        clash = ProgressReport.objects.filter(plan_id=report.plan_id, period=report.period, **{field: subject})
        if clash.exclude(pk=report.pk).exists():
            self.add_error(
                "period_choice",
                f"There is already a progress report on {subject} for {period_label(frequency, report.period)}. "
                "Choose another period, or ask for the existing report to be changed.",
            )
        self._clean_status(report)
        return cleaned

    def _clean_status(self, report: ProgressReport) -> None:
        status, rag = self.cleaned_data.get("status"), self.cleaned_data.get("rag", "")
        if not status:
            if rag or self.cleaned_data.get("rag_reason", "").strip():
                self.add_error("status", "Give the status the RAG rating goes with.")
            return
        if report.action is None:
            self.add_error("status", "A status is reported for an action, not for a task and finish group.")
            return
        if rag in (Action.RAG.RED, Action.RAG.AMBER) and not self.cleaned_data.get("rag_reason", "").strip():
            self.add_error("rag_reason", "Give the reason for a red or amber rating.")
        effective_on = self.status_effective_on()
        later = report.action.status_changes.filter(effective_on__gt=effective_on).order_by("-effective_on").first()
        if later is not None:
            self.add_error(
                "status",
                f"A later status of this action is already recorded, from {later.effective_on:%-d %B %Y}: "
                "change the status on the action's page instead.",
            )

    def save(self, commit: bool = True):
        """The report; for an action with a status reported, the action updated to it and the change
        recorded as the report's (``action_status_record``)."""
        from .services import action_status_record

        report = super().save(commit=commit)
        status = self.cleaned_data.get("status")
        if commit and status and report.action is not None:
            action = report.action
            action.status, action.rag = status, self.cleaned_data.get("rag", "")
            action.rag_reason = self.cleaned_data.get("rag_reason", "").strip() if action.rag else ""
            action.save()
            action_status_record(
                action=action, effective_on=self.status_effective_on(), user=self.user, progress_report=report
            )
        return report


class ProgressPeriodsForm(forms.Form):
    """The GET form that picks which periods the side-by-side view shows."""

    QUARTERLY, MONTHLY = ProgressReport.Frequency.QUARTERLY, ProgressReport.Frequency.MONTHLY

    frequency = forms.ChoiceField(
        label="Reports", choices=[(QUARTERLY, "Quarterly"), (MONTHLY, "Monthly")], required=False
    )
    last = forms.ChoiceField(label="Up to and including", required=False)
    count = forms.TypedChoiceField(
        label="Number of periods", choices=[(n, str(n)) for n in range(1, 9)], coerce=int, required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("initial", {"frequency": self.QUARTERLY, "count": 4})
        super().__init__(*args, **kwargs)
        quarters = [(f"{self.QUARTERLY}:{q.isoformat()}", quarter_label(q)) for q in plan_quarters(plan)]
        months = [(f"{self.MONTHLY}:{m.isoformat()}", month_label(m)) for m in plan_months(plan)]
        self.fields["last"].choices = [("", "The latest reported"), ("Quarters", quarters), ("Months", months)]
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_class = "portal-filter"
        helper.attrs = {"aria-label": "Choose the periods shown"}
        helper.layout = Layout(
            Row(Column("frequency"), Column("last"),
                Column("count")),
            Submit("", "Show periods"),
        )  # fmt: skip
        self.helper = helper

    def clean(self):
        cleaned = super().clean()
        frequency = cleaned.get("frequency") or self.QUARTERLY
        last = cleaned.get("last")
        if last:
            # A month chosen for quarterly reports shows the quarter it falls in.
            day = dt.date.fromisoformat(last.partition(":")[2])
            cleaned["last"] = quarter_start(day) if frequency == self.QUARTERLY else day
        else:
            cleaned["last"] = None
        cleaned["frequency"] = frequency
        cleaned["count"] = cleaned.get("count") or 4
        return cleaned


# Milestones and trajectories


class MilestoneForm(BaseMilestoneForm):
    class Meta(BaseMilestoneForm.Meta):
        model = Milestone


class TrajectoryForm(forms.ModelForm):
    class Meta:
        model = Trajectory
        fields = ["measure", "unit", "higher_is_better"]
        labels = {"higher_is_better": "A higher value is better"}
        help_texts = {"higher_is_better": "Untick for measures such as waiting times, where lower is better."}

    def __init__(self, *args, submit_text: str | None = "Save trajectory", **kwargs):
        super().__init__(*args, **kwargs)
        if submit_text:
            self.helper = PortalFormHelper(submit_text)
        else:
            # The page has its own button, below the values formset.
            self.helper = FormHelper()
            self.helper.form_tag = False
            self.helper.disable_csrf = True


class TrajectoryPointForm(forms.ModelForm):
    period = forms.TypedChoiceField(coerce=dt.date.fromisoformat, label="Quarter")

    class Meta:
        model = TrajectoryPoint
        fields = ["period", "planned", "actual"]

    def __init__(self, *args, periods: list[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        choices = sorted(set(periods) | ({self.instance.period} if self.instance.period else set()))
        self.fields["period"].choices = [("", "Choose a quarter")] + [
            (p.isoformat(), quarter_label(p)) for p in choices
        ]
        for name in ("planned", "actual"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})

    def clean(self):
        cleaned = super().clean()
        point = self.instance
        if cleaned.get("actual") is None:
            point.actual_source = ""
        elif "actual" in self.changed_data or not point.actual_source:
            point.actual_source = TrajectoryPoint.Source.TYPED
        return cleaned


class BaseTrajectoryPointFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self.can_delete and self._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", {})
            if data.get("period") and data.get("planned") is None and data.get("actual") is None:
                form.add_error("planned", "Give a planned or an actual value, or tick Delete to remove the period.")


def trajectory_point_formset(trajectory: Trajectory, data=None) -> forms.BaseInlineFormSet:
    """Every saved point, and a blank row for each quarter of the plan that has none yet."""
    periods = plan_quarters(trajectory.action.plan)
    saved = set(trajectory.points.values_list("period", flat=True)) if trajectory.pk else set()
    missing = [p for p in periods if p not in saved]
    formset_class = forms.inlineformset_factory(
        Trajectory,
        TrajectoryPoint,
        form=TrajectoryPointForm,
        formset=BaseTrajectoryPointFormSet,
        extra=len(missing) or 1,
        can_delete=True,
    )
    return formset_class(
        data,
        instance=trajectory,
        queryset=trajectory.points.order_by("period"),
        initial=[{"period": p.isoformat()} for p in missing],
        form_kwargs={"periods": periods},
        prefix="points",
    )
