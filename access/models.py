"""The access return: the answers of one revision of one practice's return for one period.

The collection, the return, its revisions, statuses and history belong to the shared
collection workflow (``returns/``); this app keeps only what an access return asks.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

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


class PublishedAppointments(models.Model):
    """One figure of NHS Digital's Appointments in General Practice (GPAD), CCG level: the
    appointments of one month of one status, staff type, mode and time from booking.

    Kept as published, under the commissioner code the file gives (``ccg_code``): the 2021
    releases give the merged CCGs of 2020-21 (D2P2L for the Black Country and West Birmingham,
    M1J4Y for Bedfordshire, Luton and Milton Keynes), which stand for all their predecessors.
    ``access.published`` says which of the portal's CCGs such a code covers.
    """

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DNA = "dna", "Did not attend"
        UNKNOWN = "unknown", "Unknown"

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        TELEPHONE = "telephone", "Telephone"
        ONLINE = "online", "Video or online"
        HOME_VISIT = "home_visit", "Home visit"
        UNKNOWN = "unknown", "Unknown"

    ccg_code = models.CharField("commissioner code", max_length=5, help_text="As the file gives it.")
    ccg_name = models.CharField("commissioner name", max_length=200)
    month = models.DateField(help_text="The first day of the month of the appointments.")
    status = models.CharField(max_length=10, choices=Status.choices)
    staff_type = models.CharField(max_length=40, help_text="As published: GP, Other Practice staff, Unknown.")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    time_from_booking = models.CharField(max_length=40, help_text="As published, e.g. 'Same Day', '2 to 7 Days'.")
    appointments = models.PositiveIntegerField()
    source_file = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "published appointments figure"
        ordering = ["ccg_code", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["ccg_code", "month", "status", "staff_type", "mode", "time_from_booking"],
                name="published_appointments_one_figure_per_cell",
            )
        ]
        indexes = [models.Index(fields=["ccg_code", "month"])]

    def __str__(self) -> str:
        return f"{self.ccg_code} {self.month:%B %Y}: {self.appointments:,} {self.get_mode_display().lower()}"
