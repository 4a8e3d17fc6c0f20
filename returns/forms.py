"""Forms of the collection workflow: opening a collection, the list size in a return,
confirming warnings, reviewing a submission and uploading a file."""

from __future__ import annotations

import datetime as dt

from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils import timezone

from portal.periods import FinancialYear
from practices.forms import DateInput, PortalFormHelper

from .models import Frequency, period_end, period_label
from .upload import MAX_UPLOAD_BYTES

FIRST_YEAR = 2015


def period_choices(frequency: str, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Periods from 2015/16 to the current financial year, newest first."""
    today = today or timezone.localdate()
    last = FinancialYear.containing(today).start_year
    starts: list[dt.date] = []
    for year in range(FIRST_YEAR, last + 1):
        fy = FinancialYear(year)
        if frequency == Frequency.ANNUAL:
            starts.append(fy.start)
        elif frequency == Frequency.QUARTERLY:
            starts.extend(fy.quarter(n) for n in range(1, 5))
        else:
            starts.extend(dt.date(year + (m > 12), (m - 1) % 12 + 1, 1) for m in range(4, 16))
    return [(d.isoformat(), period_label(frequency, d)) for d in reversed(starts) if d <= today]


class CollectionForm(forms.Form):
    period_start = forms.TypedChoiceField(label="Period", coerce=dt.date.fromisoformat)
    due_date = forms.DateField(
        widget=DateInput, required=False,
        help_text="Leave blank for the usual due date of this return after the period ends.",
    )  # fmt: skip
    practices = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text="Every practice is ticked; untick those you are not asking.",
    )  # fmt: skip
    reminder_days_before = forms.IntegerField(
        label="Remind practices this many days before the due date", min_value=0, max_value=60, initial=7
    )
    overdue_reminder_every_days = forms.IntegerField(
        label="When overdue, remind them again every this many days", min_value=1, max_value=60, initial=7
    )
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Shown to practices above the return."
    )

    def __init__(self, *args, return_type, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.return_type = return_type
        choices = period_choices(return_type.frequency)
        self.fields["period_start"].choices = choices
        if len(choices) > 1:
            self.fields["period_start"].initial = choices[1][0]
        self.fields["practices"].queryset = practices
        self.fields["practices"].initial = [p.pk for p in practices]
        self.fields["practices"].label_from_instance = lambda p: f"{p.name} ({p.ods_code})"
        self.helper = PortalFormHelper("Open the collection")
        self.helper.layout = Layout(
            Fieldset("What and when", "period_start", "due_date", "instructions"),
            Fieldset("Reminders by email", "reminder_days_before", "overdue_reminder_every_days"),
            Fieldset("Practices asked", "practices"),
        )

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("period_start")
        if start and not cleaned.get("due_date"):
            end = period_end(self.return_type.frequency, start)
            cleaned["due_date"] = end + dt.timedelta(days=self.return_type.default_due_days)
        if start and cleaned.get("due_date") and cleaned["due_date"] < start:
            self.add_error("due_date", "The due date cannot come before the period starts.")
        return cleaned


class ListSizeForm(forms.Form):
    """The practice's own list size, kept beside the published figure."""

    list_size_correction = forms.IntegerField(
        label="Your own list size (optional)", required=False, min_value=0,
        help_text="Only if the published figure is out of date or wrong: it is kept beside it, never over it.",
        error_messages={"invalid": "Enter a whole number of patients.", "min_value": "Cannot be negative."},
    )  # fmt: skip
    list_size_correction_reason = forms.CharField(
        label="Why your figure differs", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    prefix = "list_size"

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("list_size_correction_reason") or "").strip()
        if cleaned.get("list_size_correction") is not None and not reason:
            self.add_error("list_size_correction_reason", "Say why your list size differs from the published one.")
        return cleaned


class ConfirmWarningsForm(forms.Form):
    """A comment box per warning; a warning with a comment counts as confirmed."""

    def __init__(self, *args, warnings, confirmed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        for index, warning in enumerate(warnings):
            self.fields[f"warning_{index}"] = forms.CharField(
                label=warning.message,
                required=False,
                initial=confirmed.get(warning.code, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Confirm the figure is right and say why, for example a new partner joined.",
            )

    def comments(self) -> dict[str, str]:
        return {w.code: self.cleaned_data.get(f"warning_{i}", "") for i, w in enumerate(self.warnings)}

    def pairs(self):
        return [(w, self[f"warning_{i}"]) for i, w in enumerate(self.warnings)]


class ReviewForm(forms.Form):
    class Decision:
        ACCEPT = "accept"
        RETURN = "return"

    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            (Decision.ACCEPT, "Accept: the figures are frozen and feed the CCG's metrics"),
            (Decision.RETURN, "Return for correction: the practice corrects and submits again"),
        ],
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="Required when you return it: say what to correct.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Record the decision")
        self.helper.layout = Layout(Field("decision"), Field("comment"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.Decision.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "Say what the practice should correct.")
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your filled-in template",
        help_text=f"An .xlsx or .csv file of at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )
    #: The return's version when the page was opened (``returns.services.return_version``).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload
