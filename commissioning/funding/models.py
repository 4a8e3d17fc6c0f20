"""GP Forward View funding: streams, allocations, schemes (bids), spend and NHS payments.

A funding stream is one pot of money with its own rules (Practice Transformational Support,
Extended Access, ETTF, ...). A CCG is allocated a stream's money per financial year; clusters,
groups of practices or single practices bid for it with schemes, which a committee approves
or rejects; approved schemes commit the money, and their spend is recorded per quarter.
Separately, ``PracticePayment`` keeps what NHS Digital published as paid to each practice.

Money is ``Decimal`` pounds and pence (``portal.money``); financial years are stored as the
year they start (2017 is 2017/18) and quarters as their first day.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portal import models as portal_models
from portal.money import money_field, per_head
from portal.periods import FinancialYear, quarter_label, quarter_start
from portal.workflow import IllegalMove, StatusMachine
from practices.models import CCG, Cluster, Practice

__all__ = [
    "Allocation",
    "FundingStream",
    "PaymentLine",
    "PracticePayment",
    "Scheme",
    "SchemeAmount",
    "SchemeMilestone",
    "SchemeSpend",
    "StreamRate",
    "StreamRule",
]


def year_label(start_year: int | None) -> str:
    return str(FinancialYear(start_year)) if start_year else ""


class FundingStreamQuerySet(models.QuerySet):
    def for_ccg(self, ccg: CCG | int) -> FundingStreamQuerySet:
        """The national streams and the CCG's own."""
        ccg_id = ccg.pk if isinstance(ccg, CCG) else ccg
        return self.filter(Q(ccg__isnull=True) | Q(ccg_id=ccg_id))


class FundingStream(models.Model):
    """One pot of money for general practice, with its source, basis, rates and conditions.

    The GP Forward View streams are reference data loaded by a data migration; a CCG's
    commissioners add their own (``ccg`` set), which only that CCG sees.
    """

    class Source(models.TextChoices):
        NHS_ENGLAND = "nhs_england", "NHS England (national)"
        NHS_ENGLAND_REGION = "nhs_england_region", "NHS England (regional team)"
        CCG_BASELINE = "ccg_baseline", "CCG baseline"
        HEALTH_EDUCATION_ENGLAND = "hee", "Health Education England"
        OTHER = "other", "Other"

    class Basis(models.TextChoices):
        PER_HEAD = "per_head", "Per head of registered population"
        BID = "bid", "Bid"
        FORMULA = "formula", "Formula"
        FIXED_SUM = "fixed_sum", "Fixed sum"

    code = models.SlugField(max_length=60, unique=True, help_text="A short fixed name, e.g. extended-access.")
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text="For charts, e.g. 'Extended access'.")
    source = models.CharField(max_length=20, choices=Source.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    recurrent = models.BooleanField(default=False, help_text="Recurrent money continues year after year.")
    first_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year its first financial year starts: 2017 for 2017/18."
    )
    last_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year its last financial year starts; blank if it has no end."
    )
    national_total = money_field("national total (£)", null=True, blank=True)
    national_total_note = models.CharField(
        max_length=100, blank=True, help_text="What the national total covers, e.g. 'over 3 years'."
    )
    rate_note = models.CharField(
        max_length=200, blank=True, help_text="A rate that is not per head, e.g. '£76.92 per session per week'."
    )
    conditions = models.TextField(blank=True, help_text="The conditions as the planning documents write them.")
    ccg = models.ForeignKey(
        CCG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_streams",
        verbose_name="CCG",
        help_text="Blank for a national stream; set for a stream one CCG added for itself.",
    )
    history = HistoricalRecords()

    objects = FundingStreamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="funding_stream_years_in_order",
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(last_year__gte=models.F("first_year")),
            ),
            models.CheckConstraint(
                name="funding_stream_national_total_not_negative",
                condition=Q(national_total__isnull=True) | Q(national_total__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioning:funding_stream_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_per_head(self) -> bool:
        return self.basis == self.Basis.PER_HEAD

    @property
    def is_national(self) -> bool:
        return self.ccg_id is None

    @property
    def period_label(self) -> str:
        if self.first_year is None:
            return "No dates given"
        first = year_label(self.first_year)
        if self.last_year is None:
            return f"From {first}"
        return first if self.last_year == self.first_year else f"{first}-{year_label(self.last_year)}"

    def runs_in(self, start_year: int) -> bool:
        return (self.first_year is None or start_year >= self.first_year) and (
            self.last_year is None or start_year <= self.last_year
        )

    def rate_for(self, start_year: int) -> StreamRate | None:
        """The per-head rate that covers the financial year starting in ``start_year``."""
        return next((r for r in self.rates.all() if r.covers(start_year)), None)


class StreamRate(models.Model):
    """A per-head rate of a stream over one or more financial years.

    '£3 per head over 2017/18-2018/19' is one rate spanning two years: the CCG's allocations
    in those years together are compared with registered population x £3. '£3.34 per head in
    2018/19' spans one year. ``population_date`` is the day whose registered list sizes count.
    """

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="rates")
    first_year = models.PositiveSmallIntegerField(
        help_text="The year the first financial year starts: 2017 for 2017/18."
    )
    last_year = models.PositiveSmallIntegerField(help_text="The same as the first year for a rate of one year.")
    rate_per_head = money_field("rate per head (£)")
    population_date = models.DateField(
        "registered population on",
        help_text="The list sizes of this day give the expected amount, e.g. 1 Jan 2017 for 2017/18.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["stream", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "first_year"], name="stream_rate_unique_first_year"),
            models.CheckConstraint(
                name="stream_rate_years_in_order", condition=Q(last_year__gte=models.F("first_year"))
            ),
            models.CheckConstraint(name="stream_rate_positive", condition=Q(rate_per_head__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.stream}: {self.describe()}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def period_label(self) -> str:
        first = year_label(self.first_year)
        return first if self.last_year == self.first_year else f"{first}-{year_label(self.last_year)}"

    def covers(self, start_year: int) -> bool:
        return self.first_year <= start_year <= self.last_year

    def describe(self) -> str:
        word = "in" if self.first_year == self.last_year else "over"
        return f"£{self.rate_per_head:,.2f} per head {word} {self.period_label}"


class StreamRule(models.Model):
    """A condition of a stream the portal checks on every scheme that bids for it.

    A rule with a CCG is that CCG's own (Luton: practice transformation money only for schemes
    covering at least 50,000 patients) and applies to its schemes only.
    """

    class Kind(models.TextChoices):
        MIN_POPULATION = "min_population", "Covers at least this many registered patients"
        MIN_PRACTICES = "min_practices", "Covers at least this many practices"
        MAX_REQUEST = "max_request", "Asks for at most this many pounds in any one financial year"
        MAX_PER_HEAD = "max_per_head", "Asks for at most this many pounds per registered patient per year"

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="rules")
    ccg = models.ForeignKey(
        CCG,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_rules",
        verbose_name="CCG",
        help_text="Blank: the rule applies to every CCG's schemes.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2, help_text="Patients, practices or pounds.")
    description = models.TextField(help_text="The rule as written, with where it comes from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["stream", "kind"]
        constraints = [
            models.CheckConstraint(name="stream_rule_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.stream}: {self.summary}"

    @property
    def summary(self) -> str:
        """The rule in words: 'covers at least 50,000 registered patients'."""
        value = f"{self.value:,.2f}"
        count = f"{int(self.value):,}"
        return {
            self.Kind.MIN_POPULATION: f"covers at least {count} registered patients",
            self.Kind.MIN_PRACTICES: f"covers at least {count} practices",
            self.Kind.MAX_REQUEST: f"asks for at most £{value} in any one financial year",
            self.Kind.MAX_PER_HEAD: f"asks for at most £{value} per registered patient a year",
        }[self.kind]

    def applies_to(self, ccg_id: int) -> bool:
        return self.ccg_id is None or self.ccg_id == ccg_id


class AllocationQuerySet(models.QuerySet):
    def in_year(self, start_year: int) -> AllocationQuerySet:
        return self.filter(financial_year=start_year)


class Allocation(models.Model):
    """The amount of one stream notified to one CCG for one financial year.

    For a per-head stream the portal also computes the amount it expected, from the CCG's
    registered population (see ``selectors.expected_amounts``); ``population_date`` replaces
    the rate's date when the CCG was notified on other list sizes, or the portal holds none then.
    """

    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="allocations")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="funding_allocations", verbose_name="CCG")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2018 for 2018/19.")
    amount = money_field("amount notified (£)")
    notified_on = models.DateField(null=True, blank=True)
    reference = models.CharField(
        max_length=200, blank=True, help_text="Where the figure comes from, e.g. 'GPFV plan 2017-19, table 4'."
    )
    population_date = models.DateField(
        "registered population on",
        null=True,
        blank=True,
        help_text="Leave blank to use the stream's reference date for the year.",
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["ccg", "stream__name", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "ccg", "financial_year"], name="allocation_one_per_stream_ccg_year"
            ),
            models.CheckConstraint(name="allocation_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.stream} for {self.ccg.name}, {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:allocation_detail", args=[self.pk])

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.financial_year)

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)


class SchemeQuerySet(models.QuerySet):
    def approved(self) -> SchemeQuerySet:
        return self.filter(status__in=Scheme.APPROVED)

    def including_practices(self, practice_ids) -> SchemeQuerySet:
        return self.filter(
            pk__in=Scheme.practices.through.objects.filter(practice_id__in=practice_ids).values("scheme_id")
        )


class Scheme(models.Model):
    """A bid by a cluster, a group of practices or one practice for money from a stream.

    The practices covered give its registered population (computed on ``population_date``,
    never typed). It runs draft -> submitted -> approved / approved with conditions /
    rejected; the decision records the committee, date and minute, who recorded it and when,
    and, when the portal's checks failed, the override reason and the checks overridden.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        REJECTED = "rejected", "Rejected"

    class Applicant(models.TextChoices):
        CLUSTER = "cluster", "A cluster"
        PRACTICE_GROUP = "practice_group", "A group of practices"
        PRACTICE = "practice", "A single practice"

    APPROVED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS)
    DECIDED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS, Status.REJECTED)

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="funding_schemes", verbose_name="CCG")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="schemes")
    title = models.CharField(max_length=200)
    applicant = models.CharField("who is bidding", max_length=16, choices=Applicant.choices)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, null=True, blank=True, related_name="funding_schemes"
    )
    practices = models.ManyToManyField(
        Practice, blank=True, related_name="funding_schemes", verbose_name="practices covered"
    )
    purpose = models.TextField()
    business_case = models.TextField("business case summary", blank=True)
    population_date = models.DateField(
        "registered population on", help_text="The list sizes of this day give the population covered."
    )
    annual_revenue_cost = money_field(
        "recurring cost each year afterwards (£)",
        null=True,
        blank=True,
        help_text="For example the reimbursable rent of a new building.",
    )
    actions = models.ManyToManyField(
        "commissioning.Action", blank=True, related_name="funding_schemes", verbose_name="GP Forward View actions"
    )
    high_impact_actions = models.ManyToManyField(
        "commissioning.HighImpactAction", blank=True, related_name="funding_schemes"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committee = models.CharField("deciding committee", max_length=200, blank=True)
    decided_on = models.DateField("date of the decision", null=True, blank=True)
    minute_reference = models.CharField(max_length=100, blank=True)
    conditions = models.TextField("conditions of approval", blank=True)
    decision_reason = models.TextField("reason for the decision", blank=True)
    override_reason = models.TextField(
        blank=True, help_text="Why the scheme was approved although some of the portal's checks failed."
    )
    overridden_checks = models.JSONField(default=list, blank=True, help_text="The checks that failed at approval.")
    decision_recorded_at = models.DateTimeField(null=True, blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[practices, actions, high_impact_actions])

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["ccg", "stream__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "title"], name="scheme_unique_title_in_ccg"),
            models.CheckConstraint(
                name="scheme_decision_recorded",
                condition=Q(status__in=["draft", "submitted"])
                | (
                    Q(decided_on__isnull=False, decision_recorded_at__isnull=False, decision_recorded_by__isnull=False)
                    & ~Q(committee="")
                ),
            ),
            models.CheckConstraint(
                name="scheme_conditions_with_conditional_approval",
                condition=~Q(status="approved_with_conditions") | ~Q(conditions=""),
            ),
            models.CheckConstraint(
                name="scheme_override_has_reason",
                condition=Q(overridden_checks=[]) | ~Q(override_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commissioning:scheme_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status in self.APPROVED

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def is_editable(self) -> bool:
        """Only a draft's bid (practices, amounts, purpose) can change."""
        return self.status == self.Status.DRAFT

    @property
    def was_overridden(self) -> bool:
        return bool(self.overridden_checks)


class SchemeStatusError(IllegalMove):
    """The scheme cannot take this step from where it is."""


_S = Scheme.Status
#: draft -> submitted -> approved / approved with conditions / rejected; a submitted scheme
#: can be sent back to draft. Each move is a ``portal.StatusMove``.
SCHEME_WORKFLOW = StatusMachine(
    status=Scheme.Status,
    moves={
        _S.DRAFT: {_S.SUBMITTED},
        _S.SUBMITTED: {_S.DRAFT, _S.APPROVED, _S.APPROVED_WITH_CONDITIONS, _S.REJECTED},
        _S.APPROVED: set(),
        _S.APPROVED_WITH_CONDITIONS: set(),
        _S.REJECTED: set(),
    },
    noun="funding scheme",
    error=SchemeStatusError,
)


class SchemeAmount(models.Model):
    """The amount a scheme asks for in one financial year; an approved scheme commits it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="amounts")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2018 for 2018/19.")
    amount = money_field("amount requested (£)")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "financial_year"], name="scheme_amount_one_per_year"),
            models.CheckConstraint(name="scheme_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: £{self.amount:,.2f} in {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)


class SchemeMilestone(portal_models.Milestone):
    """A dated step of a scheme, such as 'hub opens at weekends'."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="milestones")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "due_date", "title"]


class SchemeSpend(models.Model):
    """What a scheme spent (actual) or expects to spend (forecast) in one quarter.

    ``quarter`` is the quarter's first day (1 April, 1 July, 1 October or 1 January). Once
    the actual is known it replaces the forecast in the forecast outturn.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="spend")
    quarter = models.DateField(help_text="The first day of the quarter.")
    actual = money_field("actual spend (£)", null=True, blank=True)
    forecast = money_field("forecast spend (£)", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "scheme spend"
        ordering = ["scheme", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "quarter"], name="scheme_spend_one_per_quarter"),
            models.CheckConstraint(
                name="scheme_spend_has_a_figure", condition=Q(actual__isnull=False) | Q(forecast__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}, {self.quarter_label}"

    def clean(self):
        if self.quarter and self.quarter != quarter_start(self.quarter):
            raise ValidationError({"quarter": "Give the first day of the quarter, e.g. 1 April 2018."})

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def financial_year(self) -> int:
        return FinancialYear.containing(self.quarter).start_year

    @property
    def outturn(self) -> Decimal | None:
        return self.actual if self.actual is not None else self.forecast


class PracticePaymentQuerySet(models.QuerySet):
    def in_year(self, start_year: int) -> PracticePaymentQuerySet:
        return self.filter(financial_year=start_year)

    def in_ccg(self, ccg: CCG | int) -> PracticePaymentQuerySet:
        return self.filter(ccg=ccg)

    def with_per_patient(self) -> PracticePaymentQuerySet:
        """Only rows with registered patients, so payments per patient mean something."""
        return self.filter(registered_patients__gt=0, per_registered_patient__isnull=False)


class PracticePayment(models.Model):
    """What NHS England paid one practice in one financial year, as NHS Digital published it.

    Totals, patients and the practice's contract type are columns; each payment line (global
    sum, QOF, each enhanced service, premises, ...) is a ``PaymentLine`` row. Lines are rows,
    not columns, because NHS Digital's releases add, rename and drop lines from year to year
    (PCN payments from 2019-20, COVID lines from 2020-21): a new line is a new kind of row,
    not a schema change, and 'total by line for a CCG' is one GROUP BY. Zero lines are not
    stored. ``ccg`` is the CCG the release placed the practice in that year.
    ``per_registered_patient`` is ``total_payments / registered_patients``, to the penny,
    worked out on import, as NHS Digital's 'average payments per registered patient'.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="payments")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2018 for 2018/19.")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="practice_payments", verbose_name="CCG")
    contract_type = models.CharField(max_length=4, choices=Practice.ContractType.choices, blank=True)
    dispensing = models.BooleanField("dispensing practice", null=True, blank=True)
    rurality = models.CharField(max_length=30, blank=True)
    # Six places: a practice open for part of the year has an average such as 4496.333333, and
    # NHS Digital's payments per patient divide by the unrounded figure.
    registered_patients = models.DecimalField(
        max_digits=14, decimal_places=6, help_text="The last known figure in the year; part-year practices average it."
    )
    weighted_patients = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    total_payments = money_field("total NHS payments (£)")
    deductions = money_field(
        "deductions (£)", default=Decimal("0.00"), help_text="Pensions, levies and prescription charge income."
    )
    net_payments = money_field("total NHS payments minus deductions (£)")
    per_registered_patient = money_field("payments per registered patient (£)", null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = PracticePaymentQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "financial_year"], name="practice_payment_one_per_year"),
            models.CheckConstraint(
                name="practice_payment_patients_not_negative", condition=Q(registered_patients__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["ccg", "financial_year"], name="practice_payment_ccg_year")]

    def __str__(self) -> str:
        return f"{self.practice.ods_code}: NHS payments {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    def compute_per_patient(self) -> None:
        self.per_registered_patient = per_head(self.total_payments, self.registered_patients)


class PaymentLineQuerySet(models.QuerySet):
    def within_total(self) -> PaymentLineQuerySet:
        """The lines that add up to the payment's total (not those paid beside it)."""
        return self.exclude(kind__in=PaymentLine.BESIDE_TOTAL)

    def beside_total(self) -> PaymentLineQuerySet:
        return self.filter(kind__in=PaymentLine.BESIDE_TOTAL)


class PaymentLine(models.Model):
    """One line of a practice's payments in a year, such as its global sum or QOF payments.

    Only the payments import writes lines, and any change to a line changes its payment's
    totals, so the payment's history records it; lines keep no history of their own. The
    lines within the total add up to it to the penny; those in ``BESIDE_TOTAL`` (PCN and
    COVID-19 payments from 2020-21) were paid besides and are kept apart on every page.
    """

    class Kind(models.TextChoices):
        GLOBAL_SUM = "global_sum", "Global sum"
        MPIG = "mpig", "MPIG correction factor"
        PMS_BALANCE = "pms_balance", "Balance of PMS expenditure"
        QOF = "qof", "QOF payments"
        CHILDHOOD_IMMUNISATION = "childhood_immunisation", "Childhood vaccination and immunisation scheme"
        EXTENDED_HOURS = "extended_hours", "GP extended hours access"
        FLU_PNEUMOCOCCAL = "flu_pneumococcal", "Influenza and pneumococcal immunisations"
        LEARNING_DISABILITIES = "learning_disabilities", "Learning disabilities"
        MENINGITIS = "meningitis", "Meningitis"
        MINOR_SURGERY = "minor_surgery", "Minor surgery"
        OUT_OF_AREA = "out_of_area", "Out of area in-hours urgent care"
        PERTUSSIS = "pertussis", "Pertussis"
        ROTAVIRUS_SHINGLES = "rotavirus_shingles", "Rotavirus and shingles immunisation"
        VIOLENT_PATIENTS = "violent_patients", "Services for violent patients"
        LOCAL_INCENTIVES = "local_incentives", "Local incentive schemes"
        PREMISES = "premises", "Premises payments"
        SENIORITY = "seniority", "Seniority"
        RETAINER = "retainer", "Doctors retainer scheme payments"
        LOCUM = "locum", "Locum allowances"
        APPRAISAL = "appraisal", "Appraisal costs"
        STUDY_LEAVE = "study_leave", "Prolonged study leave"
        PCO_ADMIN = "pco_admin", "PCO admin, other"
        IM_AND_T = "im_and_t", "Information management and technology"
        NON_DES_IMMUNISATION = "non_des_immunisation", "Non-DES pneumococcal and childhood immunisation"
        GPFV = "gpfv", "General Practice Forward View"
        PRESCRIBING_FEES = "prescribing_fees", "Prescribing fee payments"
        DISPENSING_FEES = "dispensing_fees", "Dispensing fee payments"
        DRUG_REIMBURSEMENT = "drug_reimbursement", "Reimbursement of drugs"
        DEMENTIA = "dementia", "Facilitating timely diagnosis and support for people with dementia"
        UNPLANNED_ADMISSIONS = "unplanned_admissions", "Unplanned admissions"
        NATIONAL_ENHANCED = "national_enhanced", "National enhanced services (other)"
        LOCAL_ENHANCED = "local_enhanced", "Local enhanced services"
        PCN_PARTICIPATION = "pcn_participation", "PCN participation"
        ALCOHOL = "alcohol", "Alcohol"
        PATIENT_ONLINE = "patient_online", "Improving patient online access"
        PATIENT_PARTICIPATION = "patient_participation", "Patient participation"
        REMOTE_CARE = "remote_care", "Remote care monitoring"
        RISK_PROFILING = "risk_profiling", "Risk profiling and case management"
        MEDICAL_ASSESSMENT = "medical_assessment", "Medical assessment reviews"
        WEIGHT_MANAGEMENT = "weight_management", "Weight management service"
        WINTER_ACCESS = "winter_access", "Winter access fund"
        OTHER = "other", "Other payments"
        NOT_ITEMISED = "not_itemised", "Not itemised by a line the portal knows"
        # Paid beside "Total NHS Payments to General Practice", not part of it (2020-21 on).
        PCN_LEADERSHIP = "pcn_leadership", "PCN leadership"
        PCN_SUPPORT = "pcn_support", "PCN support"
        PCN_EXTENDED_HOURS = "pcn_extended_hours", "PCN extended hours access"
        PCN_WORKFORCE = "pcn_workforce", "PCN workforce"
        PCN_INVESTMENT_IMPACT = "pcn_investment_impact", "PCN Investment and Impact Fund"
        PCN_CARE_HOME = "pcn_care_home", "PCN care home premium"
        COVID_IMMUNISATION = "covid_immunisation", "COVID-19 immunisation"
        COVID_SUPPORT = "covid_support", "COVID-19 support and expansion"
        LONG_COVID = "long_covid", "Long COVID"
        PCN_ENHANCED_ACCESS = "pcn_enhanced_access", "PCN enhanced access"

    #: Lines NHS Digital publishes beside the practice's total NHS payments, not within it: the
    #: total is the sum of the other lines, and these are added to it only in the release's
    #: "Total NHS Payments including ..." columns.
    BESIDE_TOTAL = frozenset(
        {
            Kind.PCN_LEADERSHIP, Kind.PCN_SUPPORT, Kind.PCN_EXTENDED_HOURS, Kind.PCN_WORKFORCE,
            Kind.PCN_INVESTMENT_IMPACT, Kind.PCN_CARE_HOME, Kind.COVID_IMMUNISATION, Kind.COVID_SUPPORT,
            Kind.LONG_COVID, Kind.PCN_ENHANCED_ACCESS,
        }
    )  # fmt: skip

    payment = models.ForeignKey(PracticePayment, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    amount = money_field("amount (£)")

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        ordering = ["payment", "kind"]
        constraints = [models.UniqueConstraint(fields=["payment", "kind"], name="payment_line_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.amount:,.2f}"


# The history models simple-history made (with those of the many-to-many fields), so that
# ``from .funding.models import *`` puts them in ``commissioning.models`` as Django expects.
__all__ += [name for name in list(globals()) if name.startswith("Historical") and name != "HistoricalRecords"]

from . import rules as _rules  # noqa: E402, F401  registers the funding permissions with ``rules``
