"""The workforce return: a practice's staff by staff group and role, each quarter.

The collection, the return, its revisions, statuses and history belong to the shared
collection workflow (``returns/``); this app keeps what a workforce return asks
(``WorkforceLine``, one per role per revision). The figures worked out from accepted returns
are the metrics engine's (``metrics``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

#: 1.0 FTE is a full-time week of 37.5 hours.
HOURS_PER_FTE = Decimal("37.5")
FTE_DIGITS = {"max_digits": 7, "decimal_places": 2}


class StaffGroup(models.TextChoices):
    GP = "gp", "GPs"
    NURSE = "nurse", "Nurses"
    DIRECT_PATIENT_CARE = "dpc", "Direct patient care"
    ADMIN = "admin", "Admin and non-clinical"


class StaffRole(models.TextChoices):
    """The roles of the NHS Digital GP workforce collection of 2016-19, each in one staff group."""

    GP_PARTNER = "gp_partner", "GP partner"
    GP_SALARIED = "gp_salaried", "Salaried GP"
    GP_LOCUM = "gp_locum", "Locum GP"
    GP_REGISTRAR = "gp_registrar", "GP registrar"
    GP_RETAINER = "gp_retainer", "GP retainer"
    PRACTICE_NURSE = "practice_nurse", "Practice nurse"
    ADVANCED_NURSE_PRACTITIONER = "anp", "Advanced nurse practitioner"
    NURSE_SPECIALIST = "nurse_specialist", "Nurse specialist"
    HEALTH_CARE_ASSISTANT = "hca", "Health care assistant"
    PHLEBOTOMIST = "phlebotomist", "Phlebotomist"
    CLINICAL_PHARMACIST = "pharmacist", "Clinical pharmacist"
    PHYSICIAN_ASSOCIATE = "physician_associate", "Physician associate"
    MENTAL_HEALTH_THERAPIST = "mental_health", "Mental health therapist"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PARAMEDIC = "paramedic", "Paramedic or emergency care practitioner"
    DPC_OTHER = "dpc_other", "Other direct patient care"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    RECEPTIONIST = "receptionist", "Receptionist"
    MEDICAL_SECRETARY = "medical_secretary", "Medical secretary"
    ADMIN_OTHER = "admin_other", "Other admin and non-clinical"


ROLE_GROUP: dict[str, str] = {
    **dict.fromkeys(["gp_partner", "gp_salaried", "gp_locum", "gp_registrar", "gp_retainer"], StaffGroup.GP),
    **dict.fromkeys(["practice_nurse", "anp", "nurse_specialist"], StaffGroup.NURSE),
    **dict.fromkeys(
        [
            "hca",
            "phlebotomist",
            "pharmacist",
            "physician_associate",
            "mental_health",
            "physiotherapist",
            "paramedic",
            "dpc_other",
        ],
        StaffGroup.DIRECT_PATIENT_CARE,
    ),  # fmt: skip
    **dict.fromkeys(["practice_manager", "receptionist", "medical_secretary", "admin_other"], StaffGroup.ADMIN),
}

#: The age bands asked, as (field, label); 55 and over is the last two.
AGE_BANDS = [
    ("age_under_30", "Under 30"),
    ("age_30_39", "30-39"),
    ("age_40_49", "40-49"),
    ("age_50_54", "50-54"),
    ("age_55_59", "55-59"),
    ("age_60_plus", "60 and over"),
]
AGED_55_PLUS = ("age_55_59", "age_60_plus")


def _count(label: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, help_text=help_text)


def _fte(label: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(label, default=Decimal("0"), help_text=help_text, **FTE_DIGITS)


class WorkforceLine(models.Model):
    """One role's staff in one revision of a practice's workforce return: on the last day of
    the quarter (headcount, FTE, ages, vacancies) and during it (joiners, leavers)."""

    revision = models.ForeignKey("returns.Revision", on_delete=models.CASCADE, related_name="workforce_lines")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    headcount = _count("headcount", "People in post on the last day of the quarter.")
    fte = _fte("FTE", "Full-time equivalent: contracted hours a week divided by 37.5.")
    age_under_30 = _count("under 30")
    age_30_39 = _count("aged 30-39")
    age_40_49 = _count("aged 40-49")
    age_50_54 = _count("aged 50-54")
    age_55_59 = _count("aged 55-59")
    age_60_plus = _count("aged 60 and over")
    vacant_posts = _count("vacant posts", "Posts being recruited to on the last day of the quarter.")
    vacant_fte = _fte("vacant FTE")
    vacancy_months = _count("months vacant", "How long the longest of these posts has been vacant.")
    joiners = _count("joiners", "People who started in the quarter.")
    leavers = _count("leavers", "People who left in the quarter.")
    planned_retirements = _count("planned retirements", "People expected to retire in the next five years.")

    class Meta:
        ordering = ["revision", "role"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "role"], name="workforce_line_one_per_role"),
            models.CheckConstraint(
                name="workforce_line_fte_not_negative", condition=Q(fte__gte=0) & Q(vacant_fte__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.headcount} ({self.fte} FTE)"

    @property
    def staff_group(self) -> str:
        return ROLE_GROUP[self.role]
