"""General Practice Forward View plans: the national frame, a CCG's plan and its versions,
local actions with milestones and trajectories, progress reports and the risk register.

A plan's versions are snapshots in time. Actions and the rest are edited in place; an
approved version is the state of the plan at the moment it was approved, read back from
the change history, so it can never be edited. An edit after approval opens the next
version as a draft (see ``commissioning/services.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal import display
from portal import models as portal_models
from portal.periods import FinancialYear, period_end, quarter_label
from portal.snapshots import AsAtQuerySet, SnapshotModel, end_of_day
from portal.workflow import IllegalMove, StatusMachine
from practices.models import CCG, Cluster, Practice


class Chapter(models.Model):
    """One of the five chapters of the GP Forward View (Investment, Workforce, ...)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class NationalCommitment(models.Model):
    """A commitment NHS England made in the GP Forward View, such as 5,000 more GPs."""

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="commitments")
    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=300)
    national_figure = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="The national number, where it has one."
    )
    unit = models.CharField(max_length=60, blank=True, help_text="What the figure counts, e.g. 'GPs'.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter__order", "order", "title"]

    def __str__(self) -> str:
        return self.title


class HighImpactAction(models.Model):
    """One of the 10 High Impact Actions to release time for care."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Plan(models.Model):
    """A CCG's GP Forward View plan for a span of financial years, e.g. 2017/18-2018/19."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="plans", verbose_name="CCG")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(help_text="The year the first financial year starts, e.g. 2017.")
    last_year = models.PositiveSmallIntegerField(help_text="The year the last financial year starts, e.g. 2018.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccg__name", "-first_year"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "first_year", "last_year"], name="plan_unique_span_per_ccg"),
            models.CheckConstraint(name="plan_years_in_order", condition=Q(last_year__gte=models.F("first_year"))),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:plan_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        first, last = FinancialYear(self.first_year), FinancialYear(self.last_year)
        return str(first) if first == last else f"{first}-{last}"

    @property
    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    """One version of a plan: a draft being written, submitted, or approved by a committee.

    An approved version is frozen: its content is the plan as it stood at ``approved_at``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approving_committee = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField("date of the committee's decision", null=True, blank=True)
    minute_reference = models.CharField(max_length=100, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True, help_text="When the approval was recorded.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=~Q(status="approved"), name="plan_version_one_open_version"
            ),
            models.CheckConstraint(
                name="plan_version_approval_recorded",
                condition=~Q(status="approved")
                | Q(approved_at__isnull=False, approved_on__isnull=False) & ~Q(approving_committee=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: version {self.number} ({self.get_status_display().lower()})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def approval_label(self) -> str:
        """'Version 2, approved by the Primary Care Commissioning Committee on 12 March 2018, minute PCCC/18/03'."""
        if not self.is_frozen:
            return f"Version {self.number} ({self.get_status_display().lower()}, not approved)"
        committee = self.approving_committee
        if not committee.lower().startswith("the "):
            committee = f"the {committee}"
        minute = f", minute {self.minute_reference}" if self.minute_reference else ""
        return f"Version {self.number}, approved by {committee} on {display.long_date(self.approved_on)}{minute}"


class PlanVersionError(IllegalMove):
    """A version was asked to move to a status it cannot reach from where it is."""


_V = PlanVersion.Status
#: A draft is submitted for approval; a submitted version is approved (and frozen) or sent
#: back to draft. Each move is a ``portal.StatusMove``.
PLAN_VERSION_WORKFLOW = StatusMachine(
    status=PlanVersion.Status,
    moves={_V.DRAFT: {_V.SUBMITTED}, _V.SUBMITTED: {_V.DRAFT, _V.APPROVED}, _V.APPROVED: set()},
    noun="plan version",
    error=PlanVersionError,
)


class TaskAndFinishGroup(models.Model):
    """A group that leads a set of actions and reports on them, e.g. the Workforce group."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="task_groups", verbose_name="CCG")
    name = models.CharField(max_length=200)
    chair = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ccg", "name"], name="task_group_unique_name_in_ccg")]

    def __str__(self) -> str:
        return self.name


def action_overdue_rule(*, due_date: dt.date | None, status: str, on: dt.date) -> bool:
    """Overdue on a date: the due date in force on it has passed and the status in force on it
    is not achieved. The one definition; ``action_overdue_q`` is the same rule in SQL."""
    return due_date is not None and due_date < on and status != Action.Status.ACHIEVED


def action_overdue_q(on: dt.date, *, due: str = "due_on", status: str = "status_on") -> Q:
    """``action_overdue_rule`` as a filter on the as-at annotations (or any two columns)."""
    return Q(**{f"{due}__lt": on}) & ~Q(**{status: Action.Status.ACHIEVED})


class ActionQuerySet(AsAtQuerySet):
    AS_AT_FIELDS = {"status": "status_on", "rag": "rag_on", "rag_reason": "rag_reason_on", "due_date": "due_on"}

    def annotate_as_at(self, on: dt.date) -> ActionQuerySet:
        """Each action as it stood on ``on``, from its status changes: annotates ``status_on``,
        ``rag_on``, ``rag_reason_on``, ``due_on`` (the latest change effective on or before
        ``on``, ties by when it was recorded) and ``overdue``. Actions with no change by then
        were not yet in the plan and are left out. Fetched instances carry the as-at values
        in ``status``, ``rag``, ``rag_reason`` and ``due_date`` (see ``AsAtIterable``)."""
        latest = ActionStatusChange.objects.filter(action=models.OuterRef("pk"), effective_on__lte=on).order_by(
            "-effective_on", "-recorded_at", "-pk"
        )

        def field(name, output):
            return models.Subquery(latest.values(name)[:1], output_field=output)

        qs = self.annotate(
            status_on=field("status", models.CharField()),
            rag_on=field("rag", models.CharField()),
            rag_reason_on=field("rag_reason", models.TextField()),
            due_on=field("due_date", models.DateField()),
        ).filter(status_on__isnull=False)
        # Case, not a bare expression: with no due date the comparison is NULL, and NULL is not False.
        qs = qs.annotate(
            overdue=models.Case(
                models.When(action_overdue_q(on), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )
        return qs

    def overdue(self, on: dt.date | None = None) -> ActionQuerySet:
        return self.as_at(on).filter(overdue=True)

    def overdue_since(self, since: dt.date, on: dt.date | None = None) -> ActionQuerySet:
        """Overdue on ``on`` (today if not given) and due from ``since`` on: the actions that went
        overdue after ``since`` (the digest's "newly overdue", the home page's last 14 days)."""
        return self.overdue(on).filter(due_on__gte=since)

    def not_overdue(self, on: dt.date | None = None) -> ActionQuerySet:
        return self.as_at(on).filter(overdue=False)

    def open(self, on: dt.date | None = None) -> ActionQuerySet:
        """Actions not achieved as at ``on`` (today if not given), with the ``as_at`` annotations."""
        return self.as_at(on).exclude(status_on=Action.Status.ACHIEVED)

    def red(self, on: dt.date | None = None) -> ActionQuerySet:
        """Open actions rated red as at ``on`` (today if not given)."""
        return self.open(on).filter(rag_on=Action.RAG.RED)

    def visible_to_practice(self, practice_ids, cluster_ids) -> ActionQuerySet:
        return self.filter(Q(practices__in=practice_ids) | Q(clusters__in=cluster_ids)).distinct()


class Action(SnapshotModel):
    """A local action (project) in a CCG's plan, answering national commitments."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved and closed"
        ON_HOLD = "on_hold", "On hold"

    class RAG(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        NONE = "", "Not rated"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    local_code = models.CharField(max_length=30, help_text="The CCG's own reference, e.g. PC01 or PC01/06.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="actions")
    commitments = models.ManyToManyField(NationalCommitment, blank=True, related_name="actions")
    high_impact_actions = models.ManyToManyField(HighImpactAction, blank=True, related_name="actions")
    strategy_reference = models.CharField(
        max_length=200, blank=True, help_text="The local strategy it aligns to, e.g. 'Objective 1.3 - page 22'."
    )
    lead = models.CharField(max_length=200, blank=True, help_text="The person who leads it.")
    task_group = models.ForeignKey(
        TaskAndFinishGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="task and finish group",
    )
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="plan_actions")
    practices = models.ManyToManyField(Practice, blank=True, related_name="plan_actions")
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField("RAG rating", max_length=5, choices=RAG.choices, blank=True)
    rag_reason = models.TextField("reason for the RAG rating", blank=True)
    history = HistoricalRecords(m2m_fields=[commitments, high_impact_actions, clusters, practices])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "local_code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "local_code"], name="action_unique_code_in_plan"),
            models.CheckConstraint(
                name="action_due_after_start",
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="action_red_or_amber_has_reason", condition=Q(rag__in=["", "green"]) | ~Q(rag_reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:action_detail", args=[self.pk])

    def state_on(self, on: dt.date) -> ActionStatusChange | None:
        """The status change in force on ``on`` (``None``: not yet in the plan)."""
        return self.status_changes.filter(effective_on__lte=on).order_by("-effective_on", "-recorded_at", "-pk").first()

    def is_overdue_on(self, on: dt.date) -> bool:
        """Overdue on a date (``action_overdue_rule``) by the state in force on it. Computed, never typed."""
        if getattr(self, "as_at_date", None) == on:
            return self.overdue
        state = self.state_on(on)
        if state is None:
            return False
        return action_overdue_rule(due_date=state.due_date, status=state.status, on=on)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class ActionStatusChange(models.Model):
    """One change of an action's status, RAG or due date: the state from ``effective_on`` (the
    date the commissioner says it took effect, which may be before it was typed) until the next
    change. Written by ``commissioning.services.action_status_record`` only; read by
    ``ActionQuerySet.as_at``. A progress report records the statuses it reported."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    rag = models.CharField("RAG rating", max_length=5, choices=Action.RAG.choices, blank=True)
    rag_reason = models.TextField("reason for the RAG rating", blank=True)
    due_date = models.DateField(null=True, blank=True)
    effective_on = models.DateField("date this status took effect")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    progress_report = models.ForeignKey(
        "ProgressReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="status_changes"
    )

    class Meta:
        ordering = ["action", "effective_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["action", "effective_on"], name="action_status_change_on")]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.get_status_display()} from {self.effective_on:%d %B %Y}"

    STATE_FIELDS = ("status", "rag", "rag_reason", "due_date")

    def state(self) -> tuple:
        return tuple(getattr(self, name) for name in self.STATE_FIELDS)


class Milestone(portal_models.Milestone):
    """A dated step towards an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    history = HistoricalRecords()

    @property
    def plan(self) -> Plan:
        return self.action.plan


class Trajectory(models.Model):
    """A measurable aim of an action, planned per period, with the actual values beside it.

    For example 'extended access coverage, % of population: 50% by 2017/18 Q4, 100% by 2018/19 Q4'.
    """

    class Unit(models.TextChoices):
        PERCENT = "percent", "% (per cent)"
        COUNT = "count", "number"
        FTE = "fte", "FTE"
        MINUTES_PER_1000 = "minutes_per_1000", "minutes per 1,000 patients per week"
        POUNDS = "pounds", "£"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="trajectories")
    measure = models.CharField(max_length=200, help_text="What is measured, e.g. 'Extended access coverage'.")
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    higher_is_better = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "trajectories"
        ordering = ["action", "measure"]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_unit_display()})"

    @property
    def plan(self) -> Plan:
        return self.action.plan


class TrajectoryPointQuerySet(AsAtQuerySet):
    AS_AT_FIELDS = {"planned": "planned_on", "actual": "actual_on", "actual_source": "actual_source_on"}

    def annotate_as_at(self, on: dt.date) -> TrajectoryPointQuerySet:
        """Each point as it had been recorded by the end of ``on``, from its change history (an actual
        is dated by the day it was typed or taken from returns, as ``changes.new_actuals`` reads it):
        annotates ``planned_on``, ``actual_on`` and ``actual_source_on``. Points not yet recorded by
        then are left out. Fetched points carry the as-at values in ``planned`` and ``actual``."""
        latest = TrajectoryPoint.history.filter(id=models.OuterRef("pk"), history_date__lt=end_of_day(on)).order_by(
            "-history_date", "-history_id"
        )

        def field(name, output):
            return models.Subquery(latest.values(name)[:1], output_field=output)

        qs = self.annotate(
            recorded_type_on=field("history_type", models.CharField()),
            planned_on=field("planned", models.DecimalField(max_digits=12, decimal_places=2)),
            actual_on=field("actual", models.DecimalField(max_digits=12, decimal_places=2)),
            actual_source_on=Coalesce(field("actual_source", models.CharField()), models.Value("")),
        ).filter(recorded_type_on__isnull=False)
        return qs


class TrajectoryPoint(SnapshotModel):
    """The planned and, once known, actual value of a trajectory for one period."""

    class Source(models.TextChoices):
        TYPED = "typed", "Typed in"
        RETURN = "return", "From practice returns"

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="points")
    period = models.DateField(help_text="The first day of the month or quarter.")
    planned = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    actual_source = models.CharField(max_length=6, choices=Source.choices, blank=True)
    history = HistoricalRecords()

    objects = TrajectoryPointQuerySet.as_manager()

    class Meta:
        ordering = ["trajectory", "period"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "period"], name="trajectory_point_unique_period"),
            models.CheckConstraint(
                name="trajectory_point_actual_has_source", condition=Q(actual__isnull=True) | ~Q(actual_source="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory.measure}, {self.period_label}"

    @property
    def period_label(self) -> str:
        return quarter_label(self.period)

    @property
    def plan(self) -> Plan:
        return self.trajectory.action.plan

    @property
    def variance(self) -> Decimal | None:
        if self.planned is None or self.actual is None:
            return None
        return self.actual - self.planned

    @property
    def on_track(self) -> bool | None:
        variance = self.variance
        if variance is None:
            return None
        return variance >= 0 if self.trajectory.higher_is_better else variance <= 0


class ProgressReport(models.Model):
    """What a lead reports for one period: progress made in it and next steps for the next."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress_reports")
    period = models.DateField(help_text="The first day of the month or quarter reported on.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY)
    task_group = models.ForeignKey(
        TaskAndFinishGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="progress_reports"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="progress_reports")
    progress_made = models.TextField("progress made in the period")
    next_steps = models.TextField("next steps for the next period", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "task_group__name"]
        constraints = [
            models.CheckConstraint(
                name="progress_report_about_group_or_action",
                condition=Q(task_group__isnull=False, action__isnull=True)
                | Q(task_group__isnull=True, action__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["plan", "period", "task_group"],
                condition=Q(task_group__isnull=False),
                name="progress_report_one_per_group_period",
            ),
            models.UniqueConstraint(
                fields=["plan", "period", "action"],
                condition=Q(action__isnull=False),
                name="progress_report_one_per_action_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.task_group or self.action}, {quarter_label(self.period)}"

    @property
    def period_end(self) -> dt.date:
        """The last day of the month or quarter reported on."""
        return period_end(self.frequency, self.period)


class RiskGrade(models.TextChoices):
    """The grades of the NHS 5x5 risk matrix, lowest first."""

    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    EXTREME = "extreme", "Extreme"


#: The scores (likelihood x impact) of each grade, lowest and highest: no product of 1-5 and 1-5
#: falls between them (7, 11, 13 and 14 are not products).
RISK_GRADE_SCORES = {
    RiskGrade.LOW: (1, 3),
    RiskGrade.MODERATE: (4, 6),
    RiskGrade.HIGH: (8, 12),
    RiskGrade.EXTREME: (15, 25),
}
#: A high risk (for the board's exceptions and the dashboards) scores at least this: high or extreme.
HIGH_RISK_SCORE = RISK_GRADE_SCORES[RiskGrade.HIGH][0]


def risk_score(likelihood: int, impact: int) -> int:
    """A risk's score on the NHS 5x5 matrix: likelihood times impact. The one definition;
    ``risk_score_expression`` is the same in SQL."""
    return likelihood * impact


def risk_score_expression(likelihood: str = "likelihood", impact: str = "impact") -> models.Expression:
    """``risk_score`` of two columns (or annotations, such as a score as at a date)."""
    return models.ExpressionWrapper(models.F(likelihood) * models.F(impact), output_field=models.IntegerField())


def risk_grade(score: int) -> str:
    """The NHS 5x5 matrix grade (a ``RiskGrade`` value) of a risk score."""
    for grade, (low, _high) in reversed(RISK_GRADE_SCORES.items()):
        if score >= low:
            return grade.value
    return RiskGrade.LOW.value


class RiskQuerySet(AsAtQuerySet):
    #: The annotation every reader of scores uses; an as-at queryset annotates the same name.
    SCORE = "score_value"
    AS_AT_FIELDS = {"likelihood": "likelihood_on", "impact": "impact_on", "status": "status_on"}

    def with_score(self, likelihood: str = "likelihood", impact: str = "impact") -> RiskQuerySet:
        """Annotate ``score_value`` (``risk_score``) so lists sort and filter by score in the database.
        Already annotated (for example as at a date), it is left as it is."""
        if self.SCORE in self.query.annotations:
            return self
        return self.annotate(**{self.SCORE: risk_score_expression(likelihood, impact)})

    def graded(self, grade: str) -> RiskQuerySet:
        """Risks whose score is of ``grade`` (a ``RiskGrade`` value)."""
        low, high = RISK_GRADE_SCORES[RiskGrade(grade)]
        return self.with_score().filter(**{f"{self.SCORE}__gte": low, f"{self.SCORE}__lte": high})

    def highest_first(self) -> RiskQuerySet:
        """Ordered by score, highest first, then by reference."""
        return self.with_score().order_by(f"-{self.SCORE}", "reference")

    def high(self) -> RiskQuerySet:
        """Open risks scoring at least ``HIGH_RISK_SCORE`` (high or extreme); as at a date, open then."""
        status = "status_on" if self._as_at_on is not None else "status"
        return self.with_score().filter(**{status: Risk.Status.OPEN, f"{self.SCORE}__gte": HIGH_RISK_SCORE})

    def due_for_review(self, on: dt.date) -> RiskQuerySet:
        """Open risks whose next review date has come by ``on`` (that day included)."""
        return self.filter(status=Risk.Status.OPEN, review_due__lte=on)

    def annotate_as_at(self, on: dt.date) -> RiskQuerySet:
        """Each risk as recorded by the end of ``on``, from the register's history: annotates
        ``likelihood_on``, ``impact_on``, ``status_on`` (the last history row saved before midnight
        after ``on``), ``score_value`` of those, and ``closed``. Risks not yet entered by then are
        left out. One query, a subquery per value. Fetched instances carry the as-at values in
        ``likelihood``, ``impact`` and ``status`` (see ``RiskAsAtIterable``)."""
        if self.SCORE in self.query.annotations:
            raise ValueError("Call as_at before with_score: the score must be the one as at the date.")
        latest = (
            Risk.history.model.objects.filter(id=models.OuterRef("pk"), history_date__lt=end_of_day(on))
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
        )

        def field(name, output):
            return models.Subquery(latest.values(name)[:1], output_field=output)

        qs = self.annotate(
            likelihood_on=field("likelihood", models.PositiveSmallIntegerField()),
            impact_on=field("impact", models.PositiveSmallIntegerField()),
            status_on=field("status", models.CharField()),
        ).filter(status_on__isnull=False)
        qs = qs.with_score("likelihood_on", "impact_on").annotate(
            closed=models.Case(
                models.When(status_on=Risk.Status.CLOSED, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )
        return qs


class Scored:
    """The NHS 5x5 score and grade of anything with ``likelihood`` and ``impact``: a risk, or a
    cell of the risk matrix."""

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)

    @property
    def grade(self) -> str:
        return risk_grade(self.score)


class Risk(Scored, SnapshotModel):
    """An entry in a plan's risk register, scored on the NHS 5x5 matrix.

    Score = likelihood x impact (``risk_score``), graded 1-3 low, 4-6 moderate, 8-12 high,
    15-25 extreme (``RISK_GRADE_SCORES``).
    Every change of score is in the history, which gives the score over time.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    SCALE = [MinValueValidator(1), MaxValueValidator(5)]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    reference = models.CharField(max_length=20, help_text="e.g. R01")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 rare to 5 almost certain")
    impact = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 negligible to 5 catastrophic")
    mitigations = models.TextField(blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="risks", verbose_name="actions it threatens")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    review_due = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="When the owner next reviews the risk's score and mitigations. Blank: no review date set.",
    )
    history = HistoricalRecords(m2m_fields=[actions])

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="risk_unique_reference_in_plan"),
            models.CheckConstraint(name="risk_likelihood_1_to_5", condition=Q(likelihood__gte=1, likelihood__lte=5)),
            models.CheckConstraint(name="risk_impact_1_to_5", condition=Q(impact__gte=1, impact__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:60]}"


class TrackerImportRun(portal_models.BackgroundJob):
    """One uploaded action tracker, checked (``dry_run``) or imported by the worker, all or
    nothing. ``errors`` holds each problem as ``{"row", "column", "message"}``; a run with any
    saved nothing."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tracker_imports")
    file = models.FileField(upload_to="imports/tracker/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=200, help_text="As it was uploaded.")
    dry_run = models.BooleanField("check only", default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    saved = models.BooleanField(default=False)

    class Meta(portal_models.BackgroundJob.Meta):
        pass

    @classmethod
    def reported_problems(cls) -> Q:
        """Failed, or an import (not a check, which is meant to find them) that found problems."""
        return super().reported_problems() | (Q(dry_run=False) & ~Q(errors=[]))

    def __str__(self) -> str:
        verb = "Check" if self.dry_run else "Import"
        return f"{verb} of {self.file_name} into {self.plan} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:tracker_import_run", args=[self.plan_id, self.pk])


from .funding.models import *  # noqa: E402,F401,F403 - registers the funding models under this app
