"""The organisation hierarchy of English general practice, and the people who use the portal.

STP footprint -> CCG -> cluster (locality, network, Primary Care Home, PCN) -> practice -> site.
Memberships of a practice in a CCG and in a cluster are dated, so that figures for a past
period use the organisation the practice belonged to then. A practice's registered list
size is a dated series, never a single number.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import BackgroundJob

ODS_PRACTICE_CODE = RegexValidator(
    r"^[A-Z][0-9]{5}$",
    "An ODS practice code is one capital letter and five digits, for example E81001.",
)
ODS_CCG_CODE = RegexValidator(
    r"^[0-9A-Z]{3,5}$",
    "An ODS commissioner code is three to five capital letters or digits, for example 06P.",
)
# The full UK postcode format (outward and inward code), as published by ONS.
POSTCODE = RegexValidator(
    r"^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? [0-9][ABD-HJLNP-UW-Z]{2})$",
    "Enter a UK postcode with a space, for example LU1 3UA.",
)


def normalise_postcode(value: str) -> str:
    """Upper-case a postcode and put the single space before the inward code."""
    compact = "".join(value.split()).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


class User(AbstractUser):
    """A person who signs in. What they may see comes from their roles, not from Django groups."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.roles.filter(kind=Role.Kind.ADMINISTRATOR).exists()


class STP(models.Model):
    """A Sustainability and Transformation Partnership footprint: the CCGs that plan together."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="For example E54000024.")
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "STP footprint"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:stp_detail", args=[self.pk])


class ICB(models.Model):
    """An Integrated Care Board (from July 2022): the successor body of an STP's CCGs."""

    ods_code = models.CharField("ODS code", max_length=5, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ICB"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubICBLocation(models.Model):
    """A sub-ICB location: the part of an ICB that took over one or more former CCGs."""

    ods_code = models.CharField("ODS code", max_length=5, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="sub_icb_locations")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sub-ICB location"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class CCG(models.Model):
    """A Clinical Commissioning Group, the commissioner of general practice in its area."""

    class CommissioningStatus(models.TextChoices):
        DELEGATED = "delegated", "Delegated"
        JOINT = "joint", "Joint commissioning"
        GREATER_INVOLVEMENT = "greater_involvement", "Greater involvement"

    ods_code = models.CharField("ODS code", max_length=5, unique=True, validators=[ODS_CCG_CODE])
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    stp = models.ForeignKey(
        STP, on_delete=models.PROTECT, related_name="ccgs", null=True, blank=True, verbose_name="STP footprint"
    )
    successor = models.ForeignKey(
        SubICBLocation,
        on_delete=models.PROTECT,
        related_name="predecessor_ccgs",
        null=True,
        blank=True,
        help_text="The sub-ICB location that took this CCG over.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="merged_from",
        null=True,
        blank=True,
        verbose_name="merged into",
        help_text="The CCG its practices moved to when it was dissolved, as a later ODS file shows.",
    )
    dissolved_on = models.DateField(
        null=True, blank=True, help_text="The day its last practices moved to another CCG (ODS join date)."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "CCG"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def get_absolute_url(self) -> str:
        return reverse("practices:ccg_detail", args=[self.pk])

    def status_on(self, on: dt.date | None = None) -> CommissioningStatusChange | None:
        """The commissioning status in effect on ``on`` (default today): the latest taking effect on or before it."""
        on = on or timezone.localdate()
        changes = getattr(self, "_prefetched_objects_cache", {}).get("status_changes")
        if changes is not None:
            return max((c for c in changes if c.effective_from <= on), key=lambda c: c.effective_from, default=None)
        return self.status_changes.filter(effective_from__lte=on).order_by("-effective_from").first()

    @property
    def commissioning_status(self) -> str:
        """Today's status value ('' if none is recorded), for lists and the API."""
        change = self.status_on()
        return change.status if change else ""

    def get_commissioning_status_display(self) -> str:
        change = self.status_on()
        return change.get_status_display() if change else ""


class CommissioningStatusChange(models.Model):
    """One CCG's primary care commissioning status (joint, delegated, ...) from the day it took effect.

    The status holds until the CCG's next change; ``source`` names the document that says so.
    """

    ccg = models.ForeignKey(CCG, on_delete=models.CASCADE, related_name="status_changes", verbose_name="CCG")
    status = models.CharField("primary care commissioning", max_length=24, choices=CCG.CommissioningStatus.choices)
    effective_from = models.DateField("in effect from")
    source = models.CharField(max_length=300, blank=True, help_text="The document that gives the status and date.")
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "commissioning status"
        verbose_name_plural = "commissioning statuses"
        ordering = ["ccg", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "effective_from"], name="ccg_status_one_change_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ccg.name}: {self.get_status_display()} from {self.effective_from:%d %b %Y}"


class StatedPopulation(models.Model):
    """The population a planning document gave for a CCG or a cluster, with the document and its date.

    A stated figure is what the document said ("c72k patients"), not a count of list sizes;
    ``as_at`` is the date the document gives or, failing that, the document's own date, and
    ``period`` the year it speaks of when it names one.
    """

    ccg = models.ForeignKey(
        CCG, on_delete=models.CASCADE, related_name="stated_populations", null=True, blank=True, verbose_name="CCG"
    )
    cluster = models.ForeignKey(
        "Cluster", on_delete=models.CASCADE, related_name="stated_populations", null=True, blank=True
    )
    population = models.PositiveIntegerField()
    as_at = models.DateField("as at")
    period = models.CharField(max_length=20, blank=True, help_text="For example 2016/17, if the document names one.")
    source = models.CharField(max_length=300, help_text="The document's title.")
    source_file = models.CharField(max_length=200, blank=True, help_text="The document's file.")
    note = models.CharField(max_length=500, blank=True, help_text="How the document puts it, e.g. 'c72k patients'.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_at"]
        constraints = [
            models.CheckConstraint(
                name="stated_population_of_one_organisation",
                condition=Q(ccg__isnull=False, cluster__isnull=True) | Q(ccg__isnull=True, cluster__isnull=False),
            ),
            models.UniqueConstraint(fields=["ccg", "source", "as_at"], name="stated_population_unique_ccg"),
            models.UniqueConstraint(fields=["cluster", "source", "as_at"], name="stated_population_unique_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.ccg or self.cluster}: {self.population:,} ({self.source}, {self.as_at:%d %b %Y})"


class Federation(models.Model):
    """A GP federation: practices that share services or a legal vehicle."""

    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """A group of practices under one CCG, typically 30-50,000 patients.

    Plans call it a cluster, locality, network, Primary Care Home or, from 2019, a Primary
    Care Network. Its registered population is computed from its member practices' list
    sizes; ``stated_population`` keeps the figure a planning document gave.
    """

    class Kind(models.TextChoices):
        CLUSTER = "cluster", "Cluster"
        LOCALITY = "locality", "Locality"
        NETWORK = "network", "Network"
        PRIMARY_CARE_HOME = "primary_care_home", "Primary Care Home"
        PRIMARY_CARE_NETWORK = "pcn", "Primary Care Network"
        PRACTICE_GROUP = "practice_group", "Practice group"

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="clusters", verbose_name="CCG")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.CLUSTER)
    code = models.CharField(max_length=10, blank=True, help_text="The ODS code of a Primary Care Network, e.g. U12345.")
    stated_population = models.PositiveIntegerField(
        null=True, blank=True, help_text="The registered population a planning document gave, if any."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccg__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "name"], name="cluster_unique_name_in_ccg"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="cluster_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:cluster_detail", args=[self.pk])


class PracticeQuerySet(models.QuerySet):
    def open_on(self, on: dt.date) -> PracticeQuerySet:
        """Practices open on ``on``: opened by then, not yet closed, and active in ODS.

        ODS gives a practice's status now, not as it was: a dormant or proposed practice is
        never counted open, and a closed one only before its close date (a closed practice
        without a close date never).
        """
        return (
            self.filter(Q(open_date__isnull=True) | Q(open_date__lte=on))
            .filter(Q(close_date__isnull=True) | Q(close_date__gt=on))
            .filter(Q(status=Practice.Status.ACTIVE) | Q(status=Practice.Status.CLOSED, close_date__isnull=False))
        )

    def in_deprivation_decile(self, index: str, decile: int) -> PracticeQuerySet:
        """Practices in the same national deprivation decile of ``index`` (e.g. "IMD 2019")."""
        return self.filter(deprivation_scores__index=index, deprivation_scores__decile=decile)

    def in_cluster(self, cluster: Cluster, on: dt.date | None = None) -> PracticeQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(cluster_memberships__cluster=cluster),
            Q(cluster_memberships__start_date__lte=on),
            Q(cluster_memberships__end_date__isnull=True) | Q(cluster_memberships__end_date__gt=on),
        )

    def with_list_size(self, on: dt.date | None = None) -> PracticeQuerySet:
        """Annotate ``list_size`` and ``list_size_date``: the latest total on or before ``on``."""
        latest = ListSize.objects.totals().filter(practice=models.OuterRef("pk"))
        if on:
            latest = latest.filter(extract_date__lte=on)
        latest = latest.order_by(*ListSize.LATEST_FIRST)
        return self.annotate(
            list_size=models.Subquery(latest.values("patients")[:1]),
            list_size_date=models.Subquery(latest.values("extract_date")[:1]),
        )


class Practice(models.Model):
    """A GP practice holding a GMS, PMS or APMS contract, identified by its ODS code.

    ``ccg`` is the CCG that commissions the practice now, and scopes who may see it;
    ``ccg_memberships`` keeps the dated history.
    """

    class ContractType(models.TextChoices):
        GMS = "GMS", "GMS"
        PMS = "PMS", "PMS"
        APMS = "APMS", "APMS"
        UNKNOWN = "", "Not known"

    class ClinicalSystem(models.TextChoices):
        SYSTMONE = "systmone", "SystmOne"
        EMIS_WEB = "emis_web", "EMIS Web"
        VISION = "vision", "Vision"
        OTHER = "other", "Other"
        UNKNOWN = "", "Not known"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        DORMANT = "dormant", "Dormant"
        PROPOSED = "proposed", "Proposed"

    class Setting(models.TextChoices):
        """What kind of provider it is: NHS Digital's payments files also pay walk-in centres."""

        GP_PRACTICE = "gp_practice", "GP practice"
        WALK_IN_CENTRE = "walk_in_centre", "Walk-in centre"
        WALK_IN_OUT_OF_HOURS = "walk_in_out_of_hours", "Walk-in and out-of-hours centre"
        OTHER = "other", "Other setting"

    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ODS_PRACTICE_CODE])
    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[POSTCODE])
    telephone = models.CharField(max_length=30, blank=True)
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="practices", verbose_name="CCG")
    contract_type = models.CharField(max_length=4, choices=ContractType.choices, blank=True)
    clinical_system = models.CharField(max_length=10, choices=ClinicalSystem.choices, blank=True)
    federation = models.ForeignKey(
        Federation, on_delete=models.PROTECT, related_name="practices", null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    setting = models.CharField(max_length=24, choices=Setting.choices, default=Setting.GP_PRACTICE)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    ods_file_date = models.DateField(
        "ODS file date",
        null=True,
        blank=True,
        help_text="The date of the ODS epraccur file its name, address and status come from (the latest date in it).",
    )
    history = HistoricalRecords()

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="practice_closes_after_opening",
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=models.F("open_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def save(self, *args, **kwargs):
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:practice_detail", args=[self.pk])

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.county, self.postcode]
        return ", ".join(p for p in parts if p)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED or (
            self.close_date is not None and self.close_date <= timezone.localdate()
        )

    def cluster_on(self, on: dt.date | None = None) -> Cluster | None:
        membership = self.cluster_memberships.current(on).select_related("cluster").first()
        return membership.cluster if membership else None

    def deprivation(self) -> DeprivationScore | None:
        """The practice's score of the latest deprivation index held (IMD 2019 before IMD 2015)."""
        return self.deprivation_scores.order_by("-index").first()

    def list_size_on(self, on: dt.date | None = None) -> ListSize | None:
        sizes = self.list_sizes.totals()
        if on:
            sizes = sizes.filter(extract_date__lte=on)
        return sizes.order_by(*ListSize.LATEST_FIRST).first()


class MembershipQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))


class ClusterMembership(models.Model):
    """One practice's membership of one cluster from ``start_date`` until the day before ``end_date``."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="cluster_memberships")
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The first day the practice is no longer a member.")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "cluster", "start_date"], name="cluster_membership_unique_start"
            ),
            models.CheckConstraint(
                name="cluster_membership_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        end = f" to {self.end_date:%d %b %Y}" if self.end_date else ""
        return f"{self.practice} in {self.cluster} from {self.start_date:%d %b %Y}{end}"


class CCGMembership(models.Model):
    """One practice's membership of one CCG over a dated span (practices move when CCGs merge)."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="ccg_memberships")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="memberships", verbose_name="CCG")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The first day the practice is no longer in the CCG.")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "CCG membership"
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "ccg", "start_date"], name="ccg_membership_unique_start"),
            models.CheckConstraint(
                name="ccg_membership_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} in {self.ccg} from {self.start_date:%d %b %Y}"


class QOFYearMembership(models.Model):
    """One practice's CCG in one QOF year, as that year's QOF organisation reference gives it.

    NHS Digital sums a year's CCG figures under this CCG, which may differ from the dated
    ODS membership on any day of the year (2018-19 already uses the CCGs of April 2019).
    ``year_start`` is 1 April of the QOF year.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="qof_year_memberships")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="qof_year_memberships", verbose_name="CCG")
    year_start = models.DateField()
    source_file = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "QOF year membership"
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "year_start"], name="qof_year_membership_one_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} in {self.ccg_id}, QOF year from {self.year_start:%d %b %Y}"


class Site(models.Model):
    """A building a practice works from: its main surgery or a branch."""

    class Kind(models.TextChoices):
        MAIN = "main", "Main surgery"
        BRANCH = "branch", "Branch surgery"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.BRANCH)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, validators=[POSTCODE])
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(kind="main", close_date__isnull=True),
                name="site_one_open_main_surgery",
            ),
            models.CheckConstraint(
                name="site_closes_after_opening",
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=models.F("open_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    def save(self, *args, **kwargs):
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:practice_detail", args=[self.practice_id])


class ListSizeQuerySet(models.QuerySet):
    def totals(self) -> ListSizeQuerySet:
        return self.filter(sex=ListSize.Sex.ALL, age_band=ListSize.ALL_AGES)


class ListSize(models.Model):
    """The number of patients registered at a practice on one extract date.

    The total is the row with sex ``all`` and age band ``all``; other rows break it down.
    """

    ALL_AGES = "all"
    #: The figure a date uses: the latest extract on or before it; of two on one day, the same one every time.
    LATEST_FIRST = ("-extract_date", Lower("source"))

    class Sex(models.TextChoices):
        ALL = "all", "All persons"
        MALE = "male", "Male"
        FEMALE = "female", "Female"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="list_sizes")
    extract_date = models.DateField()
    sex = models.CharField(max_length=6, choices=Sex.choices, default=Sex.ALL)
    age_band = models.CharField(max_length=10, default=ALL_AGES, help_text="'all', or a band such as '0-4' or '85+'.")
    patients = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="The publication the figure comes from.")
    source_file = models.CharField(max_length=200, blank=True, help_text="The file the figure was imported from.")
    history = HistoricalRecords()

    objects = ListSizeQuerySet.as_manager()

    class Meta:
        ordering = ["-extract_date"]
        constraints = [
            # Two publications can count the same day (QOF and the payments file both use 1 January).
            models.UniqueConstraint(
                fields=["practice", "extract_date", "sex", "age_band", "source"],
                name="list_size_unique_per_extract",
            ),
        ]
        indexes = [models.Index(fields=["practice", "sex", "age_band", "-extract_date"], name="list_size_latest")]

    def __str__(self) -> str:
        return f"{self.practice.ods_code}: {self.patients:,} patients on {self.extract_date:%d %b %Y}"

    @property
    def source_text(self) -> str:
        return f"{self.source} ({self.source_file})" if self.source_file else self.source


class DeprivationScore(models.Model):
    """A practice's Index of Multiple Deprivation score: how deprived the places its registered
    patients live are, on average (OHID Fingertips, National General Practice Profiles).

    ``decile`` places the practice among the practices of England in the same file: 1 is the
    most deprived tenth (the highest scores), 10 the least. Fingertips publishes the score
    only, so the import works the decile out (see ``practices.reference.imd``): practices
    ranked by their stored score, highest first, equal scores sharing the rank of the first
    of them, decile = ceiling(10 x rank / practices ranked).
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="deprivation_scores")
    index = models.CharField(max_length=20, help_text="The index and its year, for example IMD 2019.")
    score = models.DecimalField(
        max_digits=6, decimal_places=3, help_text="The IMD score, 0 to 100; higher is more deprived."
    )
    decile = models.PositiveSmallIntegerField(
        help_text="1 is the most deprived tenth of practices in England, 10 the least."
    )
    practices_ranked = models.PositiveIntegerField(help_text="How many practices of England the decile ranks it among.")
    period = models.CharField(max_length=20, help_text="The time period the publisher gives, for example 2019.")
    source = models.CharField(max_length=200, help_text="The publication the score comes from.")
    source_file = models.CharField(max_length=200, blank=True, help_text="The file the score was imported from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-index"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "index"], name="deprivation_score_unique_per_index"),
            models.CheckConstraint(name="deprivation_decile_1_to_10", condition=Q(decile__gte=1, decile__lte=10)),
        ]

    def __str__(self) -> str:
        return f"{self.practice.ods_code}: {self.index} score {self.score}, decile {self.decile}"

    @property
    def decile_text(self) -> str:
        """'decile 3 of 10 (1 most deprived)'."""
        return f"decile {self.decile} of 10 (1 most deprived)"


class Role(models.Model):
    """What one person may do for one organisation.

    A commissioner edits everything of their CCG; a governing body member reads their CCG's
    dashboards and reports; a practice manager sees and submits for their practice; an
    administrator runs the portal.
    """

    class Kind(models.TextChoices):
        COMMISSIONER = "commissioner", "Commissioner"
        PRACTICE_MANAGER = "practice_manager", "Practice manager"
        GOVERNING_BODY = "governing_body", "Governing body member"
        ADMINISTRATOR = "administrator", "Administrator"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, null=True, blank=True, related_name="roles", verbose_name="CCG"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="roles")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="role_has_its_organisation",
                condition=(
                    Q(kind__in=["commissioner", "governing_body"], ccg__isnull=False, practice__isnull=True)
                    | Q(kind="practice_manager", practice__isnull=False, ccg__isnull=True)
                    | Q(kind="administrator", practice__isnull=True, ccg__isnull=True)
                ),
            ),
            # Three partial constraints rather than one with nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "kind", "ccg"], condition=Q(ccg__isnull=False), name="role_unique_ccg"
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "practice"], condition=Q(practice__isnull=False), name="role_unique_practice"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="administrator"), name="role_unique_administrator"
            ),
        ]

    def __str__(self) -> str:
        organisation = self.ccg or self.practice
        return f"{self.user}: {self.get_kind_display()}" + (f" of {organisation}" if organisation else "")


class ReferenceImport(BackgroundJob):
    """One run of a national reference-data import: which file, who asked, and what came of it.

    A run is queued, then run once by the worker (or straight away by ``manage.py
    import_reference``); a finished run is never run again. ``rejections`` keeps each
    rejected row's line number and reason, as the import reported them.
    """

    class Dataset(models.TextChoices):
        EPRACCUR = "epraccur", "ODS GP practices (epraccur)"
        QOF_ORGANISATIONS = "qof-organisations", "QOF organisation reference"
        LIST_SIZES = "list-sizes", "Patients registered at a GP practice"
        PRACTICE_MAP = "practice-map", "Practice to PCN, sub-ICB location and ICB map"
        PAYMENTS = "payments", "NHS Payments to General Practice"
        QOF_PREVALENCE = "qof-prevalence", "QOF disease prevalence"
        QOF_LIST_SIZES = "qof-list-sizes", "QOF practice list sizes"
        PAYMENTS_LIST_SIZES = "payments-list-sizes", "Registered patients in NHS Payments to General Practice"
        APPOINTMENTS = "appointments", "Appointments in General Practice (CCG level, monthly)"
        IMD = "imd", "Index of Multiple Deprivation 2019 by practice (Fingertips)"
        PCN_DESIGNATIONS = "pcn-designations", "PCNs and their core member practices (ODS ePCN)"

    dataset = models.CharField(max_length=20, choices=Dataset.choices)
    file_path = models.CharField(max_length=500, help_text="The file as the worker reads it.")
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, help_text="Of the file when the run was queued.")
    dry_run = models.BooleanField(default=False, help_text="Run everything, then roll back.")
    only_ccgs = models.JSONField(
        "only CCGs", default=list, blank=True, help_text="ODS codes; empty for all of England."
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True)
    outcome = models.JSONField(default=dict, blank=True, help_text="Warnings, notes and records written.")
    summary = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="reference_imports"
    )

    class Meta(BackgroundJob.Meta):
        pass

    @classmethod
    def reported_problems(cls) -> Q:
        """Failed, or an import (not a dry run) that rejected rows."""
        return super().reported_problems() | Q(dry_run=False, rejected__gt=0)

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} from {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("practices:reference_import_run", args=[self.pk])

    @property
    def file_name(self) -> str:
        return self.file_path.replace("\\", "/").rsplit("/", 1)[-1]
