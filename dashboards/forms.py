from django import forms

from practices.forms import DateInput, PortalFormHelper

from . import selectors as s


class BoardReportForm(forms.Form):
    """Ask for a board report of one quarter, for a committee's meeting on a date."""

    period = forms.ChoiceField(label="Quarter reported on")
    meeting = forms.CharField(
        label="Committee",
        max_length=200,
        initial="Primary Care Commissioning Committee",
        help_text="The committee whose meeting the papers are for.",
    )
    meeting_date = forms.DateField(
        widget=DateInput,
        label="Date of the meeting",
        help_text="The papers show the plan version approved by then, and statuses and missing returns on that day.",
    )

    def __init__(self, *args, periods: list[s.Period], initial_period: s.Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.value, p.label) for p in reversed(periods)]
        self.fields["period"].initial = initial_period.value
        self.helper = PortalFormHelper(submit_text="Make the report")

    def clean_period(self) -> s.Period:
        return s.Period.parse(self.cleaned_data["period"])
