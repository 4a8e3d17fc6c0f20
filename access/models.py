"""The access return: the answers of one revision of one practice's return for one period.

The collection, the return, its revisions, statuses and history belong to the shared
collection workflow (``returns/``); this app keeps only what an access return asks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practices.models import CCG, Practice

from . import figures as f
from .compliance import Compliance, Provision, compliance_label, extended_access_compliance, relies_on_group

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _percent(name: str) -> models.DecimalField:
    question = f.BY_NAME[name]
    return models.DecimalField(
        question.label,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=question.help_text,
    )


def _count(name: str) -> models.PositiveIntegerField:
    question = f.BY_NAME[name]
    return models.PositiveIntegerField(question.label, null=True, blank=True, help_text=question.help_text)


def _provision(name: str) -> models.CharField:
    question = f.BY_NAME[name]
    return models.CharField(
        question.label, max_length=8, choices=Provision.choices, blank=True, help_text=question.help_text
    )


class AccessFigures(models.Model):
    """The questions of an access return. Every answer may be blank while the return is a draft."""

    core_hours_open = models.DecimalField(
        f.label("core_hours_open"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(f.CORE_HOURS_PER_WEEK)],
        help_text=f.BY_NAME["core_hours_open"].help_text,
    )
    weekday_extended = _provision("weekday_extended")
    saturday_extended = _provision("saturday_extended")
    sunday_extended = _provision("sunday_extended")
    extended_access_minutes = _count("extended_access_minutes")
    appointments_face_to_face = _count("appointments_face_to_face")
    appointments_telephone = _count("appointments_telephone")
    appointments_online = _count("appointments_online")
    appointments_home_visit = _count("appointments_home_visit")
    appointments_gp = _count("appointments_gp")
    appointments_nurse = _count("appointments_nurse")
    appointments_other_staff = _count("appointments_other_staff")
    appointments_dna = _count("appointments_dna")
    online_registration_percent = _percent("online_registration_percent")
    eps_percent = _percent("eps_percent")
    ers_percent = _percent("ers_percent")
    online_consultation = models.BooleanField(f.label("online_consultation"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def compliance(self):
        return extended_access_compliance(
            weekday=self.weekday_extended, saturday=self.saturday_extended, sunday=self.sunday_extended
        )

    @property
    def compliance_label(self) -> str:
        return compliance_label(
            weekday=self.weekday_extended, saturday=self.saturday_extended, sunday=self.sunday_extended
        )

    @property
    def relies_on_group(self) -> bool:
        return relies_on_group(
            weekday=self.weekday_extended, saturday=self.saturday_extended, sunday=self.sunday_extended
        )

    @property
    def total_appointments(self) -> int | None:
        return f.total_appointments(self)

    @property
    def dna_rate(self) -> float | None:
        return f.dna_rate(self)


class AccessReturn(AccessFigures):
    """The answers in one revision of one practice's access return (a draft or a submission as sent)."""

    revision = models.OneToOneField("returns.Revision", on_delete=models.CASCADE, related_name="access_return")

    class Meta:
        verbose_name = "access return answers"
        verbose_name_plural = "access return answers"
        constraints = [
            models.CheckConstraint(
                name="access_return_core_hours_in_week",
                condition=Q(core_hours_open__isnull=True)
                | Q(core_hours_open__gte=0, core_hours_open__lte=f.CORE_HOURS_PER_WEEK),
            ),
            *(
                models.CheckConstraint(
                    name=f"access_return_{name}_0_to_100",
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
                )
                for name in f.PERCENT_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"Access answers of {self.revision}"


class AccessMeasureQuerySet(models.QuerySet):
    def in_ccg(self, ccg_id: int) -> AccessMeasureQuerySet:
        return self.filter(ccg_id=ccg_id)

    def latest_per_practice(self, *, before: dt.date, since: dt.date | None = None) -> AccessMeasureQuerySet:
        """Each practice's measure for its latest period starting before ``before`` (and on or after ``since``)."""
        scope = self.filter(period_start__lt=before)
        if since is not None:
            scope = scope.filter(period_start__gte=since)
        latest = scope.filter(practice_id=models.OuterRef("practice_id")).order_by("-period_start", "-pk")
        return scope.filter(pk=models.Subquery(latest.values("pk")[:1]))

    def for_period(self, period_start: dt.date) -> AccessMeasureQuerySet:
        return self.filter(period_start=period_start)


class AccessMeasure(models.Model):
    """The measures of one accepted access return, computed by the worker when it is accepted.

    Only accepted returns have one. Rates use the list size the return was checked against
    (the practice's own figure if it gave one) and the length of the period, so monthly and
    quarterly returns compare. The CCG's usual range of appointments (for the warning on
    new returns) and the extended access pages read these rows, never the answers.
    """

    revision = models.OneToOneField("returns.Revision", on_delete=models.CASCADE, related_name="access_measure")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="access_measures")
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="access_measures", verbose_name="CCG")
    period_start = models.DateField()
    period_end = models.DateField()
    list_size = models.PositiveIntegerField(null=True, blank=True)
    total_appointments = models.PositiveIntegerField()
    appointments_per_1000_a_week = models.FloatField("appointments a week per 1,000 patients", null=True, blank=True)
    minutes_per_1000_a_week = models.FloatField(
        "extended access minutes a week per 1,000 patients", null=True, blank=True
    )
    dna_rate = models.FloatField("appointments not attended (%)", null=True, blank=True)
    compliance = models.CharField("extended access", max_length=8, choices=Compliance.choices)
    relies_on_group = models.BooleanField("meets a slot through its group", default=False)
    online_registration_percent = models.DecimalField(max_digits=4, decimal_places=1)
    eps_percent = models.DecimalField("EPS (%)", max_digits=4, decimal_places=1)
    ers_percent = models.DecimalField("e-Referral (%)", max_digits=4, decimal_places=1)
    online_consultation = models.BooleanField()
    computed_at = models.DateTimeField(default=timezone.now)

    objects = AccessMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "practice__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "period_start", "period_end"], name="access_measure_one_per_period"
            ),
        ]
        indexes = [models.Index(fields=["ccg", "period_start"], name="access_measure_ccg_period")]

    def __str__(self) -> str:
        return f"Access measures of {self.practice.ods_code} from {self.period_start:%d %b %Y}"

    @property
    def weeks(self) -> float:
        return ((self.period_end - self.period_start).days + 1) / 7

    @property
    def compliance_label(self) -> str:
        label = self.get_compliance_display()
        if self.compliance != Compliance.NONE and self.relies_on_group:
            label += " (with its group)"
        return label
