"""Estates and infrastructure: the premises each practice works from, the capacity they give
for the registered list now and as housing grows, the schemes meant to add capacity, and
each practice's IT checklist.

Premises details live beside ``practices.Site`` (one ``Premises`` row per site), so the site
itself stays where practices and commissioners already edit it.

A site shared by practices: the site belongs to one practice (its ``Site.practice``, the host)
and every *other* practice working from it has a ``SiteOccupancy`` row with the share of the
site it uses. The host's share is what is left (100% minus the others). Capacity gives each
practice its share of the site's area and rooms, so the shares of one site always add up to
the whole site: a cluster holding both practices counts the building once, and practices in
different clusters each count only their part. Rows of the other practices, rather than one
row per practice, keep a site of one practice (nearly all of them) to the site alone.

Capacity figures are computed by ``estates.capacity`` and stored by a Celery job
(``estates.tasks.refresh_capacity``) in ``PracticeCapacity`` and ``ClusterCapacity``; the
pages read the stored rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portal import models as portal_models
from portal.money import money_field
from portal.periods import FinancialYear
from portal.workflow import IllegalMove, StatusMachine
from practices.models import CCG, Cluster, Practice, Site

# Square metres to one decimal place.
AREA = {"max_digits": 9, "decimal_places": 1}
ZERO = Decimal("0")
# The code of the Estates and Technology Transformation Fund in commissioning.funding.
ETTF_STREAM_CODE = "ettf"
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]

# Defaults of the guide figures: a planning rule of thumb of CCG estates strategies of 2016-19,
# about 1,000 m² and 10 clinical rooms for 10,000 patients. Each CCG sets its own.
DEFAULT_AREA_GUIDE = Decimal("100.0")
DEFAULT_ROOMS_GUIDE = Decimal("1.00")
# ONS: the average household in England was 2.4 people in 2016-19.
DEFAULT_PATIENTS_PER_DWELLING = Decimal("2.40")
DEFAULT_PROJECTION_YEARS = 15
# Luton's figure: one remote working device per 5,000 registered patients.
DEFAULT_PATIENTS_PER_REMOTE_DEVICE = 5000


class EstatesSettings(models.Model):
    """One CCG's guide figures for premises capacity and its housing-growth assumption.

    A CCG without a row uses the defaults (``EstatesSettings.for_ccg``).
    """

    ccg = models.OneToOneField(CCG, on_delete=models.PROTECT, related_name="estates_settings", verbose_name="CCG")
    area_guide_per_1000 = models.DecimalField(
        "guide gross internal area per 1,000 patients (m²)",
        max_digits=6,
        decimal_places=1,
        default=DEFAULT_AREA_GUIDE,
        validators=[MinValueValidator(Decimal("1"))],
        help_text="Below this a practice or cluster is short of space.",
    )
    rooms_guide_per_1000 = models.DecimalField(
        "guide clinical rooms per 1,000 patients",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ROOMS_GUIDE,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="1.00 is one clinical room for every 1,000 patients.",
    )
    patients_per_dwelling = models.DecimalField(
        "new patients per new dwelling",
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_PATIENTS_PER_DWELLING,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The average household size the projection assumes; 2.40 is England's.",
    )
    projection_years = models.PositiveSmallIntegerField(
        "years to project",
        default=DEFAULT_PROJECTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    patients_per_remote_device = models.PositiveIntegerField(
        "patients per remote working device",
        default=DEFAULT_PATIENTS_PER_REMOTE_DEVICE,
        validators=[MinValueValidator(1)],
        help_text="The IT checklist expects one device for this many patients (Luton: 5,000).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "estates settings"
        verbose_name_plural = "estates settings"
        constraints = [
            models.CheckConstraint(name="estates_settings_positive_guides",
                                   condition=Q(area_guide_per_1000__gt=0, rooms_guide_per_1000__gt=0)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Estates settings of {self.ccg}"

    @classmethod
    def for_ccg(cls, ccg: CCG) -> EstatesSettings:
        """The CCG's settings, or unsaved defaults when it has none."""
        return cls.objects.filter(ccg=ccg).first() or cls(ccg=ccg)


class PremisesQuerySet(models.QuerySet):
    def of_ccg(self, ccg: CCG) -> PremisesQuerySet:
        return self.filter(site__practice__ccg=ccg)

    def open_on(self, on: dt.date) -> PremisesQuerySet:
        return self.filter(Q(site__open_date__isnull=True) | Q(site__open_date__lte=on)).filter(
            Q(site__close_date__isnull=True) | Q(site__close_date__gt=on)
        )

    def void_totals(self) -> dict:
        """Void (empty) space and its yearly cost, with the number of sites that have any."""
        totals = self.filter(void_area_m2__gt=0).aggregate(
            area=Sum("void_area_m2"), cost=Sum("void_cost_per_year"), sites=models.Count("pk")
        )
        return {"area": totals["area"] or ZERO, "cost": totals["cost"] or ZERO, "sites": totals["sites"]}


class Premises(models.Model):
    """The premises details of one site: who owns it, on what terms, how big, in what state.

    ``gross_internal_area_m2`` is the whole building as the practice uses it; when other
    practices share the site (``occupancies``) each uses its share of it.
    """

    class Ownership(models.TextChoices):
        GP_OWNED = "gp_owned", "GP-owned"
        THIRD_PARTY = "third_party", "Third-party landlord"
        NHS_PROPERTY_SERVICES = "nhsps", "NHS Property Services"
        COMMUNITY_HEALTH_PARTNERSHIPS = "chp", "Community Health Partnerships"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    class Tenure(models.TextChoices):
        FREEHOLD = "freehold", "Freehold"
        LEASEHOLD = "leasehold", "Leasehold"
        LICENCE = "licence", "Licence or occupancy agreement"
        NONE = "none", "No formal agreement"

    class Condition(models.TextChoices):
        A = "A", "A: as new, expected to perform well"
        B = "B", "B: sound, operationally safe, minor deterioration"
        C = "C", "C: operational but major repair or replacement needed soon"
        D = "D", "D: runs a serious risk of imminent breakdown"

    class Accessibility(models.TextChoices):
        COMPLIANT = "compliant", "Meets the Equality Act 2010 access requirements"
        PARTLY = "partly", "Partly: reasonable adjustments in place, some gaps"
        NOT_COMPLIANT = "not_compliant", "Does not meet them"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    class RentBasis(models.TextChoices):
        NOTIONAL = "notional", "Notional rent (owner-occupied)"
        CURRENT_MARKET = "cmr", "Current market rent"
        ACTUAL = "actual", "Actual rent under a lease"
        NONE = "none", "No rent reimbursed"

    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="premises")
    ownership = models.CharField(max_length=16, choices=Ownership.choices)
    tenure = models.CharField(max_length=10, choices=Tenure.choices)
    lease_end_date = models.DateField(null=True, blank=True, help_text="For a lease or licence: the day it ends.")
    gross_internal_area_m2 = models.DecimalField(
        "gross internal area (m²)", **AREA, validators=[MinValueValidator(Decimal("1"))]
    )
    clinical_rooms = models.PositiveSmallIntegerField(
        "clinical rooms", help_text="Consulting and treatment rooms, counted once each."
    )
    condition = models.CharField("condition grade", max_length=1, choices=Condition.choices)
    accessibility = models.CharField(
        "accessibility compliance", max_length=16, choices=Accessibility.choices, default=Accessibility.NOT_ASSESSED
    )
    rent_basis = models.CharField(max_length=10, choices=RentBasis.choices, default=RentBasis.NONE)
    rent_reimbursed_per_year = money_field("rent reimbursed per year (£)", default=ZERO, validators=NOT_NEGATIVE)
    void_area_m2 = models.DecimalField(
        "void (empty) space (m²)", **AREA, default=ZERO, validators=NOT_NEGATIVE,
        help_text="Space the practice does not use and nobody else occupies.",
    )  # fmt: skip
    void_cost_per_year = money_field(
        "cost of the void space per year (£)", default=ZERO, validators=NOT_NEGATIVE,
        help_text="Rent, service charge and rates paid for the empty space.",
    )  # fmt: skip
    other_providers = models.CharField(
        "shared use by other providers",
        max_length=300,
        blank=True,
        help_text="Community, mental health or voluntary services using the building, e.g. 'District nurses'.",
    )
    confirmed_on = models.DateField(
        "details confirmed on", null=True, blank=True, help_text="When the practice last confirmed these details."
    )
    history = HistoricalRecords()

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "premises"
        ordering = ["site__practice__name", "site__kind", "site__name"]
        constraints = [
            models.CheckConstraint(name="premises_positive_area", condition=Q(gross_internal_area_m2__gt=0)),
            models.CheckConstraint(
                name="premises_void_within_area",
                condition=Q(void_area_m2__gte=0, void_area_m2__lte=models.F("gross_internal_area_m2")),
            ),
            models.CheckConstraint(
                name="premises_money_not_negative",
                condition=Q(rent_reimbursed_per_year__gte=0, void_cost_per_year__gte=0),
            ),
            models.CheckConstraint(
                name="premises_lease_end_with_lease",
                condition=Q(lease_end_date__isnull=True) | Q(tenure__in=["leasehold", "licence"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Premises of {self.site.name}"

    def get_absolute_url(self) -> str:
        return reverse("estates:premises_detail", args=[self.site_id])

    @property
    def practice(self) -> Practice:
        """The host practice: permissions follow the site's own practice."""
        return self.site.practice

    @property
    def practice_id(self) -> int:
        return self.site.practice_id

    @property
    def ccg_id(self) -> int:
        return self.site.practice.ccg_id

    def lease_ends_within(self, on: dt.date, days: int = 365) -> bool:
        return self.lease_end_date is not None and on <= self.lease_end_date <= on + dt.timedelta(days=days)


class SiteOccupancy(models.Model):
    """Another practice working from a site it does not host, and the share of the site it uses.

    The site's host practice keeps the rest. See the module docstring for why the share is
    recorded this way.
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="occupancies")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="site_occupancies")
    share_percent = models.DecimalField(
        "share of the site used (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
        help_text="Of the site's area and clinical rooms; the host practice keeps the rest.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="The first day the practice no longer uses the site.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "site occupancy"
        verbose_name_plural = "site occupancies"
        ordering = ["site", "practice__name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "practice"], name="site_occupancy_unique_practice"),
            models.CheckConstraint(
                name="site_occupancy_share_below_whole", condition=Q(share_percent__gt=0, share_percent__lt=100)
            ),
            models.CheckConstraint(
                name="site_occupancy_ends_after_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice.name} uses {self.share_percent}% of {self.site.name}"

    def is_current_on(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or self.end_date > on)

    @property
    def ccg_id(self) -> int:
        return self.site.practice.ccg_id

    @property
    def practice_id_of_site(self) -> int:
        return self.site.practice_id


class HousingGrowth(models.Model):
    """New dwellings a local plan expects to be completed in a cluster's area in one financial year."""

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="housing_growth")
    year = models.PositiveSmallIntegerField(
        "financial year", help_text="The year it starts: 2019 is 2019/20.", validators=[MinValueValidator(2000)]
    )
    new_dwellings = models.PositiveIntegerField("new dwellings")
    source = models.CharField(max_length=200, blank=True, help_text="e.g. 'Luton Local Plan 2011-2031, table 4'.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "housing growth"
        verbose_name_plural = "housing growth"
        ordering = ["cluster", "year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="housing_growth_unique_year")]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.new_dwellings:,} new dwellings in {self.year_label}"

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.year))

    @property
    def ccg_id(self) -> int:
        return self.cluster.ccg_id


class Scheme(models.Model):
    """A premises development or improvement grant a CCG is working on: a new build, an
    extension, a refurbishment or an Estates and Technology Transformation Fund (ETTF) bid.

    Its status moves only through ``scheme_status_change`` (see ``SCHEME_WORKFLOW``); each move
    is a dated ``SchemeStatusChange``. The capacity it adds counts in the cluster's projection
    from its expected opening year while it is approved or in build; once open, the new
    space belongs in the premises register instead.
    """

    class Kind(models.TextChoices):
        NEW_BUILD = "new_build", "New build"
        EXTENSION = "extension", "Extension"
        REFURBISHMENT = "refurbishment", "Refurbishment or reconfiguration"
        IMPROVEMENT_GRANT = "improvement_grant", "Improvement grant"

    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        BID = "bid", "Bid"
        BUSINESS_CASE = "business_case", "Business case"
        APPROVED = "approved", "Approved"
        IN_BUILD = "in_build", "In build"
        OPEN = "open", "Open"
        WITHDRAWN = "withdrawn", "Withdrawn"

    ADDS_PROJECTED_CAPACITY = (Status.APPROVED, Status.IN_BUILD)

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="estates_schemes", verbose_name="CCG")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="estates_schemes",
        help_text="The cluster whose capacity it adds to.",
    )
    practices = models.ManyToManyField(Practice, blank=True, related_name="estates_schemes")
    sites = models.ManyToManyField(
        Site, blank=True, related_name="estates_schemes", help_text="Existing sites concerned."
    )
    funding_stream = models.ForeignKey(
        "commissioning.FundingStream",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="estates_schemes",
        help_text="The stream it draws on or bids to, e.g. the Estates and Technology Transformation Fund.",
    )
    # A premises scheme and a funding scheme are two things, linked: the building project, and
    # the bid for a stream's money that pays for it (its decision, allocation and spend).
    funding_scheme = models.ForeignKey(
        "commissioning.Scheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises_schemes",
        verbose_name="funding bid",
        help_text="The CCG's bid for money from the funding stream that pays for this scheme, where there is one.",
    )
    capital_cost = money_field("capital cost (£)", null=True, blank=True, validators=NOT_NEGATIVE)
    capital_cost_includes_vat = models.BooleanField("capital cost includes VAT", default=False)
    share_funded_percent = models.DecimalField(
        "share funded (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Up to 100% under the 2016 premises directions.",
    )
    expected_rent_per_year = money_field(
        "expected reimbursable rent per year (£)", null=True, blank=True, validators=NOT_NEGATIVE
    )
    area_added_m2 = models.DecimalField("area it adds (m²)", **AREA, default=ZERO, validators=NOT_NEGATIVE)
    clinical_rooms_added = models.PositiveSmallIntegerField("clinical rooms it adds", default=0)
    expected_open_date = models.DateField(null=True, blank=True)
    # Not on the scheme form: the status moves only through ``scheme_status_change``.
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.IDEA)
    status_changed_on = models.DateField(null=True, blank=True)
    lead = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[practices, sites])

    class Meta:
        ordering = ["ccg__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "name"], name="scheme_unique_name_in_ccg"),
            models.CheckConstraint(
                name="scheme_share_funded_0_to_100",
                condition=Q(share_funded_percent__isnull=True)
                | Q(share_funded_percent__gte=0, share_funded_percent__lte=100),
            ),
            models.CheckConstraint(
                name="scheme_approved_has_cost_and_share",
                condition=~Q(status__in=["approved", "in_build", "open"])
                | Q(capital_cost__isnull=False, share_funded_percent__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estates:scheme_detail", args=[self.pk])

    def clean(self):
        """The linked funding bid must be one of this CCG's, to the scheme's stream (the form and
        the admin both run this through ``full_clean``)."""
        bid = self.funding_scheme
        if bid is None:
            return
        if bid.ccg_id != self.ccg_id:
            raise ValidationError({"funding_scheme": "The funding bid must be one of this CCG's."})
        if self.funding_stream_id is not None and bid.stream_id != self.funding_stream_id:
            raise ValidationError(
                {"funding_scheme": f"The funding bid is to {bid.stream}, not to the scheme's stream."}
            )

    @property
    def is_ettf(self) -> bool:
        """An Estates and Technology Transformation Fund bid: it draws on the ETTF stream."""
        return self.funding_stream_id is not None and self.funding_stream.code == ETTF_STREAM_CODE

    @property
    def funded_amount(self) -> Decimal | None:
        """The capital the funding stream pays: cost times share funded, to the penny."""
        if self.capital_cost is None or self.share_funded_percent is None:
            return None
        return (self.capital_cost * self.share_funded_percent / 100).quantize(Decimal("0.01"))

    def allowed_next_statuses(self) -> tuple[str, ...]:
        return SCHEME_WORKFLOW.allowed(self.status)

    def missing_for(self, status: str) -> list[str]:
        """What the scheme lacks before it may move to ``status``, in words."""
        missing = []
        if status in (self.Status.APPROVED, self.Status.IN_BUILD, self.Status.OPEN):
            if self.capital_cost is None:
                missing.append("the capital cost")
            if self.share_funded_percent is None:
                missing.append("the share funded")
        if status in (self.Status.APPROVED, self.Status.IN_BUILD) and self.expected_open_date is None:
            missing.append("the expected opening date")
        if status == self.Status.BID and self.funding_stream_id is None:
            missing.append("the funding stream bid to")
        return missing

    def adds_capacity_in(self, year: int) -> bool:
        """Counts in the projection for financial year ``year`` (approved or in build, open by then)."""
        return (
            self.status in self.ADDS_PROJECTED_CAPACITY
            and self.expected_open_date is not None
            and FinancialYear.containing(self.expected_open_date).start_year <= year
        )


class SchemeStatusChange(models.Model):
    """One move of a scheme from one status to the next, on the day it happened."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=14, choices=Scheme.Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Scheme.Status.choices)
    on = models.DateField("date")
    note = models.TextField(blank=True, help_text="e.g. the committee and minute reference of an approval.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.get_to_status_display()} on {self.on:%d %b %Y}"


class SchemeStatusError(IllegalMove):
    """A status change the scheme rules do not allow; the message says why, for the page."""


def _audit_scheme_move(scheme: Scheme, from_status: str, to_status: str, *, by, note: str = "", on: dt.date):
    return SchemeStatusChange.objects.create(
        scheme=scheme, from_status=from_status, to_status=to_status, on=on, by=by, note=note
    )


_S = Scheme.Status
#: Forward one step at a time (an idea may go straight to a business case when no bid is
#: needed), withdrawn from anywhere before opening, and a withdrawn scheme may be revived.
SCHEME_WORKFLOW = StatusMachine(
    status=Scheme.Status,
    moves={
        _S.IDEA: {_S.BID, _S.BUSINESS_CASE, _S.WITHDRAWN},
        _S.BID: {_S.BUSINESS_CASE, _S.WITHDRAWN},
        _S.BUSINESS_CASE: {_S.APPROVED, _S.WITHDRAWN},
        _S.APPROVED: {_S.IN_BUILD, _S.WITHDRAWN},
        _S.IN_BUILD: {_S.OPEN, _S.WITHDRAWN},
        _S.OPEN: set(),
        _S.WITHDRAWN: {_S.IDEA},
    },
    noun="scheme",
    error=SchemeStatusError,
    audit=_audit_scheme_move,
)


class SchemeMilestone(portal_models.Milestone):
    """A dated step of a scheme, such as 'Planning permission granted'."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="milestones")
    history = HistoricalRecords()

    @property
    def ccg_id(self) -> int:
        return self.scheme.ccg_id


class PracticeIT(models.Model):
    """One practice's IT checklist: what is in place, since when, and what is planned for when.

    Each item has a status and a date: the day it went live, or the day it is planned for.
    """

    class Status(models.TextChoices):
        IN_PLACE = "in_place", "In place"
        PLANNED = "planned", "Planned"
        NOT_PLANNED = "not_planned", "Not in place, not planned"

    # The checklist items: field name prefix and what commissioners call them.
    ITEMS: tuple[tuple[str, str], ...] = (
        ("patient_wifi", "Patient Wi-Fi"),
        ("online_services", "Online services (appointments, repeat prescriptions, record access)"),
        ("eps", "Electronic Prescription Service (release 2)"),
        ("e_referral", "NHS e-Referral Service"),
        ("sms_reminders", "SMS appointment reminders"),
        ("online_consultation", "Online consultation"),
    )

    practice = models.OneToOneField(Practice, on_delete=models.PROTECT, related_name="it_checklist")
    clinical_system = models.CharField(
        max_length=10, choices=Practice.ClinicalSystem.choices, blank=True,
        help_text="The clinical system the practice uses (GP Systems of Choice).",
    )  # fmt: skip
    clinical_system_since = models.DateField(null=True, blank=True)
    patient_wifi = models.CharField("patient Wi-Fi", max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    patient_wifi_date = models.DateField("patient Wi-Fi: live or planned date", null=True, blank=True)
    online_services = models.CharField(max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    online_services_date = models.DateField("online services: live or planned date", null=True, blank=True)
    eps = models.CharField("EPS release 2", max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    eps_date = models.DateField("EPS: live or planned date", null=True, blank=True)
    e_referral = models.CharField("e-Referral", max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    e_referral_date = models.DateField("e-Referral: live or planned date", null=True, blank=True)
    sms_reminders = models.CharField("SMS reminders", max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    sms_reminders_date = models.DateField("SMS reminders: live or planned date", null=True, blank=True)
    online_consultation = models.CharField(max_length=11, choices=Status.choices, default=Status.NOT_PLANNED)
    online_consultation_date = models.DateField("online consultation: live or planned date", null=True, blank=True)
    remote_devices = models.PositiveSmallIntegerField(
        "remote working devices", default=0, help_text="Laptops or tablets clinicians can use away from the practice."
    )
    remote_devices_date = models.DateField("remote devices counted on", null=True, blank=True)
    confirmed_on = models.DateField("checklist confirmed on", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "practice IT checklist"
        ordering = ["practice__name"]

    def __str__(self) -> str:
        return f"IT checklist of {self.practice}"

    def get_absolute_url(self) -> str:
        return reverse("estates:practice_it", args=[self.practice_id])

    @property
    def ccg_id(self) -> int:
        return self.practice.ccg_id

    def items(self) -> list[tuple[str, str, str, dt.date | None]]:
        """``(field, label, status, date)`` for each yes/no item of the checklist."""
        return [(name, label, getattr(self, name), getattr(self, f"{name}_date")) for name, label in self.ITEMS]

    def items_in_place(self) -> int:
        return sum(1 for _, _, status, _ in self.items() if status == self.Status.IN_PLACE)

    @staticmethod
    def remote_devices_needed(patients: int | None, patients_per_device: int) -> int | None:
        """One device per ``patients_per_device`` patients, rounded up; None without a list size."""
        if patients is None:
            return None
        return -(-patients // patients_per_device)


class PracticeCapacity(models.Model):
    """A practice's premises capacity as last computed: its share of the area and clinical
    rooms of the open sites it works from, and the registered list they serve.

    Definition: area per 1,000 patients = (sum over the practice's open sites of the site's
    gross internal area x the practice's share of it) / list size x 1,000; rooms likewise.
    The list size is the latest on or before ``computed_on``.
    """

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="estates_capacity")
    computed_on = models.DateField()
    patients = models.PositiveIntegerField(null=True, blank=True)
    list_size_date = models.DateField(null=True, blank=True)
    area_m2 = models.DecimalField(**AREA, default=ZERO)
    clinical_rooms = models.DecimalField(max_digits=7, decimal_places=2, default=ZERO)
    sites = models.PositiveSmallIntegerField(default=0, help_text="Open sites it works from, hosted or shared.")
    sites_without_details = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "practice capacities"
        ordering = ["practice__name"]

    def __str__(self) -> str:
        return f"Capacity of {self.practice} on {self.computed_on:%d %b %Y}"

    @property
    def area_per_1000(self) -> Decimal | None:
        return per_1000(self.area_m2, self.patients)

    @property
    def rooms_per_1000(self) -> Decimal | None:
        return per_1000(self.clinical_rooms, self.patients)


class ClusterCapacity(models.Model):
    """A cluster's premises capacity in one financial year: the year its list sizes are from
    (``is_projected`` false) and each later year of the projection.

    Definitions: patients in a projected year = the member practices' list sizes + new
    dwellings in the cluster's area in each later year up to this one x patients per
    dwelling. Area = the members' shares of their open sites (a shared site counts once) +
    the area of approved or in-build schemes expected to open by this year.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="estates_capacity")
    year = models.PositiveSmallIntegerField("financial year")
    is_projected = models.BooleanField(default=False)
    computed_on = models.DateField()
    as_at = models.DateField(null=True, blank=True, help_text="The newest list-size extract date used.")
    patients = models.PositiveIntegerField(null=True, blank=True)
    new_dwellings = models.PositiveIntegerField(default=0, help_text="Cumulative, after the list-size year.")
    area_m2 = models.DecimalField(**AREA, default=ZERO)
    clinical_rooms = models.DecimalField(max_digits=7, decimal_places=2, default=ZERO)
    scheme_area_m2 = models.DecimalField(**AREA, default=ZERO, help_text="Of which from schemes.")
    scheme_rooms = models.PositiveSmallIntegerField(default=0)
    area_guide_per_1000 = models.DecimalField(max_digits=6, decimal_places=1)
    rooms_guide_per_1000 = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        verbose_name_plural = "cluster capacities"
        ordering = ["cluster", "year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="cluster_capacity_unique_year")]

    def __str__(self) -> str:
        return f"Capacity of {self.cluster} in {self.year_label}"

    @property
    def year_label(self) -> str:
        return str(FinancialYear(self.year))

    @property
    def area_per_1000(self) -> Decimal | None:
        return per_1000(self.area_m2, self.patients)

    @property
    def rooms_per_1000(self) -> Decimal | None:
        return per_1000(self.clinical_rooms, self.patients)

    @property
    def below_area_guide(self) -> bool | None:
        value = self.area_per_1000
        return None if value is None else value < self.area_guide_per_1000

    @property
    def below_rooms_guide(self) -> bool | None:
        value = self.rooms_per_1000
        return None if value is None else value < self.rooms_guide_per_1000


def per_1000(amount: Decimal, patients: int | None) -> Decimal | None:
    """``amount`` per 1,000 patients to two decimal places; None for no list."""
    if not patients:
        return None
    return (Decimal(amount) * 1000 / patients).quantize(Decimal("0.01"))


class EstatesReturnLine(models.Model):
    """One site's premises figures in one revision of a practice's estates return.

    The lines of an accepted revision are copied into the premises register
    (``estates.return_types.EstatesReturnType.accepted``); the lines themselves are never
    changed after the revision leaves draft.
    """

    revision = models.ForeignKey("returns.Revision", on_delete=models.CASCADE, related_name="estates_lines")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="estates_return_lines")
    ownership = models.CharField(max_length=16, choices=Premises.Ownership.choices, blank=True)
    tenure = models.CharField(max_length=10, choices=Premises.Tenure.choices, blank=True)
    lease_end_date = models.DateField(null=True, blank=True)
    gross_internal_area_m2 = models.DecimalField(**AREA, null=True, blank=True)
    clinical_rooms = models.PositiveSmallIntegerField(null=True, blank=True)
    condition = models.CharField(max_length=1, choices=Premises.Condition.choices, blank=True)
    accessibility = models.CharField(max_length=16, choices=Premises.Accessibility.choices, blank=True)
    rent_basis = models.CharField(max_length=10, choices=Premises.RentBasis.choices, blank=True)
    rent_reimbursed_per_year = money_field(null=True, blank=True)
    void_area_m2 = models.DecimalField(**AREA, null=True, blank=True)
    void_cost_per_year = money_field(null=True, blank=True)
    other_providers = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["revision", "site__kind", "site__name"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "site"], name="estates_return_line_unique_site"),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} in revision {self.revision_id}"
