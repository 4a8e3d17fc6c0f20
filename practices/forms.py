"""Create and edit forms for organisations. Crispy renders them; the templates add the error summary."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from .models import Cluster, Practice, Site, normalise_postcode


class DateInput(forms.DateInput):
    """The browser's own date picker; no script needed."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PortalFormHelper(FormHelper):
    def __init__(self, submit_text: str, form=None):
        super().__init__(form)
        # The page template writes the <form> tag and the CSRF token.
        self.form_tag = False
        self.disable_csrf = True
        self.add_input(Submit("save", submit_text))


class MilestoneForm(forms.ModelForm):
    """The form of a dated step (``portal.models.Milestone``); each kind names its model::

    class SchemeMilestoneForm(MilestoneForm):
        class Meta(MilestoneForm.Meta):
            model = SchemeMilestone
    """

    class Meta:
        fields = ["title", "due_date", "completed_on"]
        widgets = {"due_date": DateInput, "completed_on": DateInput}
        help_texts = {"completed_on": "Leave blank until the milestone is reached."}

    def __init__(self, *args, submit_text: str = "Save milestone", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)


class PostcodeMixin:
    def clean_postcode(self):
        # Typed 'lu13ua' is fine: the model validator checks the spaced, upper-case form.
        postcode = self.cleaned_data.get("postcode", "")
        return normalise_postcode(postcode) if postcode else postcode


def _check_dates(form, opened: str = "open_date", closed: str = "close_date") -> None:
    open_date, close_date = form.cleaned_data.get(opened), form.cleaned_data.get(closed)
    if open_date and close_date and close_date < open_date:
        form.add_error(closed, "The close date must be on or after the open date.")


class PracticeForm(PostcodeMixin, forms.ModelForm):
    class Meta:
        model = Practice
        fields = [
            "ods_code",
            "name",
            "address_line_1",
            "address_line_2",
            "town",
            "county",
            "postcode",
            "telephone",
            "contract_type",
            "clinical_system",
            "federation",
            "status",
            "open_date",
            "close_date",
        ]
        widgets = {"open_date": DateInput, "close_date": DateInput}
        help_texts = {
            "ods_code": "One capital letter and five digits, for example E81001.",
            "postcode": "For example LU1 3UA.",
            "close_date": "Leave blank while the practice is open.",
        }

    def __init__(self, *args, submit_text: str = "Save practice", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].empty_label = "No federation"
        self.helper = PortalFormHelper(submit_text)

    def clean_ods_code(self):
        return self.cleaned_data["ods_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        if cleaned.get("close_date") and cleaned.get("status") not in (None, Practice.Status.CLOSED):
            if cleaned["close_date"] <= timezone.localdate():
                self.add_error("status", "A practice with a close date in the past has the status Closed.")
        return cleaned


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "kind", "code", "stated_population"]
        labels = {"stated_population": "Stated population (patients)"}

    def __init__(self, *args, submit_text: str = "Save cluster", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)

    def clean_code(self):
        return self.cleaned_data.get("code", "").strip().upper()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # The CCG is not a field of the form, so Django skips the (ccg, name) constraint: check it here.
        others = Cluster.objects.filter(ccg_id=self.instance.ccg_id, name__iexact=name).exclude(pk=self.instance.pk)
        if self.instance.ccg_id and others.exists():
            raise forms.ValidationError(f"The CCG already has a cluster called {name}.")
        return name


class SiteForm(PostcodeMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "kind", "address_line_1", "address_line_2", "town", "postcode", "open_date", "close_date"]
        widgets = {"open_date": DateInput, "close_date": DateInput}
        help_texts = {"postcode": "For example LU1 3UA.", "close_date": "Leave blank while the site is open."}

    def __init__(self, *args, submit_text: str = "Save site", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        if cleaned.get("kind") == Site.Kind.MAIN and not cleaned.get("close_date"):
            # The practice is not a field of the form, so Django skips this constraint: check it here.
            other_main = Site.objects.filter(
                practice_id=self.instance.practice_id, kind=Site.Kind.MAIN, close_date__isnull=True
            ).exclude(pk=self.instance.pk)
            if other_main.exists():
                self.add_error(
                    "kind",
                    "The practice already has an open main surgery. Close it, or add this site as a branch.",
                )
        return cleaned


class MoveClusterForm(forms.Form):
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.none(), label="New cluster")
    on = forms.DateField(
        label="Member of the new cluster from",
        widget=DateInput,
        help_text="The first day in the new cluster. The old membership ends the day before.",
    )

    def __init__(self, *args, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(ccg_id=practice.ccg_id)
        self.fields["on"].initial = timezone.localdate()
        self.helper = PortalFormHelper("Move practice")


class ReferenceFileForm(forms.Form):
    """A national reference file to import from the browser (administrators)."""

    dataset = forms.ChoiceField(label="Which file", choices=[])
    file = forms.FileField(
        label="Reference file", help_text="The CSV as NHS Digital publishes it (the ODS ePCN workbook as .xlsx).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )  # fmt: skip
    dry_run = forms.BooleanField(
        label="Only check: import everything, then roll back", required=False,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from .models import ReferenceImport

        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = ReferenceImport.Dataset.choices
        self.helper = PortalFormHelper("Import the file")
