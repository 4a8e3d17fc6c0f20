from django import forms

from practices.forms import DateInput, PortalFormHelper

from . import selectors as s


class BoardReportForm(forms.Form):
    """Ask for a board report of one quarter, for a named meeting."""

    period = forms.ChoiceField(label="Quarter reported on")
    meeting = forms.CharField(
        max_length=200, initial="Primary Care Commissioning Committee", help_text="The meeting the papers are for."
    )
    meeting_date = forms.DateField(required=False, widget=DateInput, label="Date of the meeting")

    def __init__(self, *args, periods: list[s.Period], initial_period: s.Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.value, p.label) for p in reversed(periods)]
        self.fields["period"].initial = initial_period.value
        self.helper = PortalFormHelper(submit_text="Make the report")

    def clean_period(self) -> s.Period:
        return s.Period.parse(self.cleaned_data["period"])
