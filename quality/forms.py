"""Forms of the quality area. Crispy renders them; the page templates add the error summary."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from practices.forms import DateInput, PortalFormHelper

from .models import Concern, ContractEvent, CQCEnforcement, CQCInspection, SupportOffer
from .scoring import RULES, RuleSetting


class PortalModelForm(forms.ModelForm):
    submit_text = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(self.submit_text)


class CQCInspectionForm(PortalModelForm):
    submit_text = "Save inspection"

    class Meta:
        model = CQCInspection
        fields = ["publication_date", "inspection_date", "overall", "safe", "effective", "caring", "responsive",
                  "well_led", "location_id", "report_url"]  # fmt: skip
        widgets = {"publication_date": DateInput(), "inspection_date": DateInput()}

    def clean(self):
        data = super().clean()
        inspected, published = data.get("inspection_date"), data.get("publication_date")
        if inspected and published and inspected > published:
            self.add_error("inspection_date", "The inspection must be on or before the publication date.")
        return data


class CQCEnforcementForm(PortalModelForm):
    submit_text = "Save"

    class Meta:
        model = CQCEnforcement
        fields = ["kind", "start_date", "end_date", "description"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The end date must be after the start date.")
        return data


class ContractEventForm(PortalModelForm):
    """The application or notice as received; the decision is recorded on its own page."""

    submit_text = "Save contract event"

    class Meta:
        model = ContractEvent
        fields = ["kind", "contract_type", "variation_scope", "summary", "received_date", "committee"]
        widgets = {"received_date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        received = data.get("received_date")
        if received and received > timezone.localdate():
            self.add_error("received_date", "The received date cannot be in the future.")
        if data.get("kind") == ContractEvent.Kind.CONTRACT_VARIATION and not data.get("variation_scope"):
            self.add_error("variation_scope", "Say whether the variation is national or local.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[c for c in ContractEvent.Decision.choices if c[0] != ContractEvent.Decision.PENDING]
    )
    decision_date = forms.DateField(widget=DateInput())
    committee = forms.CharField(label="Deciding committee", max_length=200, required=False,
                                help_text="For example the Primary Care Commissioning Committee.")  # fmt: skip
    conditions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 help_text="Required for an approval with conditions.")  # fmt: skip
    review_date = forms.DateField(widget=DateInput(), required=False,
                                  help_text="Commissioners are reminded by email two weeks before.")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Record decision")


class ConcernForm(PortalModelForm):
    submit_text = "Save concern"

    class Meta:
        model = Concern
        fields = ["raised_by", "raised_date", "concern", "agreed_action", "responsible", "status", "closed_date"]
        widgets = {
            "raised_date": DateInput(),
            "closed_date": DateInput(),
            "concern": forms.Textarea(attrs={"rows": 3}),
            "agreed_action": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        status, closed = data.get("status"), data.get("closed_date")
        if status == Concern.Status.CLOSED and not closed:
            self.add_error("closed_date", "Give the date the concern was closed.")
        if status != Concern.Status.CLOSED and closed:
            self.add_error("closed_date", "Only a closed concern has a closed date.")
        raised = data.get("raised_date")
        if raised and closed and closed < raised:
            self.add_error("closed_date", "A concern cannot close before it was raised.")
        return data


class SupportOfferForm(PortalModelForm):
    submit_text = "Save support offer"

    class Meta:
        model = SupportOffer
        fields = ["kind", "offered_date", "provider", "amount", "status", "outcome", "outcome_notes"]
        widgets = {"offered_date": DateInput(), "outcome_notes": forms.Textarea(attrs={"rows": 3})}

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= Decimal("0"):
            raise forms.ValidationError("Funding must be more than £0, or left empty.")
        return amount

    def clean(self):
        data = super().clean()
        if data.get("outcome") and data.get("status") not in (
            SupportOffer.Status.COMPLETED,
            SupportOffer.Status.ACCEPTED,
        ):
            self.add_error("outcome", "An outcome is recorded once the support is under way or completed.")
        return data


class CQCImportForm(forms.Form):
    file = forms.FileField(label="CQC ratings file (CSV)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Check and import")
        self.helper.attrs = {"enctype": "multipart/form-data"}


class ScoringRulesForm(forms.Form):
    """One row per rule: used or not, its threshold (where it has one) and its points."""

    def __init__(self, *args, settings: dict[str, RuleSetting], **kwargs):
        super().__init__(*args, **kwargs)
        for key, rule in RULES.items():
            current = settings[key]
            self.fields[f"{key}-enabled"] = forms.BooleanField(label=f"Use the rule: {rule.title}", required=False,
                                                               initial=current.enabled)  # fmt: skip
            self.fields[f"{key}-points"] = forms.IntegerField(label=f"Points: {rule.title}", min_value=0,
                                                              max_value=20, initial=current.points)  # fmt: skip
            if rule.has_threshold:
                self.fields[f"{key}-threshold"] = forms.DecimalField(
                    label=f"Threshold ({rule.unit}): {rule.title}", min_value=0, max_digits=8, decimal_places=2,
                    initial=current.threshold,
                )  # fmt: skip

    def rows(self):
        for key, rule in RULES.items():
            yield {
                "rule": rule,
                "enabled": self[f"{key}-enabled"],
                "points": self[f"{key}-points"],
                "threshold": self[f"{key}-threshold"] if rule.has_threshold else None,
            }

    def settings(self) -> dict[str, RuleSetting]:
        data = self.cleaned_data
        return {
            key: RuleSetting(
                key,
                data[f"{key}-enabled"],
                data.get(f"{key}-threshold") if rule.has_threshold else None,
                data[f"{key}-points"],
            )
            for key, rule in RULES.items()
        }
