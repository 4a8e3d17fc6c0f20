"""Forms for plans, versions, actions and the tracker upload."""

from __future__ import annotations

import datetime as dt

from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from practices.forms import DateInput, PortalFormHelper
from practices.models import Cluster, Practice

from .models import Action, Plan, TaskAndFinishGroup
from .tracker import MAX_UPLOAD_BYTES


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "first_year", "last_year"]
        labels = {"first_year": "First financial year starts in", "last_year": "Last financial year starts in"}
        help_texts = {
            "first_year": "For a plan for 2017/18-2018/19 enter 2017.",
            "last_year": "For a plan for 2017/18-2018/19 enter 2018.",
        }

    def __init__(self, *args, submit_text: str = "Save plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", "The last year cannot come before the first.")
        return cleaned


class ActionForm(forms.ModelForm):
    status_effective_on = forms.DateField(
        label="Date this status took effect",
        widget=DateInput,
        required=False,
        help_text="If the status, RAG rating or due date changed before today, give the date it happened. "
        "Left blank, it is today.",
    )

    class Meta:
        model = Action
        fields = [
            "local_code", "title", "description", "chapter", "commitments", "high_impact_actions",
            "strategy_reference", "lead", "task_group", "clusters", "practices", "start_date", "due_date",
            "status", "rag", "rag_reason",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput,
            "due_date": DateInput,
            "commitments": forms.CheckboxSelectMultiple,
            "high_impact_actions": forms.CheckboxSelectMultiple,
            "clusters": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "rag_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "practices": "Hold Ctrl (Cmd on a Mac) to choose more than one.",
            "rag_reason": "Required for a red or amber rating.",
        }

    def __init__(self, *args, submit_text: str = "Save action", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status_effective_on"].initial = timezone.localdate()
        ccg = self.instance.plan.ccg
        self.fields["task_group"].queryset = TaskAndFinishGroup.objects.filter(ccg=ccg)
        self.fields["clusters"].queryset = Cluster.objects.filter(ccg=ccg)
        self.fields["practices"].queryset = Practice.objects.filter(ccg=ccg).order_by("name")
        self.fields["practices"].widget.attrs["size"] = 8
        self.helper = PortalFormHelper(submit_text)
        self.helper.layout = Layout(
            Fieldset("The action", "local_code", "title", "description", "chapter", "strategy_reference"),
            Fieldset("What it answers", "commitments", "high_impact_actions"),
            Fieldset("Who leads it and where", "lead", "task_group", "clusters", "practices"),
            Fieldset("Dates and progress", "start_date", "due_date", "status", "rag", "rag_reason",
                     "status_effective_on"),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date cannot come before the start date.")
        if cleaned.get("rag") in (Action.RAG.RED, Action.RAG.AMBER) and not cleaned.get("rag_reason", "").strip():
            self.add_error("rag_reason", "Give the reason for a red or amber rating.")
        effective_on = cleaned.get("status_effective_on")
        if effective_on and effective_on > timezone.localdate():
            self.add_error("status_effective_on", "The date this status took effect cannot be in the future.")
        return cleaned

    def save(self, commit: bool = True):
        from .services import action_status_record

        action = super().save(commit=commit)
        if commit:
            effective_on: dt.date = self.cleaned_data.get("status_effective_on") or timezone.localdate()
            action_status_record(action=action, effective_on=effective_on, user=self.user)
        return action

    def validate_unique(self):
        # plan is not a form field, so Django would skip the (plan, local_code) check.
        exclude = self._get_validation_exclusions() - {"plan"}
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class ApproveVersionForm(forms.Form):
    committee = forms.CharField(
        label="Approving committee", max_length=200, initial="Primary Care Commissioning Committee"
    )
    decided_on = forms.DateField(label="Date of the decision", widget=DateInput)
    minute_reference = forms.CharField(label="Minute reference", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Record approval")


class TrackerUploadForm(forms.Form):
    file = forms.FileField(
        label="Action tracker file",
        help_text=f"An .xlsx or .csv file laid out like the export, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Check the file")
        self.helper.inputs = []
        self.helper.add_input(Submit("check", "Check the file"))


class CompareDatesForm(forms.Form):
    """The two dates of the "Compare two dates" page, read from ``?from=YYYY-MM-DD&to=YYYY-MM-DD``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ``from`` is a Python keyword, so these fields are named here rather than declared.
        self.fields["from"] = forms.DateField(label="From", widget=DateInput, help_text="Changes after this day")
        self.fields["to"] = forms.DateField(label="To", widget=DateInput, help_text="up to and including this day")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The second date must be on or after the first.")
        return data
