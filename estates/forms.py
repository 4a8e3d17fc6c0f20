"""Create and edit forms of the estates area; crispy renders them."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import Sum
from django.utils import timezone

from commissioning.funding.models import FundingStream
from commissioning.funding.models import Scheme as FundingScheme
from portal.periods import FinancialYear
from practices.forms import DateInput, MilestoneForm, PortalFormHelper
from practices.models import Cluster, Practice, Site

from . import display
from .models import EstatesSettings, HousingGrowth, PracticeIT, Premises, Scheme, SchemeMilestone, SiteOccupancy

FIRST_HOUSING_YEAR = 2010
LAST_HOUSING_YEAR = 2045


class PremisesForm(forms.ModelForm):
    class Meta:
        model = Premises
        fields = [
            "ownership", "tenure", "lease_end_date", "gross_internal_area_m2", "clinical_rooms", "condition",
            "accessibility", "rent_basis", "rent_reimbursed_per_year", "void_area_m2", "void_cost_per_year",
            "other_providers", "confirmed_on",
        ]  # fmt: skip
        widgets = {"lease_end_date": DateInput, "confirmed_on": DateInput}

    def __init__(self, *args, submit_text: str = "Save premises details", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_on"].initial = timezone.localdate()
        self.helper = PortalFormHelper(submit_text)
        self.helper.layout = Layout(
            Fieldset("Ownership and tenure", "ownership", "tenure", "lease_end_date"),
            Fieldset("Size and condition", "gross_internal_area_m2", "clinical_rooms", "condition", "accessibility"),
            Fieldset("Costs reimbursed", "rent_basis", "rent_reimbursed_per_year"),
            Fieldset("Void space and shared use", "void_area_m2", "void_cost_per_year", "other_providers"),
            "confirmed_on",
        )

    def clean(self):
        cleaned = super().clean()
        tenure, lease_end = cleaned.get("tenure"), cleaned.get("lease_end_date")
        if lease_end and tenure not in (Premises.Tenure.LEASEHOLD, Premises.Tenure.LICENCE):
            self.add_error(
                "lease_end_date", "Only a lease or a licence has an end date: clear it, or change the tenure."
            )
        area, void = cleaned.get("gross_internal_area_m2"), cleaned.get("void_area_m2")
        if area is not None and void is not None and void > area:
            self.add_error("void_area_m2", f"The void space cannot be larger than the whole site ({area} m²).")
        if void == 0 and (cleaned.get("void_cost_per_year") or 0) > 0:
            self.add_error(
                "void_cost_per_year", "With no void space there is no void cost: enter the void space first."
            )
        if cleaned.get("rent_basis") == Premises.RentBasis.NONE and (cleaned.get("rent_reimbursed_per_year") or 0) > 0:
            self.add_error("rent_basis", "Say on what basis the rent is reimbursed.")
        return cleaned


class NewSiteForm(forms.ModelForm):
    """The site half of 'Record a site': where it is and whether it is a main or branch surgery."""

    class Meta:
        model = Site
        fields = ["name", "kind", "address_line_1", "address_line_2", "town", "postcode", "open_date"]
        widgets = {"open_date": DateInput}
        help_texts = {"postcode": "For example LU1 3UA."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_postcode(self):
        from practices.models import normalise_postcode

        postcode = self.cleaned_data.get("postcode", "")
        return normalise_postcode(postcode) if postcode else postcode

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Site.Kind.MAIN:
            other_main = Site.objects.filter(
                practice_id=self.instance.practice_id, kind=Site.Kind.MAIN, close_date__isnull=True
            )
            if other_main.exists():
                self.add_error(
                    "kind", "The practice already has an open main surgery. Close it, or add this site as a branch."
                )
        return cleaned


class SiteOccupancyForm(forms.ModelForm):
    class Meta:
        model = SiteOccupancy
        fields = ["practice", "share_percent", "start_date", "end_date"]
        widgets = {"start_date": DateInput, "end_date": DateInput}
        labels = {"practice": "Practice sharing the site"}

    def __init__(self, *args, submit_text: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance.site
        # Another practice of the same CCG; the host practice's own share is the remainder.
        self.fields["practice"].queryset = (
            Practice.objects.filter(ccg_id=site.practice.ccg_id).exclude(pk=site.practice_id).order_by("name")
        )
        self.helper = PortalFormHelper(submit_text)

    def clean(self):
        cleaned = super().clean()
        share, practice = cleaned.get("share_percent"), cleaned.get("practice")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The end date must be after the start date.")
        if share is None:
            return cleaned
        others = SiteOccupancy.objects.filter(site=self.instance.site, end_date__isnull=True).exclude(
            pk=self.instance.pk
        ).aggregate(total=Sum("share_percent"))["total"] or Decimal("0")
        if others + share >= 100:
            self.add_error(
                "share_percent",
                f"Other practices already use {display.percent(others)} of this site; the host practice must keep "
                f"some of it (at most {display.percent(Decimal('100') - others - Decimal('0.01'))} here).",
            )
        if practice and self.instance.site_id and not self.instance.pk:
            if SiteOccupancy.objects.filter(site=self.instance.site, practice=practice).exists():
                self.add_error("practice", f"{practice.name} already shares this site: edit its share instead.")
        return cleaned


class EstatesSettingsForm(forms.ModelForm):
    class Meta:
        model = EstatesSettings
        fields = [
            "area_guide_per_1000", "rooms_guide_per_1000", "patients_per_dwelling", "projection_years",
            "patients_per_remote_device",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = PortalFormHelper("Save settings")


def financial_year_choices():
    return [(year, str(FinancialYear(year))) for year in range(FIRST_HOUSING_YEAR, LAST_HOUSING_YEAR + 1)]


class HousingGrowthForm(forms.ModelForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=financial_year_choices)

    class Meta:
        model = HousingGrowth
        fields = ["year", "new_dwellings", "source"]

    def __init__(self, *args, submit_text: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = FinancialYear.containing(timezone.localdate()).start_year
        self.helper = PortalFormHelper(submit_text)

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = HousingGrowth.objects.filter(cluster_id=self.instance.cluster_id, year=year).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(
                f"{FinancialYear(year)} already has a figure for this cluster: edit it instead."
            )
        return year


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name", "kind", "description", "cluster", "practices", "sites", "funding_stream", "funding_scheme",
            "capital_cost", "capital_cost_includes_vat", "share_funded_percent", "expected_rent_per_year",
            "area_added_m2", "clinical_rooms_added", "expected_open_date", "lead",
        ]  # fmt: skip
        widgets = {
            "expected_open_date": DateInput,
            "practices": forms.SelectMultiple(attrs={"size": 8}),
            "sites": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, submit_text: str = "Save scheme", **kwargs):
        super().__init__(*args, **kwargs)
        ccg_id = self.instance.ccg_id
        self.fields["cluster"].queryset = Cluster.objects.filter(ccg_id=ccg_id)
        self.fields["cluster"].empty_label = "No cluster"
        self.fields["funding_stream"].queryset = FundingStream.objects.for_ccg(ccg_id).order_by("name")
        self.fields["funding_stream"].empty_label = "Not decided yet"
        self.fields["funding_scheme"].queryset = FundingScheme.objects.filter(ccg_id=ccg_id).select_related("stream")
        self.fields["funding_scheme"].empty_label = "No funding bid"
        self.fields["funding_scheme"].label_from_instance = lambda bid: f"{bid.title} ({bid.stream})"
        self.fields["practices"].queryset = Practice.objects.filter(ccg_id=ccg_id).order_by("name")
        self.fields["sites"].queryset = Site.objects.filter(practice__ccg_id=ccg_id).select_related("practice")
        self.fields["sites"].label_from_instance = lambda site: f"{site.name} ({site.practice.name})"
        for name in ("practices", "sites"):
            self.fields[name].help_text = "Hold Ctrl (Cmd on a Mac) to choose more than one."
        self.helper = PortalFormHelper(submit_text)
        self.helper.layout = Layout(
            Fieldset("The scheme", "name", "kind", "description", "lead", "expected_open_date"),
            Fieldset("Who it is for", "cluster", "practices", "sites"),
            Fieldset(
                "Funding",
                "funding_stream",
                "funding_scheme",
                "capital_cost",
                "capital_cost_includes_vat",
                "share_funded_percent",
                "expected_rent_per_year",
            ),  # fmt: skip
            Fieldset("Capacity it adds", "area_added_m2", "clinical_rooms_added"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Scheme.objects.filter(ccg_id=self.instance.ccg_id, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"The CCG already has a scheme called {name}.")
        return name

    def clean(self):
        cleaned = super().clean()
        # The status is not on the form, so the database constraint would fail without a word.
        if self.instance.status in (Scheme.Status.APPROVED, Scheme.Status.IN_BUILD, Scheme.Status.OPEN):
            for name in ("capital_cost", "share_funded_percent"):
                if name in cleaned and cleaned[name] is None:
                    self.add_error(name, f"An {self.instance.get_status_display().lower()} scheme needs this.")
        practices = cleaned.get("practices")
        sites = cleaned.get("sites")
        if practices is not None and sites:
            strays = [s.name for s in sites if s.practice not in practices]
            if strays:
                self.add_error("sites", f"Also choose the practice of: {', '.join(strays)}.")
        return cleaned


class SchemeStatusForm(forms.Form):
    to = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    on = forms.DateField(label="Date of the change", widget=DateInput)
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For an approval, the committee and minute reference.",
    )  # fmt: skip

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Scheme.Status(s).label) for s in scheme.allowed_next_statuses()]
        self.fields["on"].initial = timezone.localdate()
        self.helper = PortalFormHelper("Change status")


class SchemeMilestoneForm(MilestoneForm):
    class Meta(MilestoneForm.Meta):
        model = SchemeMilestone


class PracticeITForm(forms.ModelForm):
    class Meta:
        model = PracticeIT
        fields = [
            "clinical_system", "clinical_system_since",
            *[name for item, _ in PracticeIT.ITEMS for name in (item, f"{item}_date")],
            "remote_devices", "remote_devices_date", "confirmed_on",
        ]  # fmt: skip
        widgets = {
            name: DateInput
            for name in ["clinical_system_since", "remote_devices_date", "confirmed_on"]
            + [f"{item}_date" for item, _ in PracticeIT.ITEMS]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_on"].initial = timezone.localdate()
        for item, label in PracticeIT.ITEMS:
            self.fields[item].label = label
            self.fields[f"{item}_date"].label = "Date it went live, or is planned for"
        self.helper = PortalFormHelper("Save checklist")
        self.helper.layout = Layout(
            Fieldset("Clinical system", "clinical_system", "clinical_system_since"),
            *[Fieldset(label, item, f"{item}_date") for item, label in PracticeIT.ITEMS],
            Fieldset("Remote working", "remote_devices", "remote_devices_date"),
            "confirmed_on",
        )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for item, label in PracticeIT.ITEMS:
            status, date = cleaned.get(item), cleaned.get(f"{item}_date")
            if status == PracticeIT.Status.IN_PLACE and date and date > today:
                self.add_error(f"{item}_date", f"{label} is in place: its live date cannot be in the future.")
            if status == PracticeIT.Status.PLANNED and not date:
                self.add_error(f"{item}_date", "Give the date it is planned for.")
        return cleaned
