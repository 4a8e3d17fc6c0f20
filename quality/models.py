"""Quality, resilience and contract management of GP practices by a delegated CCG.

What the CQC found (``CQCInspection``, ``CQCEnforcement``), what the CCG decided on a
practice's contract (``ContractEvent``), the concerns a quality information sharing group
logs (``Concern``), the vulnerable practice register (``ScoringRule`` ->
``VulnerabilityScore``, ``SupportOffer``) and QOF disease prevalence (``Prevalence``,
``PrevalenceBenchmark``).

Who sees what (``quality/visibility.py`` and ``quality/rules.py``): contract events, concerns
and scores belong to the CCG's commissioners; the governing body sees counts and the
register without the concerns' text; a practice manager sees their own practice's CQC
history and contract events, never its score or the concerns raised about it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import BackgroundJob
from portal.money import money_field
from practices.models import CCG, Practice


class Rating(models.TextChoices):
    """The CQC's four ratings, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


#: The five key questions the CQC asks of every practice, as (field, label).
KEY_QUESTIONS = [
    ("safe", "Safe"),
    ("effective", "Effective"),
    ("caring", "Caring"),
    ("responsive", "Responsive"),
    ("well_led", "Well-led"),
]


def _rating(label: str) -> models.CharField:
    return models.CharField(label, max_length=20, choices=Rating.choices, blank=True)


class CQCInspectionQuerySet(models.QuerySet):
    def latest_per_practice(self) -> CQCInspectionQuerySet:
        """Each practice's most recently published inspection."""
        latest = self.filter(practice_id=models.OuterRef("practice_id")).order_by("-publication_date", "-pk")
        return self.filter(pk=models.Subquery(latest.values("pk")[:1]))


class CQCInspection(models.Model):
    """One published CQC inspection report of a practice: its overall rating and the rating
    for each key question. A key question left blank was not rated in that report."""

    class Source(models.TextChoices):
        IMPORT = "import", "CQC ratings file"
        ENTERED = "entered", "Entered by the CCG"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="cqc_inspections")
    location_id = models.CharField("CQC location ID", max_length=20, blank=True, help_text="For example 1-543210987.")
    inspection_date = models.DateField(null=True, blank=True, help_text="The day of the site visit, if known.")
    publication_date = models.DateField(help_text="The day the CQC published the report.")
    overall = _rating("overall rating")
    safe = _rating("safe")
    effective = _rating("effective")
    caring = _rating("caring")
    responsive = _rating("responsive")
    well_led = _rating("well-led")
    report_url = models.URLField("report", blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ENTERED)
    history = HistoricalRecords()

    objects = CQCInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "CQC inspection"
        ordering = ["practice", "-publication_date"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "publication_date"], name="cqc_inspection_one_per_publication"),
            models.CheckConstraint(
                name="cqc_inspection_published_after_visit",
                condition=Q(inspection_date__isnull=True) | Q(publication_date__gte=models.F("inspection_date")),
            ),
        ]

    def __str__(self) -> str:
        rating = self.get_overall_display() or "not rated"
        return f"{self.practice.ods_code}: {rating}, published {self.publication_date:%d %b %Y}"

    @property
    def key_question_ratings(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, f"get_{name}_display")() or "Not rated") for name, label in KEY_QUESTIONS]


class CQCEnforcementQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> CQCEnforcementQuerySet:
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


class CQCEnforcement(models.Model):
    """A period of special measures, or a warning notice, the CQC placed on a practice,
    from ``start_date`` until the day before ``end_date`` (open while ``end_date`` is empty)."""

    class Kind(models.TextChoices):
        SPECIAL_MEASURES = "special_measures", "Special measures"
        WARNING_NOTICE = "warning_notice", "Warning notice"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="cqc_enforcements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The day the practice came out of it.")
    description = models.TextField(blank=True, help_text="For a warning notice, the regulation it cites.")
    history = HistoricalRecords()

    objects = CQCEnforcementQuerySet.as_manager()

    class Meta:
        verbose_name = "CQC special measures or warning notice"
        verbose_name_plural = "CQC special measures and warning notices"
        ordering = ["practice", "-start_date"]
        constraints = [
            models.CheckConstraint(
                name="cqc_enforcement_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        end = f" to {self.end_date:%d %b %Y}" if self.end_date else " (in force)"
        return f"{self.get_kind_display()} on {self.practice.ods_code} from {self.start_date:%d %b %Y}{end}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class ContractEventQuerySet(models.QuerySet):
    def undecided(self) -> ContractEventQuerySet:
        return self.filter(decision=ContractEvent.Decision.PENDING)

    def reviews_due_by(self, day: dt.date) -> ContractEventQuerySet:
        """Decided events whose review falls on or before ``day``."""
        return self.exclude(decision=ContractEvent.Decision.PENDING).filter(review_date__lte=day)


class ContractEvent(models.Model):
    """One application or notice about a practice's contract that a delegated CCG handles,
    from its receipt to the committee's decision and the review of that decision."""

    class Kind(models.TextChoices):
        LIST_CLOSURE = "list_closure", "List closure"
        BRANCH_CLOSURE = "branch_closure", "Branch closure"
        BOUNDARY_CHANGE = "boundary_change", "Boundary change"
        CONTRACT_VARIATION = "contract_variation", "Contract variation"
        MERGER = "merger", "Merger"
        NEW_PRACTICE = "new_practice", "New practice"
        CONTRACT_END = "contract_end", "Contract end or resignation"
        PARTNER_RETIREMENT = "partner_retirement", "Retirement of a partner"
        DES_SIGN_UP = "des_sign_up", "Directed Enhanced Service sign-up"
        IMPROVEMENT_GRANT = "improvement_grant", "Premises improvement grant"
        BREACH_NOTICE = "breach_notice", "Breach or remedial notice"

    class VariationScope(models.TextChoices):
        NATIONAL = "national", "National"
        LOCAL = "local", "Local"
        NONE = "", "Not a variation"

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="contract_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contract_type = models.CharField(
        max_length=4, choices=Practice.ContractType.choices, blank=True, help_text="GMS, PMS or APMS."
    )
    variation_scope = models.CharField(
        "national or local", max_length=8, choices=VariationScope.choices, blank=True,
        help_text="For a contract variation: a national variation or a local one.",
    )  # fmt: skip
    summary = models.TextField(help_text="What the practice asked for, or what the notice is about.")
    received_date = models.DateField()
    committee = models.CharField(
        "deciding committee", max_length=200, blank=True,
        help_text="For example the Primary Care Commissioning Committee.",
    )  # fmt: skip
    decision = models.CharField(max_length=24, choices=Decision.choices, default=Decision.PENDING)
    decision_date = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True, help_text="The conditions of an approval, or the terms of a notice.")
    review_date = models.DateField(null=True, blank=True, help_text="When the CCG looks at the decision again.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ContractEventQuerySet.as_manager()

    class Meta:
        ordering = ["-received_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="contract_event_decided_with_date",
                condition=Q(decision="pending", decision_date__isnull=True)
                | (~Q(decision="pending") & Q(decision_date__isnull=False)),
            ),
            models.CheckConstraint(
                name="contract_event_decided_after_receipt",
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=models.F("received_date")),
            ),
            models.CheckConstraint(
                name="contract_event_conditions_given",
                condition=~Q(decision="approved_with_conditions") | ~Q(conditions=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.practice.name}, received {self.received_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("quality:contract_event_detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.decision != self.Decision.PENDING

    def review_due_on(self, day: dt.date) -> bool:
        return self.is_decided and self.review_date is not None and self.review_date <= day

    def is_open_list_closure(self, day: dt.date) -> bool:
        """An application to close the list not yet decided, or an approved closure whose review is still ahead."""
        if self.kind != self.Kind.LIST_CLOSURE or self.received_date > day:
            return False
        if self.decision == self.Decision.PENDING:
            return True
        approved = self.decision in (self.Decision.APPROVED, self.Decision.APPROVED_WITH_CONDITIONS)
        return approved and self.decision_date <= day and (self.review_date is None or self.review_date > day)


class ContractReviewReminder(models.Model):
    """One email reminding a CCG's commissioners that a contract decision's review falls due.
    One per event and review date: a job run twice sends nothing twice, and a moved review
    date is reminded afresh."""

    event = models.ForeignKey(ContractEvent, on_delete=models.CASCADE, related_name="reminders")
    review_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(help_text="The email addresses it went to, one a line.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "review_date"], name="contract_review_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"Review reminder for {self.event} (review {self.review_date:%d %b %Y})"


class Organisation(models.TextChoices):
    """The bodies that sit on a quality information sharing group."""

    CCG = "ccg", "CCG"
    NHS_ENGLAND = "nhs_england", "NHS England"
    CQC = "cqc", "CQC"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    LMC = "lmc", "LMC"


class ConcernQuerySet(models.QuerySet):
    def open(self) -> ConcernQuerySet:
        return self.exclude(status=Concern.Status.CLOSED)


class Concern(models.Model):
    """One concern about a practice raised at the quality information sharing group, with
    the action the group agreed and who is doing it. The text is for the CCG's
    commissioners only."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_HAND = "in_hand", "Action in hand"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="concerns")
    raised_by = models.CharField(max_length=12, choices=Organisation.choices)
    raised_date = models.DateField()
    concern = models.TextField()
    agreed_action = models.TextField(blank=True)
    responsible = models.CharField("organisation responsible", max_length=12, choices=Organisation.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="concern_closed_has_date",
                condition=Q(status="closed", closed_date__isnull=False)
                | (~Q(status="closed") & Q(closed_date__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        raised = f"{self.get_raised_by_display()} on {self.raised_date:%d %b %Y}"
        return f"Concern about {self.practice.name} raised by {raised}"


class Domain(models.TextChoices):
    """The three domains of the vulnerable practice register."""

    QUALITY = "quality", "Quality"
    WORKFORCE = "workforce", "Workforce"
    CONTRACT = "contract", "Contract intelligence"


class RuleKey(models.TextChoices):
    """The rules of the vulnerable practice register; what each tests is in ``quality.scoring.RULES``."""

    CQC_INADEQUATE = "cqc_inadequate", "CQC rated inadequate"
    CQC_REQUIRES_IMPROVEMENT = "cqc_requires_improvement", "CQC rated requires improvement"
    SPECIAL_MEASURES = "special_measures", "In special measures"
    WARNING_NOTICE = "warning_notice", "CQC warning notice in force"
    PATIENTS_PER_GP_FTE = "patients_per_gp_fte", "Patients per GP FTE"
    GPS_AGED_55_PLUS = "gps_aged_55_plus", "GPs aged 55 and over"
    LONG_VACANCY = "long_vacancy", "Long-open vacancy"
    SINGLE_HANDED = "single_handed", "Single-handed GP"
    LIST_CLOSURE = "list_closure", "List closure"
    BREACH_NOTICE = "breach_notice", "Breach or remedial notice"
    MISSING_RETURNS = "missing_returns", "Missing returns"
    LOW_ONLINE_UPTAKE = "low_online_uptake", "Low online services uptake"


class ScoringRule(models.Model):
    """One rule of the vulnerable practice register with its threshold and points.

    A row without a CCG is the default every CCG starts from; a CCG's own row (made when a
    commissioner first changes a rule) overrides it. What each rule tests, and which way its
    threshold cuts, is written in ``quality.scoring.RULES``.
    """

    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, null=True, blank=True, related_name="scoring_rules", verbose_name="CCG"
    )
    key = models.CharField("rule", max_length=32, choices=RuleKey.choices)
    enabled = models.BooleanField(default=True)
    threshold = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccg", "key"]
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["ccg", "key"], condition=Q(ccg__isnull=False), name="scoring_rule_one_per_ccg"
            ),
            models.UniqueConstraint(fields=["key"], condition=Q(ccg__isnull=True), name="scoring_rule_one_default"),
        ]

    def __str__(self) -> str:
        owner = self.ccg.ods_code if self.ccg_id else "default"
        return f"{self.key} ({owner}): {self.points} points"


class VulnerabilityScoreQuerySet(models.QuerySet):
    def latest_per_practice(self) -> VulnerabilityScoreQuerySet:
        latest = self.filter(practice_id=models.OuterRef("practice_id")).order_by("-run_date", "-pk")
        return self.filter(pk=models.Subquery(latest.values("pk")[:1]))

    def in_ccg(self, ccg_id: int) -> VulnerabilityScoreQuerySet:
        return self.filter(ccg_id=ccg_id)


class VulnerabilityScore(models.Model):
    """A practice's vulnerability score on one run date, with the reasons it scored.

    Written by ``quality.tasks.compute_vulnerability_scores`` (a second run on the same day
    replaces that day's row); the register and the practice profile only read these rows.
    ``reasons`` is a list of ``{"rule", "domain", "points", "reason"}``.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="vulnerability_scores")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="vulnerability_scores", verbose_name="CCG")
    run_date = models.DateField()
    score = models.PositiveIntegerField()
    quality_points = models.PositiveIntegerField(default=0)
    workforce_points = models.PositiveIntegerField(default=0)
    contract_points = models.PositiveIntegerField("contract intelligence points", default=0)
    reasons = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = VulnerabilityScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-run_date", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "run_date"], name="vulnerability_score_one_per_run_date"),
        ]
        indexes = [models.Index(fields=["ccg", "run_date"], name="vulnerability_score_ccg_date")]

    def __str__(self) -> str:
        return f"{self.practice.ods_code} on {self.run_date:%d %b %Y}: {self.score}"


class SupportOffer(models.Model):
    """Support the CCG offered a practice on the register, and how it turned out."""

    class Kind(models.TextChoices):
        DIAGNOSTIC = "diagnostic", "Diagnostic"
        COACHING = "coaching", "Coaching"
        SPECIALIST_PRACTICE_MANAGER = "specialist_pm", "Specialist practice manager"
        RESILIENCE_FUNDING = "resilience", "GP Resilience Programme funding"
        VULNERABLE_PRACTICES_FUNDING = "vulnerable", "Vulnerable Practices funding"
        PEER_SUPPORT = "peer_support", "Peer support"

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted, under way"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"

    class Outcome(models.TextChoices):
        NOT_YET = "", "Not yet known"
        IMPROVED = "improved", "Improved"
        NO_CHANGE = "no_change", "No change"
        WORSE = "worse", "Worse"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="support_offers")
    kind = models.CharField("support", max_length=16, choices=Kind.choices)
    offered_date = models.DateField()
    amount = money_field("funding (£)", null=True, blank=True, help_text="For funding: the amount offered.")
    provider = models.CharField(max_length=200, blank=True, help_text="Who gives the support.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="support_offer_amount_positive", condition=Q(amount__isnull=True) | Q(amount__gt=Decimal("0"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} offered to {self.practice.name} on {self.offered_date:%d %b %Y}"


class Prevalence(models.Model):
    """One QOF disease register of one practice in one QOF year: the patients on the register
    and the list size of the register's list type (all ages, 17 and over, ...), both as
    NHS Digital published them. ``year_start`` is 1 April of the QOF year."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="prevalence")
    year_start = models.DateField()
    group = models.CharField("indicator group", max_length=8)
    register = models.PositiveIntegerField()
    list_type = models.CharField(max_length=8)
    list_size = models.PositiveIntegerField()

    class Meta:
        ordering = ["practice", "-year_start", "group"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "year_start", "group"], name="prevalence_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.group} {self.year_start:%Y}: {self.register}/{self.list_size}"

    @property
    def percent(self) -> float | None:
        return 100 * self.register / self.list_size if self.list_size else None


class PrevalenceBenchmark(models.Model):
    """The registers and list sizes of a disease summed over a CCG's practices (``ccg`` set)
    or over every practice in England (``ccg`` empty) in one QOF year, written by the import."""

    ccg = models.ForeignKey(
        CCG, on_delete=models.CASCADE, null=True, blank=True, related_name="prevalence_benchmarks", verbose_name="CCG"
    )
    year_start = models.DateField()
    group = models.CharField("indicator group", max_length=8)
    register = models.PositiveBigIntegerField()
    list_size = models.PositiveBigIntegerField()
    practices = models.PositiveIntegerField()

    class Meta:
        ordering = ["ccg", "-year_start", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["ccg", "year_start", "group"], condition=Q(ccg__isnull=False), name="prevalence_benchmark_ccg"
            ),
            models.UniqueConstraint(
                fields=["year_start", "group"], condition=Q(ccg__isnull=True), name="prevalence_benchmark_england"
            ),
        ]

    def __str__(self) -> str:
        area = self.ccg.ods_code if self.ccg_id else "England"
        return f"{area} {self.group} {self.year_start:%Y}"

    @property
    def percent(self) -> float | None:
        return 100 * self.register / self.list_size if self.list_size else None


class CQCImportRun(BackgroundJob):
    """One uploaded CQC ratings file, imported by the worker, all or nothing, into the
    practices of ``ccgs`` (those the uploader commissioned; none: an administrator's, every
    practice). ``errors`` holds each problem as ``{"line", "column", "message"}``."""

    file = models.FileField(upload_to="imports/cqc/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=200, help_text="As it was uploaded.")
    ccgs = models.ManyToManyField(CCG, blank=True, related_name="+", verbose_name="CCGs")
    all_practices = models.BooleanField(default=False, help_text="An administrator's import: every practice.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    saved = models.BooleanField(default=False)

    class Meta(BackgroundJob.Meta):
        verbose_name = "CQC ratings import"

    @classmethod
    def reported_problems(cls) -> Q:
        """Failed, or stopped by problems in the file (which then saved nothing)."""
        return super().reported_problems() | ~Q(errors=[])

    def __str__(self) -> str:
        return f"CQC ratings from {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("quality:cqc_import_run", args=[self.pk])
