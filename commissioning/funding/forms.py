"""Crispy forms for streams, rates, rules, allocations, schemes, decisions and spend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone

from commissioning.models import Action, HighImpactAction
from portal.periods import FinancialYear, quarter_label
from practices.forms import DateInput, MilestoneForm, PortalFormHelper
from practices.models import CCG, Cluster, ListSize, Practice

from .models import Allocation, FundingStream, Scheme, SchemeAmount, SchemeMilestone, StreamRate, StreamRule

FIRST_YEAR, LAST_YEAR = 2014, 2024


def year_choices(first: int = FIRST_YEAR, last: int = LAST_YEAR, *, blank: str | None = None) -> list[tuple]:
    choices = [(y, str(FinancialYear(y))) for y in range(first, last + 1)]
    return ([("", blank)] if blank is not None else []) + choices


class YearField(forms.TypedChoiceField):
    """A financial year picked by its label ('2018/19'), stored as the year it starts."""

    def __init__(self, *, required: bool = True, blank: str | None = None, **kwargs):
        super().__init__(
            choices=year_choices(blank=blank if not required else None),
            coerce=int,
            empty_value=None,
            required=required,
            **kwargs,
        )


class FundingStreamForm(forms.ModelForm):
    first_year = YearField(label="First financial year", required=False, blank="Not given")
    last_year = YearField(label="Last financial year", required=False, blank="No end (recurrent)")

    class Meta:
        model = FundingStream
        fields = [
            "name", "short_name", "code", "source", "basis", "recurrent", "first_year", "last_year",
            "national_total", "national_total_note", "rate_note", "conditions",
        ]  # fmt: skip
        widgets = {"conditions": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, submit_text: str = "Save stream", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)
        self.helper.layout = Layout(
            Fieldset("The stream", "name", "short_name", "code", "source", "basis", "recurrent"),
            Fieldset(
                "Years and money", "first_year", "last_year", "national_total", "national_total_note", "rate_note"
            ),
            Fieldset("Conditions", "conditions"),
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", "The last year cannot come before the first.")
        return cleaned


class StreamRateForm(forms.ModelForm):
    first_year = YearField(label="First financial year")
    last_year = YearField(label="Last financial year", help_text="The same year for a rate of one year.")

    class Meta:
        model = StreamRate
        fields = ["first_year", "last_year", "rate_per_head", "population_date"]
        widgets = {"population_date": DateInput}

    def __init__(self, *args, submit_text: str = "Save rate", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", "The last year cannot come before the first.")
            overlapping = StreamRate.objects.filter(
                stream_id=self.instance.stream_id, first_year__lte=last, last_year__gte=first
            ).exclude(pk=self.instance.pk)
            if overlapping.exists():
                self.add_error("first_year", f"Another rate already covers {overlapping.first().period_label}.")
        return cleaned


class StreamRuleForm(forms.ModelForm):
    class Meta:
        model = StreamRule
        fields = ["kind", "value", "description"]
        labels = {"kind": "What the rule limits", "value": "Limit"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, submit_text: str = "Save rule", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper(submit_text)


class AllocationForm(forms.ModelForm):
    financial_year = YearField(label="Financial year")

    class Meta:
        model = Allocation
        fields = ["stream", "financial_year", "amount", "notified_on", "reference", "population_date", "notes"]
        widgets = {"notified_on": DateInput, "population_date": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, submit_text: str = "Save allocation", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stream"].queryset = FundingStream.objects.for_ccg(self.instance.ccg_id)
        self.helper = PortalFormHelper(submit_text)

    def clean(self):
        cleaned = super().clean()
        stream, year = cleaned.get("stream"), cleaned.get("financial_year")
        if stream and year is not None:
            if not stream.runs_in(year):
                self.add_error("financial_year", f"{stream} runs {stream.period_label}.")
            clash = Allocation.objects.filter(stream=stream, ccg_id=self.instance.ccg_id, financial_year=year)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "financial_year", f"The CCG already has an allocation of {stream} for {FinancialYear(year)}."
                )
        return cleaned


def latest_list_size_date(ccg: CCG) -> dt.date:
    """The newest list-size extract of the CCG's practices, else today: the default population date."""
    latest = ListSize.objects.totals().filter(practice__ccg=ccg).order_by("-extract_date").first()
    return latest.extract_date if latest else timezone.localdate()


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "title", "stream", "applicant", "cluster", "practices", "population_date", "purpose", "business_case",
            "annual_revenue_cost", "actions", "high_impact_actions",
        ]  # fmt: skip
        widgets = {
            "population_date": DateInput,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "business_case": forms.Textarea(attrs={"rows": 5}),
            "high_impact_actions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "practices": "Hold Ctrl (Cmd on a Mac) to choose more than one. Leave empty for a cluster to cover "
            "the practices in the cluster on the population date.",
            "population_date": "The registered population covered is counted from the list sizes of this day.",
        }

    def __init__(self, *args, ccg: CCG, **kwargs):
        super().__init__(*args, **kwargs)
        self.ccg = ccg
        self.fields["stream"].queryset = FundingStream.objects.for_ccg(ccg)
        self.fields["cluster"].queryset = Cluster.objects.filter(ccg=ccg)
        self.fields["cluster"].help_text = "For a bid by a cluster."
        self.fields["practices"].queryset = Practice.objects.filter(ccg=ccg).order_by("name")
        self.fields["practices"].widget.attrs["size"] = 10
        self.fields["actions"].queryset = (
            Action.objects.filter(plan__ccg=ccg).select_related("plan").order_by("plan__first_year", "local_code")
        )
        self.fields["actions"].widget.attrs["size"] = 6
        self.fields["high_impact_actions"].queryset = HighImpactAction.objects.all()
        if not self.instance.pk and not self.initial.get("population_date"):
            self.initial["population_date"] = latest_list_size_date(ccg)
        self.helper = PortalFormHelper("Save scheme")
        self.helper.form_tag = False
        self.helper.inputs = []  # the page puts the button after the amounts

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        # The CCG is not a field of the form, so Django skips the (ccg, title) constraint.
        if Scheme.objects.filter(ccg=self.ccg, title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"{self.ccg.name} already has a scheme called {title}.")
        return title

    def clean(self):
        cleaned = super().clean()
        applicant, cluster, practices = cleaned.get("applicant"), cleaned.get("cluster"), cleaned.get("practices")
        on = cleaned.get("population_date")
        if applicant == Scheme.Applicant.CLUSTER and cluster is None:
            self.add_error("cluster", "Choose the cluster that is bidding.")
        if cluster is not None and not practices and on is not None:
            cleaned["practices"] = Practice.objects.in_cluster(cluster, on)
            if not cleaned["practices"].exists():
                self.add_error("practices", f"{cluster} had no practices on {on:%-d %b %Y}: choose them here.")
        elif not practices:
            self.add_error("practices", "Choose the practices the scheme covers.")
        elif applicant == Scheme.Applicant.PRACTICE and len(practices) != 1:
            self.add_error("practices", "A bid by a single practice covers exactly one practice.")
        return cleaned


class SchemeAmountForm(forms.ModelForm):
    financial_year = YearField(label="Financial year", required=False, blank="Choose a year")

    class Meta:
        model = SchemeAmount
        fields = ["financial_year", "amount"]
        labels = {"amount": "Amount requested (£)"}


class BaseSchemeAmountFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Before the model formset's own uniqueness check, which would name only the field.
        years = []
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            year, amount = form.cleaned_data.get("financial_year"), form.cleaned_data.get("amount")
            if year is None:
                form.add_error("financial_year", "Choose the financial year of this amount.")
            if amount is None:
                form.add_error("amount", "Give the amount requested.")
            elif amount <= 0:
                form.add_error("amount", "The amount must be more than £0.")
            if year is not None and year in years:
                form.add_error("financial_year", f"{FinancialYear(year)} is given twice.")
            years.append(year)
        super().clean()


SchemeAmountFormSet = forms.inlineformset_factory(
    Scheme, SchemeAmount, form=SchemeAmountForm, formset=BaseSchemeAmountFormSet, extra=3, can_delete=True
)


class SchemeDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve (with conditions if you give them below)"), (REJECT, "Reject")],
        widget=forms.RadioSelect,
    )
    committee = forms.CharField(
        label="Deciding committee", max_length=200, initial="Primary Care Commissioning Committee"
    )
    decided_on = forms.DateField(label="Date of the decision", widget=DateInput)
    minute_reference = forms.CharField(label="Minute reference", max_length=100, required=False)
    conditions = forms.CharField(
        label="Conditions of approval",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank for an approval without conditions.",
    )
    reason = forms.CharField(label="Reason for rejecting", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = forms.CharField(
        label="Override reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to approve a scheme whose checks fail: say why it is approved all the same.",
    )

    def __init__(self, *args, failures: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.failures = failures
        if not failures:
            del self.fields["override_reason"]
        self.helper = PortalFormHelper("Record the decision")

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason for rejecting the scheme.")
        if decision == self.APPROVE and self.failures and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                f"{self.failures} check(s) fail: give the reason for approving the scheme all the same.",
            )
        return cleaned


class SchemeMilestoneForm(MilestoneForm):
    class Meta(MilestoneForm.Meta):
        model = SchemeMilestone


class SpendForm(forms.Form):
    """Actual and forecast spend for each quarter of the years a scheme asks for or spent in.

    Its fields are named ``actual_YYYY-MM-DD`` and ``forecast_YYYY-MM-DD``; ``quarters``
    pairs them for the table the page draws.
    """

    def __init__(self, *args, quarters: list[dt.date], existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = quarters
        for quarter in quarters:
            row = existing.get(quarter)
            for name in ("actual", "forecast"):
                self.fields[f"{name}_{quarter.isoformat()}"] = forms.DecimalField(
                    label=f"{name.title()} spend (£), {quarter_label(quarter)}",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    initial=getattr(row, name, None),
                    widget=forms.NumberInput(attrs={"step": "0.01"}),
                )

    def rows(self):
        for quarter in self.quarters:
            yield quarter_label(quarter), self[f"actual_{quarter.isoformat()}"], self[f"forecast_{quarter.isoformat()}"]

    def values(self) -> dict[dt.date, tuple[Decimal | None, Decimal | None]]:
        return {
            q: (self.cleaned_data.get(f"actual_{q.isoformat()}"), self.cleaned_data.get(f"forecast_{q.isoformat()}"))
            for q in self.quarters
        }
