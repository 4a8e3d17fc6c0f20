"""The access return: the answers of one revision of one practice's return for one period.

The collection, the return, its revisions, statuses and history belong to the shared
collection workflow (``returns/``); this app keeps only what an access return asks.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from . import figures as f
from .compliance import Provision, compliance_label, extended_access_compliance, relies_on_group

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
